#include "revgan/Trainer.h"

#include "revgan/DeviceSelection.h"
#include "revgan/EnumNames.h"
#include "revgan/MemoryTracker.h"
#include "revgan/ModelFile.h"
#include "revgan/ReversibleSequence.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <type_traits>

namespace revgan
{

namespace
{

constexpr EnumName<Objective> kObjectives[]{ { Objective::Paired, "paired" }, { Objective::Unpaired, "unpaired" } };

} // namespace

Objective
parseObjective(const std::string & name)
{
  return parseEnumName(kObjectives, name, "objective");
}

std::string
toString(Objective objective)
{
  return enumName(kObjectives, objective);
}

TrainerOptions
TrainerOptions::forObjective(Objective objective)
{
  TrainerOptions options;
  options.objective = objective;
  options.ganLoss = objective == Objective::Paired ? GanLoss::Vanilla : GanLoss::LeastSquares;
  options.lambda = objective == Objective::Paired ? 100.0 : 10.0;
  return options;
}

void
TrainerOptions::validate() const
{
  auto require = [](bool condition, const std::string & message)
  {
    if (!condition)
      throw std::invalid_argument(message);
  };
  require(lambda >= 0.0, "lambda must not be negative");
  require(adversarialWeight >= 0.0, "adversarial weight must not be negative");
  require(identityWeight >= 0.0, "identity weight must not be negative");
  require(learningRate > 0.0, "learning rate must be positive");
  require(beta1 >= 0.0 && beta1 < 1.0 && beta2 >= 0.0 && beta2 < 1.0, "Adam betas must lie in [0, 1)");
  require(constantEpochs >= 0 && decayEpochs >= 0 && constantEpochs + decayEpochs > 0,
          "epochs must not be negative, and at least one epoch must be scheduled");
  require(batchSize >= 1, "batch size must be at least 1, got " + std::to_string(batchSize));
  require(poolSize >= 0, "pool size must not be negative");
  require(discriminatorWidth >= 1, "discriminator width must be positive");
  require(discriminatorStridedLayers >= 0, "discriminator strided layers must not be negative");
  require(dtype == torch::kFloat || dtype == torch::kDouble, "training precision must be float or double");
}

Trainer::Trainer(const GeneratorSpec & spec, const TrainerOptions & options, IntensityNormalization normalization)
  : spec_(spec)
  , options_(options)
  , normalization_(std::move(normalization))
  , poolX_(options.poolSize)
  , poolY_(options.poolSize)
{
  options_.validate();
  spec_.validate();
  torch::manual_seed(options_.seed);
  generator_ = makeGenerator(spec_, options_.gradientMode);
  generator_->to(options_.device, options_.dtype);
  generatorOptimizer_ = std::make_unique<torch::optim::Adam>(
    generator_->parameters(),
    torch::optim::AdamOptions(options_.learningRate).betas({ options_.beta1, options_.beta2 }));

  if (options_.adversarialWeight > 0.0)
  {
    const bool    paired = options_.objective == Objective::Paired;
    const int64_t stridedLayers =
      options_.discriminatorStridedLayers > 0 ? options_.discriminatorStridedLayers : (spec_.dimensions == 2 ? 3 : 2);
    auto discriminatorFor = [&](int64_t channels)
    {
      return PatchDiscriminator(
        PatchDiscriminatorOptions(paired ? spec_.channelsX + spec_.channelsY : channels, spec_.dimensions)
          .width(options_.discriminatorWidth)
          .strided_layers(stridedLayers));
    };
    discriminatorX_ = discriminatorFor(spec_.channelsX);
    discriminatorY_ = discriminatorFor(spec_.channelsY);
    discriminatorX_->to(options_.device, options_.dtype);
    discriminatorY_->to(options_.device, options_.dtype);
    std::vector<torch::Tensor> parameters = discriminatorX_->parameters();
    for (auto & p : discriminatorY_->parameters())
      parameters.push_back(p);
    discriminatorOptimizer_ = std::make_unique<torch::optim::Adam>(
      parameters, torch::optim::AdamOptions(options_.learningRate).betas({ options_.beta1, options_.beta2 }));
  }
  setMonitorReconstruction(options_.monitorReconstruction);
}

int64_t
Trainer::parameterBytes() const
{
  int64_t bytes = 0;
  auto    addModule = [&](const torch::nn::Module & module)
  {
    for (const auto & parameter : module.parameters())
      bytes += parameter.numel() * static_cast<int64_t>(parameter.element_size());
  };
  addModule(*generator_);
  if (discriminatorX_)
  {
    addModule(*discriminatorX_);
    addModule(*discriminatorY_);
  }
  return bytes;
}

double
Trainer::learningRateForEpoch(int64_t epoch) const
{
  const double decayed = static_cast<double>(std::max<int64_t>(0, epoch + 1 - options_.constantEpochs));
  const double factor = 1.0 - decayed / static_cast<double>(options_.decayEpochs + 1);
  return options_.learningRate * std::max(0.0, factor);
}

void
Trainer::setLearningRate(double rate)
{
  for (auto * optimizer : { generatorOptimizer_.get(), discriminatorOptimizer_.get() })
  {
    if (optimizer == nullptr)
      continue;
    for (auto & group : optimizer->param_groups())
      static_cast<torch::optim::AdamOptions &>(group.options()).lr(rate);
  }
}

void
Trainer::setDiscriminatorsTrainable(bool trainable)
{
  for (auto & discriminator : { discriminatorX_, discriminatorY_ })
  {
    for (auto & p : discriminator->parameters())
      p.requires_grad_(trainable);
  }
}

void
Trainer::setDataParallel(std::shared_ptr<DataParallelGroup> group)
{
  dataParallel_ = std::move(group);
  if (!dataParallel_)
    return;
  std::vector<const torch::nn::Module *> modules{ generator_.get() };
  if (!discriminatorX_.is_empty())
    modules.insert(modules.end(), { discriminatorX_.get(), discriminatorY_.get() });
  std::vector<torch::Tensor> state;
  for (const torch::nn::Module * module : modules)
  {
    for (const auto & parameter : module->parameters())
      state.push_back(parameter);
    for (const auto & buffer : module->buffers())
      state.push_back(buffer);
  }
  dataParallel_->broadcast(state);
}

bool
Trainer::applyGradients(torch::optim::Optimizer & optimizer, const torch::Tensor & loss, const std::string & what)
{
  optimizer.zero_grad();
  loss.backward();
  torch::Tensor              averagedLoss = loss.detach().reshape({ 1 }).to(torch::kDouble).clone();
  std::vector<torch::Tensor> gradients;
  for (const auto & group : optimizer.param_groups())
  {
    for (const auto & parameter : group.params())
    {
      if (parameter.grad().defined())
        gradients.push_back(parameter.grad());
    }
  }
  if (dataParallel_)
  {
    // One all-reduce of few large buckets per update: gradients and the loss together.
    std::vector<torch::Tensor> reduced{ averagedLoss };
    reduced.insert(reduced.end(), gradients.begin(), gradients.end());
    dataParallel_->average(reduced);
  }
  // One reduction per gradient, stacked into one value: the loss and that value are the only two
  // synchronisations per update, whatever the number of parameters.
  std::vector<torch::Tensor> finite;
  for (const auto & gradient : gradients)
    finite.push_back(gradient.isfinite().all());
  const double lossValue = averagedLoss.item<double>();
  const bool   finiteGradients = finite.empty() || torch::stack(finite).all().item<bool>();
  if (std::isfinite(lossValue) && finiteGradients)
  {
    optimizer.step();
    return true;
  }
  optimizer.zero_grad();
  if (options_.skipNonFiniteUpdates)
  {
    ++skippedUpdates_;
    return false;
  }
  std::string problem = "the " + what + " loss is " + std::to_string(lossValue);
  if (std::isfinite(lossValue))
  {
    problem = "a gradient of the " + what + " update is not finite";
  }
  throw NonFiniteTrainingError("epoch " + std::to_string(epoch_) + ", iteration " + std::to_string(iterationInEpoch_) +
                               ": " + problem + "; the " + what +
                               " weights were left unchanged and training stopped (the input data may hold NaN or "
                               "infinite values, or the learning rate may be too high)");
}

void
Trainer::setMonitorReconstruction(bool monitor)
{
  if (monitor && options_.gradientMode == GradientMode::Naive)
    throw std::invalid_argument("monitoring the reconstruction needs a reversible gradient mode");
  options_.monitorReconstruction = monitor;
  for (const auto & module : generator_->modules())
  {
    if (auto * sequence = dynamic_cast<ReversibleSequenceImpl *>(module.get()))
      sequence->setMonitorReconstruction(monitor);
  }
}

LossValues
Trainer::step(const TrainingBatch & batch)
{
  LossValues values = updateNetworks(batch);
  if (options_.monitorReconstruction)
    appendReconstructionErrors(values);
  if (dataParallel_)
    combineAcrossProcesses(values);
  return values;
}

void
Trainer::combineAcrossProcesses(LossValues & values)
{
  std::vector<double> numbers;
  for (const auto & item : values)
    numbers.push_back(item.second);
  numbers.push_back(stopRequested_ ? 1.0 : 0.0);
  const torch::Tensor all =
    dataParallel_->gather(torch::tensor(numbers, torch::TensorOptions().dtype(torch::kDouble)).to(options_.device))
      .cpu();
  const torch::Tensor mean = all.mean(0);
  const torch::Tensor largest = std::get<0>(all.max(0));
  for (size_t i = 0; i < values.size(); ++i)
  {
    // Each process measures the reconstruction of its own samples; the job's is the worst.
    const bool reconstruction = values[i].first.rfind("reconstruction_", 0) == 0;
    values[i].second = (reconstruction ? largest : mean)[static_cast<int64_t>(i)].item<double>();
  }
  stopAgreed_ = largest[static_cast<int64_t>(values.size())].item<double>() > 0.0;
}

void
Trainer::appendReconstructionErrors(LossValues & values)
{
  for (const auto & item : generator_->named_modules())
  {
    auto * sequence = dynamic_cast<ReversibleSequenceImpl *>(item.value().get());
    if (sequence == nullptr)
      continue;
    std::string name = item.key();
    std::replace(name.begin(), name.end(), '.', '_');
    // A sequence without blocks reconstructs nothing; its error is 0.
    const ReconstructionError error = sequence->takeMaxReconstructionError().value_or(ReconstructionError{});
    values.emplace_back("reconstruction_error_" + name, error.absolute);
    values.emplace_back("reconstruction_relative_error_" + name,
                        error.inputMagnitude > 0.0 ? error.absolute / error.inputMagnitude : 0.0);
  }
}

void
Trainer::setGradientMode(GradientMode mode)
{
  if (mode == GradientMode::Naive && options_.monitorReconstruction)
    throw std::invalid_argument("monitoring the reconstruction needs a reversible gradient mode");
  options_.gradientMode = mode;
  generator_->setGradientMode(mode);
}

int64_t
Trainer::generatorUpdatePeakBytes(const TrainingBatch & batch)
{
  generator_->train();
  for (torch::Tensor & parameter : generator_->parameters())
    if (parameter.requires_grad() && !parameter.grad().defined())
      parameter.mutable_grad() = torch::zeros_like(parameter);
  const torch::Tensor x = batch.x.to(options_.device, options_.dtype);
  const torch::Tensor y = batch.y.to(options_.device, options_.dtype);
  const bool          adversarial = options_.adversarialWeight > 0.0;
  synchronizeDevice(options_.device);
  const int64_t baseline = MemoryTracker::currentBytes(options_.device);
  MemoryTracker::resetPeak(options_.device);
  generatorObjective(x, y).loss.backward();
  synchronizeDevice(options_.device);
  const int64_t peak = MemoryTracker::peakBytes(options_.device) - baseline;
  if (adversarial)
    setDiscriminatorsTrainable(true);
  generatorOptimizer_->zero_grad();
  return peak;
}

LossValues
Trainer::updateNetworks(const TrainingBatch & batch)
{
  generator_->train();
  const torch::Tensor x = batch.x.to(options_.device, options_.dtype);
  const torch::Tensor y = batch.y.to(options_.device, options_.dtype);
  GeneratorObjective  objective = generatorObjective(x, y);
  const bool          adversarial = options_.adversarialWeight > 0.0;
  const bool          generatorUpdated = applyGradients(*generatorOptimizer_, objective.loss, "generator");
  objective.values.insert(objective.values.begin(), { "generator", objective.loss.item<double>() });
  // A skipped generator update leaves non-finite fakes, which must not enter the pools.
  if (!adversarial || !generatorUpdated)
    return objective.values;

  setDiscriminatorsTrainable(true);
  // Unpaired discriminators see a history of generated samples (the pool); paired ones the latest.
  const bool          pooled = options_.objective == Objective::Unpaired;
  const torch::Tensor fakeX = pooled ? poolX_.query(objective.fakeX) : objective.fakeX.detach();
  const torch::Tensor fakeY = pooled ? poolY_.query(objective.fakeY) : objective.fakeY.detach();
  const torch::Tensor lossX = discriminatorLoss(*discriminatorX_, objective.realX, fakeX);
  const torch::Tensor lossY = discriminatorLoss(*discriminatorY_, objective.realY, fakeY);
  applyGradients(*discriminatorOptimizer_, lossX + lossY, "discriminator");
  objective.values.emplace_back("d_x", lossX.item<double>());
  objective.values.emplace_back("d_y", lossY.item<double>());
  return objective.values;
}

torch::Tensor
Trainer::discriminatorLoss(PatchDiscriminatorImpl & discriminator,
                           const torch::Tensor &    real,
                           const torch::Tensor &    fake) const
{
  return 0.5 * (adversarialLoss(discriminator.forward(real), true, options_.ganLoss) +
                adversarialLoss(discriminator.forward(fake), false, options_.ganLoss));
}

Trainer::GeneratorObjective
Trainer::generatorObjective(const torch::Tensor & x, const torch::Tensor & y)
{
  GeneratorObjective objective =
    options_.objective == Objective::Paired ? pairedObjective(x, y) : unpairedObjective(x, y);
  if (options_.adversarialWeight > 0.0)
  {
    // The generator is judged by discriminators that this update must not change.
    setDiscriminatorsTrainable(false);
    const torch::Tensor ganXY = adversarialLoss(discriminatorY_->forward(objective.fakeY), true, options_.ganLoss);
    const torch::Tensor ganYX = adversarialLoss(discriminatorX_->forward(objective.fakeX), true, options_.ganLoss);
    objective.loss = objective.loss + options_.adversarialWeight * (ganXY + ganYX);
    objective.values.emplace_back("gan_xy", ganXY.item<double>());
    objective.values.emplace_back("gan_yx", ganYX.item<double>());
  }
  return objective;
}

Trainer::GeneratorObjective
Trainer::pairedObjective(const torch::Tensor & x, const torch::Tensor & y)
{
  const torch::Tensor fakeY = generator_->forward(x);
  const torch::Tensor fakeX = generator_->inverse(y);
  const auto          distance = [&](const torch::Tensor & a, const torch::Tensor & b)
  { return options_.squaredError ? torch::mse_loss(a, b) : meanAbsoluteError(a, b); };
  const torch::Tensor l1XY = distance(fakeY, y);
  const torch::Tensor l1YX = distance(fakeX, x);
  GeneratorObjective  objective;
  objective.loss = options_.lambda * (l1XY + l1YX);
  objective.values = { { "l1_xy", l1XY.item<double>() }, { "l1_yx", l1YX.item<double>() } };
  // Conditional discriminators judge (input, output) pairs.
  objective.realY = torch::cat({ x, y }, 1);
  objective.fakeY = torch::cat({ x, fakeY }, 1);
  objective.realX = torch::cat({ y, x }, 1);
  objective.fakeX = torch::cat({ y, fakeX }, 1);
  return objective;
}

Trainer::GeneratorObjective
Trainer::unpairedObjective(const torch::Tensor & x, const torch::Tensor & y)
{
  const torch::Tensor fakeY = generator_->forward(x);
  const torch::Tensor cycleX = generator_->inverse(fakeY);
  const torch::Tensor fakeX = generator_->inverse(y);
  const torch::Tensor cycleY = generator_->forward(fakeX);
  const torch::Tensor cycleLossX = meanAbsoluteError(cycleX, x);
  const torch::Tensor cycleLossY = meanAbsoluteError(cycleY, y);
  GeneratorObjective  objective;
  objective.loss = options_.lambda * (cycleLossX + cycleLossY);
  objective.values = { { "cycle_x", cycleLossX.item<double>() }, { "cycle_y", cycleLossY.item<double>() } };
  if (options_.identityWeight > 0.0 && spec_.channelsX == spec_.channelsY)
  {
    const torch::Tensor identity =
      meanAbsoluteError(generator_->forward(y), y) + meanAbsoluteError(generator_->inverse(x), x);
    objective.loss = objective.loss + options_.lambda * options_.identityWeight * identity;
    objective.values.emplace_back("identity", identity.item<double>());
  }
  objective.realX = x;
  objective.fakeX = fakeX;
  objective.realY = y;
  objective.fakeY = fakeY;
  return objective;
}

void
Trainer::train(TrainingSource &                                      source,
               int64_t                                               untilEpoch,
               const std::function<void(const TrainingProgress &)> & onIteration)
{
  const int64_t totalEpochs = options_.constantEpochs + options_.decayEpochs;
  const int64_t lastEpoch = untilEpoch < 0 ? totalEpochs : std::min(untilEpoch, totalEpochs);
  const int64_t processes = dataParallel_ ? dataParallel_->worldSize() : 1;
  const int64_t rank = dataParallel_ ? dataParallel_->rank() : 0;
  const int64_t globalBatch = options_.batchSize * processes;
  // An epoch holds samplesPerEpoch samples however many processes share them.
  const int64_t iterationsPerEpoch = std::max<int64_t>(1, source.samplesPerEpoch() / globalBatch);
  while (epoch_ < lastEpoch)
  {
    const double rate = learningRateForEpoch(epoch_);
    setLearningRate(rate);
    while (iterationInEpoch_ < iterationsPerEpoch)
    {
      if (stopRequested())
        return;
      const auto        start = std::chrono::steady_clock::now();
      const SampleShare share{
        options_.seed, epoch_, iterationInEpoch_, rank * options_.batchSize, options_.batchSize
      };
      const LossValues losses = step(drawSamples(source, share));
      const double     seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      ++iterationInEpoch_;
      if (onIteration)
      {
        TrainingProgress progress;
        progress.epoch = epoch_;
        progress.iteration = iterationInEpoch_;
        progress.iterationsPerEpoch = iterationsPerEpoch;
        progress.totalEpochs = totalEpochs;
        progress.learningRate = rate;
        progress.samplesPerSecond = seconds > 0.0 ? static_cast<double>(globalBatch) / seconds : 0.0;
        progress.losses = losses;
        onIteration(progress);
      }
    }
    iterationInEpoch_ = 0;
    ++epoch_;
  }
}

namespace
{

/// The options a checkpoint stores, each with its record name, listed once for writing and reading
/// (the choices of a run, skipNonFiniteUpdates and monitorReconstruction, are not stored).
/// `visit(name, field)` gets a const or mutable reference as `options` is.
template<typename Options, typename Visitor>
void
visitStoredOptions(Options & options, Visitor && visit)
{
  visit("objective", options.objective);
  visit("gan_loss", options.ganLoss);
  visit("lambda", options.lambda);
  visit("adversarial_weight", options.adversarialWeight);
  visit("identity_weight", options.identityWeight);
  visit("squared_error", options.squaredError);
  visit("learning_rate", options.learningRate);
  visit("beta1", options.beta1);
  visit("beta2", options.beta2);
  visit("constant_epochs", options.constantEpochs);
  visit("decay_epochs", options.decayEpochs);
  visit("batch_size", options.batchSize);
  visit("pool_size", options.poolSize);
  visit("gradient_mode", options.gradientMode);
  visit("seed", options.seed);
  visit("discriminator_width", options.discriminatorWidth);
  visit("discriminator_strided_layers", options.discriminatorStridedLayers);
  visit("device", options.device);
  visit("double_precision", options.dtype);
}

// How each kind of option is stored: enumerations and the device by name, the seed as int64,
// the precision as whether it is double.
template<typename T>
c10::IValue
toRecord(const T & value)
{
  if constexpr (std::is_same_v<T, Objective> || std::is_same_v<T, GanLoss> || std::is_same_v<T, GradientMode>)
    return c10::IValue(toString(value));
  else if constexpr (std::is_same_v<T, torch::Device>)
    return c10::IValue(value.str());
  else if constexpr (std::is_same_v<T, torch::ScalarType>)
    return c10::IValue(value == torch::kDouble);
  else if constexpr (std::is_same_v<T, uint64_t>)
    return c10::IValue(static_cast<int64_t>(value));
  else
    return c10::IValue(value);
}

template<typename T>
void
fromRecord(const c10::IValue & record, T & value)
{
  if constexpr (std::is_same_v<T, Objective>)
    value = parseObjective(record.toStringRef());
  else if constexpr (std::is_same_v<T, GanLoss>)
    value = parseGanLoss(record.toStringRef());
  else if constexpr (std::is_same_v<T, GradientMode>)
    value = parseGradientMode(record.toStringRef());
  else if constexpr (std::is_same_v<T, torch::Device>)
    value = torch::Device(record.toStringRef());
  else if constexpr (std::is_same_v<T, torch::ScalarType>)
    value = record.toBool() ? torch::kDouble : torch::kFloat;
  else if constexpr (std::is_same_v<T, uint64_t>)
    value = static_cast<uint64_t>(record.toInt());
  else if constexpr (std::is_same_v<T, bool>)
    value = record.toBool();
  else if constexpr (std::is_same_v<T, double>)
    value = record.toDouble();
  else
    value = record.toInt();
}

void
writeOptions(torch::serialize::OutputArchive & archive, const TrainerOptions & options)
{
  visitStoredOptions(options, [&](const char * name, const auto & field) { archive.write(name, toRecord(field)); });
}

TrainerOptions
readOptions(torch::serialize::InputArchive & archive, const std::string & path)
{
  TrainerOptions options;
  try
  {
    visitStoredOptions(options,
                       [&](const char * name, auto & field) { fromRecord(readValue(archive, name, path), field); });
    options.validate();
  }
  catch (const ModelFileError &)
  {
    throw;
  }
  catch (const std::exception & error)
  {
    throw ModelFileError(path, std::string("invalid training options: ") + error.what());
  }
  return options;
}

/// A process's pools as the bytes of an archive holding pool_x and pool_y.
torch::Tensor
poolArchiveBytes(const ImagePool & poolX, const ImagePool & poolY)
{
  torch::serialize::OutputArchive archive, x, y;
  poolX.save(x);
  poolY.save(y);
  archive.write("pool_x", x);
  archive.write("pool_y", y);
  std::string bytes;
  archive.save_to(
    [&](const void * data, size_t size)
    {
      bytes.append(static_cast<const char *>(data), size);
      return size;
    });
  return torch::tensor(std::vector<uint8_t>(bytes.begin(), bytes.end()), torch::kUInt8);
}

/// Every process's `bytes` (of any length), in rank order, on the CPU.
std::vector<torch::Tensor>
gatherBytes(DataParallelGroup & group, const torch::Tensor & bytes, const torch::Device & device)
{
  const torch::Tensor lengths = group.gather(torch::tensor({ bytes.numel() }, torch::kLong).to(device)).flatten().cpu();
  const int64_t       longest = lengths.max().item<int64_t>();
  torch::Tensor       padded = torch::zeros({ longest }, torch::kUInt8);
  padded.narrow(0, 0, bytes.numel()).copy_(bytes);
  const torch::Tensor        all = group.gather(padded.to(device)).cpu();
  std::vector<torch::Tensor> result;
  for (int64_t r = 0; r < all.size(0); ++r)
    result.push_back(all[r].narrow(0, 0, lengths[r].item<int64_t>()).clone());
  return result;
}

std::string
poolsRecordName(int64_t rank)
{
  return "pools_rank" + std::to_string(rank);
}

} // namespace

void
Trainer::saveModel(const std::string & path) const
{
  if (writesFiles())
    revgan::saveModel(path, *generator_, normalization_, frameX_, frameY_);
}

void
Trainer::saveCheckpoint(const std::string & path) const
{
  // Each process keeps its own pools; rank 0 collects them so that every process can resume.
  std::vector<torch::Tensor> pools;
  if (dataParallel_ && dataParallel_->worldSize() > 1)
    pools = gatherBytes(*dataParallel_, poolArchiveBytes(poolX_, poolY_), options_.device);
  if (!writesFiles())
    return;
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(std::string("revgan-checkpoint")));
  archive.write("format_version", c10::IValue(modelFormatVersion(normalization_)));
  torch::serialize::OutputArchive model, options, generatorOptimizer, poolX, poolY;
  writeModel(model, *generator_, normalization_, frameX_, frameY_);
  archive.write("model", model);
  writeOptions(options, options_);
  archive.write("options", options);
  generatorOptimizer_->save(generatorOptimizer);
  archive.write("generator_optimizer", generatorOptimizer);
  if (discriminatorOptimizer_)
  {
    torch::serialize::OutputArchive discriminatorX, discriminatorY, discriminatorOptimizer;
    writeWeights(discriminatorX, *discriminatorX_);
    writeWeights(discriminatorY, *discriminatorY_);
    discriminatorOptimizer_->save(discriminatorOptimizer);
    archive.write("discriminator_x", discriminatorX);
    archive.write("discriminator_y", discriminatorY);
    archive.write("discriminator_optimizer", discriminatorOptimizer);
  }
  poolX_.save(poolX);
  poolY_.save(poolY);
  archive.write("pool_x", poolX);
  archive.write("pool_y", poolY);
  archive.write("epoch", c10::IValue(epoch_));
  archive.write("iteration_in_epoch", c10::IValue(iterationInEpoch_));
  archive.write("random_state", at::detail::getDefaultCPUGenerator().get_state());
  archive.write("world_size", c10::IValue(static_cast<int64_t>(dataParallel_ ? dataParallel_->worldSize() : 1)));
  for (size_t rank = 1; rank < pools.size(); ++rank)
    archive.write(poolsRecordName(static_cast<int64_t>(rank)), pools[rank]);
  saveArchive(archive, path);
}

