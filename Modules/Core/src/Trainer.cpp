#include "revgan/Trainer.h"

#include "revgan/ModelFile.h"
#include "revgan/ReversibleSequence.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

namespace revgan
{

Objective
parseObjective(const std::string & name)
{
  if (name == "paired")
    return Objective::Paired;
  if (name == "unpaired")
    return Objective::Unpaired;
  throw std::invalid_argument("unknown objective '" + name + "' (expected paired or unpaired)");
}

std::string
toString(Objective objective)
{
  return objective == Objective::Paired ? "paired" : "unpaired";
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

bool
Trainer::applyGradients(torch::optim::Optimizer & optimizer, const torch::Tensor & loss, const std::string & what)
{
  optimizer.zero_grad();
  loss.backward();
  // One reduction per gradient, stacked into one value: the loss and that value are the only two
  // synchronisations per update, whatever the number of parameters.
  std::vector<torch::Tensor> gradients;
  for (const auto & group : optimizer.param_groups())
  {
    for (const auto & parameter : group.params())
    {
      if (parameter.grad().defined())
        gradients.push_back(parameter.grad().isfinite().all());
    }
  }
  const double lossValue = loss.item<double>();
  const bool   finiteGradients = gradients.empty() || torch::stack(gradients).all().item<bool>();
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
  if (monitor && options_.gradientMode != GradientMode::Reversible)
    throw std::invalid_argument("monitoring the reconstruction needs the reversible gradient mode");
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
  if (!options_.monitorReconstruction)
    return values;
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
  return values;
}

LossValues
Trainer::updateNetworks(const TrainingBatch & batch)
{
  generator_->train();
  const torch::Tensor x = batch.x.to(options_.device, options_.dtype);
  const torch::Tensor y = batch.y.to(options_.device, options_.dtype);
  GeneratorObjective  objective =
    options_.objective == Objective::Paired ? pairedObjective(x, y) : unpairedObjective(x, y);

  const bool adversarial = options_.adversarialWeight > 0.0;
  if (adversarial)
  {
    // The generator is judged by discriminators that this update must not change.
    setDiscriminatorsTrainable(false);
    const torch::Tensor ganXY = adversarialLoss(discriminatorY_->forward(objective.fakeY), true, options_.ganLoss);
    const torch::Tensor ganYX = adversarialLoss(discriminatorX_->forward(objective.fakeX), true, options_.ganLoss);
    objective.loss = objective.loss + options_.adversarialWeight * (ganXY + ganYX);
    objective.values.emplace_back("gan_xy", ganXY.item<double>());
    objective.values.emplace_back("gan_yx", ganYX.item<double>());
  }
  const bool generatorUpdated = applyGradients(*generatorOptimizer_, objective.loss, "generator");
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
  const int64_t iterationsPerEpoch = std::max<int64_t>(1, source.samplesPerEpoch() / options_.batchSize);
  while (epoch_ < lastEpoch)
  {
    const double rate = learningRateForEpoch(epoch_);
    setLearningRate(rate);
    while (iterationInEpoch_ < iterationsPerEpoch)
    {
      if (stopRequested_)
        return;
      const auto       start = std::chrono::steady_clock::now();
      const LossValues losses = step(source.nextBatch(options_.batchSize));
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
        progress.samplesPerSecond = seconds > 0.0 ? static_cast<double>(options_.batchSize) / seconds : 0.0;
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

void
writeOptions(torch::serialize::OutputArchive & archive, const TrainerOptions & options)
{
  archive.write("objective", c10::IValue(toString(options.objective)));
  archive.write("gan_loss", c10::IValue(toString(options.ganLoss)));
  archive.write("lambda", c10::IValue(options.lambda));
  archive.write("adversarial_weight", c10::IValue(options.adversarialWeight));
  archive.write("identity_weight", c10::IValue(options.identityWeight));
  archive.write("squared_error", c10::IValue(options.squaredError));
  archive.write("learning_rate", c10::IValue(options.learningRate));
  archive.write("beta1", c10::IValue(options.beta1));
  archive.write("beta2", c10::IValue(options.beta2));
  archive.write("constant_epochs", c10::IValue(options.constantEpochs));
  archive.write("decay_epochs", c10::IValue(options.decayEpochs));
  archive.write("batch_size", c10::IValue(options.batchSize));
  archive.write("pool_size", c10::IValue(options.poolSize));
  archive.write("gradient_mode", c10::IValue(toString(options.gradientMode)));
  archive.write("seed", c10::IValue(static_cast<int64_t>(options.seed)));
  archive.write("discriminator_width", c10::IValue(options.discriminatorWidth));
  archive.write("discriminator_strided_layers", c10::IValue(options.discriminatorStridedLayers));
  archive.write("device", c10::IValue(options.device.str()));
  archive.write("double_precision", c10::IValue(options.dtype == torch::kDouble));
}

TrainerOptions
readOptions(torch::serialize::InputArchive & archive, const std::string & path)
{
  TrainerOptions options;
  auto           value = [&](const char * key) { return readValue(archive, key, path); };
  try
  {
    options.objective = parseObjective(value("objective").toStringRef());
    options.ganLoss = parseGanLoss(value("gan_loss").toStringRef());
    options.lambda = value("lambda").toDouble();
    options.adversarialWeight = value("adversarial_weight").toDouble();
    options.identityWeight = value("identity_weight").toDouble();
    options.squaredError = value("squared_error").toBool();
    options.learningRate = value("learning_rate").toDouble();
    options.beta1 = value("beta1").toDouble();
    options.beta2 = value("beta2").toDouble();
    options.constantEpochs = value("constant_epochs").toInt();
    options.decayEpochs = value("decay_epochs").toInt();
    options.batchSize = value("batch_size").toInt();
    options.poolSize = value("pool_size").toInt();
    options.gradientMode = parseGradientMode(value("gradient_mode").toStringRef());
    options.seed = static_cast<uint64_t>(value("seed").toInt());
    options.discriminatorWidth = value("discriminator_width").toInt();
    options.discriminatorStridedLayers = value("discriminator_strided_layers").toInt();
    options.device = torch::Device(value("device").toStringRef());
    options.dtype = value("double_precision").toBool() ? torch::kDouble : torch::kFloat;
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

} // namespace

void
Trainer::saveModel(const std::string & path) const
{
  revgan::saveModel(path, *generator_, normalization_);
}

void
Trainer::saveCheckpoint(const std::string & path) const
{
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(std::string("revgan-checkpoint")));
  archive.write("format_version", c10::IValue(kModelFormatVersion));
  torch::serialize::OutputArchive model, options, generatorOptimizer, poolX, poolY;
  writeModel(model, *generator_, normalization_);
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
  saveArchive(archive, path);
}

std::unique_ptr<Trainer>
Trainer::resume(const std::string & path)
{
  torch::serialize::InputArchive archive = openArchive(path, "revgan-checkpoint");
  auto                           nested = [&](const char * key) { return readArchive(archive, key, path); };
  torch::serialize::InputArchive optionsArchive = nested("options");
  const TrainerOptions           options = readOptions(optionsArchive, path);
  torch::serialize::InputArchive modelArchive = nested("model");
  // The trainer builds its own generator; only the description is needed to do so.
  const Model description = readModelDescription(modelArchive, path);

  auto trainer = std::make_unique<Trainer>(description.spec, options, description.normalization);
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
  return trainer;
}

} // namespace revgan