std::unique_ptr<Trainer>
Trainer::resume(const std::string & path, std::shared_ptr<DataParallelGroup> dataParallel)
{
  torch::serialize::InputArchive archive = openArchive(path, "revgan-checkpoint");
  auto                           nested = [&](const char * key) { return readArchive(archive, key, path); };
  torch::serialize::InputArchive optionsArchive = nested("options");
  const TrainerOptions           options = readOptions(optionsArchive, path);
  // Checkpoints written before data-parallel training existed have no world size: one process.
  c10::IValue   savedWorldSize;
  const int64_t writtenBy = archive.try_read("world_size", savedWorldSize) ? savedWorldSize.toInt() : 1;
  const int64_t processes = dataParallel ? dataParallel->worldSize() : 1;
  if (writtenBy != processes)
    throw ModelFileError(path,
                         "was written by a job of " + std::to_string(writtenBy) + " process(es); resume it with " +
                           std::to_string(writtenBy) + ", not " + std::to_string(processes) +
                           " (the global batch, each process's samples and its pools depend on it)");
  torch::serialize::InputArchive modelArchive = nested("model");
  // The trainer builds its own generator; only the description is needed to do so.
  const Model description = readModelDescription(modelArchive, path);

  auto trainer = std::make_unique<Trainer>(description.spec, options, description.normalization);
  trainer->setDomainFrames(description.frameX, description.frameY);
  torch::serialize::InputArchive weights = readArchive(modelArchive, "weights", path);
  readWeights(weights, *trainer->generator_, path);
  try
  {
    torch::serialize::InputArchive generatorOptimizer = nested("generator_optimizer");
    trainer->generatorOptimizer_->load(generatorOptimizer);
    if (trainer->discriminatorOptimizer_)
    {
      torch::serialize::InputArchive discriminatorX = nested("discriminator_x");
      torch::serialize::InputArchive discriminatorY = nested("discriminator_y");
      torch::serialize::InputArchive discriminatorOptimizer = nested("discriminator_optimizer");
      readWeights(discriminatorX, *trainer->discriminatorX_, path);
      readWeights(discriminatorY, *trainer->discriminatorY_, path);
      trainer->discriminatorOptimizer_->load(discriminatorOptimizer);
    }
    torch::serialize::InputArchive poolX = nested("pool_x");
    torch::serialize::InputArchive poolY = nested("pool_y");
    trainer->poolX_.load(poolX);
    trainer->poolY_.load(poolY);
    trainer->epoch_ = readValue(archive, "epoch", path).toInt();
    trainer->iterationInEpoch_ = readValue(archive, "iteration_in_epoch", path).toInt();
    torch::Tensor randomState;
    archive.read("random_state", randomState);
    at::Generator randomGenerator = at::detail::getDefaultCPUGenerator(); // a handle to the same generator
    randomGenerator.set_state(randomState);
    const int64_t rank = dataParallel ? dataParallel->rank() : 0;
    if (rank > 0)
    {
      torch::Tensor bytes;
      archive.read(poolsRecordName(rank), bytes);
      bytes = bytes.contiguous();
      torch::serialize::InputArchive pools = parseArchive(
        std::string(reinterpret_cast<const char *>(bytes.data_ptr<uint8_t>()), static_cast<size_t>(bytes.numel())),
        path);
      torch::serialize::InputArchive poolX, poolY;
      pools.read("pool_x", poolX);
      pools.read("pool_y", poolY);
      trainer->poolX_.load(poolX);
      trainer->poolY_.load(poolY);
    }
  }
  catch (const ModelFileError &)
  {
    throw;
  }
  catch (const std::exception & error)
  {
    std::string reason = error.what();
    throw ModelFileError(path, "training state cannot be restored: " + reason.substr(0, reason.find('\n')));
  }
  trainer->setDataParallel(std::move(dataParallel));
  return trainer;
}

} // namespace revgan
