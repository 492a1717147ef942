// SPDX-License-Identifier: Apache-2.0
// The Trainer's optimisation: the objectives, the updates and the schedule. Its checkpoints and
// model files are in TrainerCheckpoint.cpp.
#include "revgan/Trainer.h"

#include "ModelArchive.h"
#include "revgan/DeviceSelection.h"
#include "revgan/MemoryTracker.h"
#include "revgan/ReversibleSequence.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace revgan
{

Trainer::Trainer(const GeneratorSpec & spec, const TrainerOptions & options, IntensityNormalization normalization)
  : spec_(spec)
  , options_(options)
  , normalization_(std::move(normalization))
  , poolX_(options.poolSize)
  , poolY_(options.poolSize)
  , guard_(options.spikeFactor)
{
  options_.validate();
  spec_.validate();
  torch::manual_seed(options_.seed);
  generator_ = makeGenerator(spec_, options_.gradientMode);
  generator_->to(options_.device, options_.precision);
  generatorOptimizer_ = std::make_unique<torch::optim::Adam>(
    generator_->parameters(),
    torch::optim::AdamOptions(options_.learningRate).betas({ options_.beta1, options_.beta2 }));

  if (options_.ganWeight > 0.0)
  {
    const bool    paired = options_.objective == Objective::Paired;
    const int64_t stridedLayers =
      options_.discriminatorLayers > 0 ? options_.discriminatorLayers : (spec_.dimensions == 2 ? 3 : 2);
    auto discriminatorFor = [&](int64_t channels)
    {
      return PatchDiscriminator(
        PatchDiscriminatorOptions(paired ? spec_.channelsX + spec_.channelsY : channels, spec_.dimensions)
          .width(options_.discriminatorWidth)
          .strided_layers(stridedLayers));
    };
    discriminatorX_ = discriminatorFor(spec_.channelsX);
    discriminatorY_ = discriminatorFor(spec_.channelsY);
    discriminatorX_->to(options_.device, options_.precision);
    discriminatorY_->to(options_.device, options_.precision);
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
  const double decayed = static_cast<double>(std::max<int64_t>(0, epoch + 1 - options_.epochs));
  const double factor = 1.0 - decayed / static_cast<double>(options_.decayEpochs + 1);
  return options_.learningRate * std::max(0.0, factor);
}

double
Trainer::learningRateAt(int64_t epoch, int64_t iteration, int64_t iterationsPerEpoch) const
{
  double rate = learningRateForEpoch(epoch) * guard_.rateScale();
  if (options_.warmupIterations > 0)
  {
    const double done = static_cast<double>(epoch * iterationsPerEpoch + iteration + 1);
    rate *= std::min(1.0, done / static_cast<double>(options_.warmupIterations));
  }
  return rate;
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
Trainer::applyGradients(torch::optim::Optimizer & optimizer,
                        const torch::Tensor &     loss,
                        const std::string &       what,
                        bool                      guarded)
{
  optimizer.zero_grad();
  loss.backward();
  torch::Tensor averagedLoss = loss.detach().reshape({ 1 }).to(torch::kDouble).clone();
  // The parameters with gradients (what clipping scales), and those gradients.
  std::vector<torch::Tensor> owners, gradients;
  for (const auto & group : optimizer.param_groups())
  {
    for (const auto & parameter : group.params())
    {
      if (!parameter.grad().defined())
        continue;
      owners.push_back(parameter);
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
  // One reduction per gradient, stacked into one value: the finiteness check waits for the device
  // twice (the loss and that value), whatever the number of parameters. (The step also reads each
  // loss term it reports, .item() in generatorObjective and the discriminators' updates.)
  std::vector<torch::Tensor> finite;
  for (const auto & gradient : gradients)
    finite.push_back(gradient.isfinite().all());
  const double lossValue = averagedLoss.item<double>();
  const bool   finiteGradients = finite.empty() || torch::stack(finite).all().item<bool>();
  const bool   allFinite = std::isfinite(lossValue) && finiteGradients;
  // Without a snapshot (a first loss already not finite) there is nothing to return to.
  if (guarded && guard_.enabled() && (!allFinite || guard_.isSpike(lossValue)) && !snapshot_.empty())
  {
    optimizer.zero_grad();
    std::ostringstream spike;
    spike << "epoch " << epoch_ + 1 << ", iteration " << iterationInEpoch_ + 1 << ": ";
    if (!std::isfinite(lossValue))
      spike << "the " << what << " loss is " << lossValue;
    else if (!finiteGradients)
      spike << "a gradient of the " << what << " update is not finite";
    else
      spike << "the " << what << " loss " << lossValue << " is " << lossValue / guard_.median() << " times the median "
            << guard_.median() << " of the last " << guard_.window() << " updates";
    returnToSnapshot(spike.str());
    return false;
  }
  if (allFinite)
  {
    if (guarded && guard_.enabled())
    {
      if (guard_.snapshotDue(lossValue))
      {
        snapshot_ = serializeState(true);
        snapshotEpoch_ = epoch_;
        snapshotIteration_ = iterationInEpoch_;
        guard_.markSnapshot();
      }
      guard_.record(lossValue);
    }
    if (options_.clipGradientNorm > 0.0)
      torch::nn::utils::clip_grad_norm_(owners, options_.clipGradientNorm);
    optimizer.step();
    return true;
  }
  optimizer.zero_grad();
  if (options_.skipNonFinite)
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

std::string
Trainer::serializeState(bool optimizers) const
{
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive generator;
  generator_->save(generator);
  archive.write("generator", generator);
  if (optimizers)
  {
    torch::serialize::OutputArchive generatorOptimizer;
    generatorOptimizer_->save(generatorOptimizer);
    archive.write("generator_optimizer", generatorOptimizer);
    if (discriminatorOptimizer_)
    {
      torch::serialize::OutputArchive discriminatorX, discriminatorY, discriminatorOptimizer;
      discriminatorX_->save(discriminatorX);
      discriminatorY_->save(discriminatorY);
      discriminatorOptimizer_->save(discriminatorOptimizer);
      archive.write("discriminator_x", discriminatorX);
      archive.write("discriminator_y", discriminatorY);
      archive.write("discriminator_optimizer", discriminatorOptimizer);
    }
  }
  return archiveBytes(archive);
}

void
Trainer::restoreState(const std::string & bytes, bool optimizers)
{
  torch::serialize::InputArchive archive;
  archive.load_from(bytes.data(), bytes.size(), options_.device);
  torch::serialize::InputArchive generator;
  archive.read("generator", generator);
  generator_->load(generator);
  if (!optimizers)
    return;
  torch::serialize::InputArchive generatorOptimizer;
  archive.read("generator_optimizer", generatorOptimizer);
  generatorOptimizer_->load(generatorOptimizer);
  if (discriminatorOptimizer_)
  {
    torch::serialize::InputArchive discriminatorX, discriminatorY, discriminatorOptimizer;
    archive.read("discriminator_x", discriminatorX);
    archive.read("discriminator_y", discriminatorY);
    archive.read("discriminator_optimizer", discriminatorOptimizer);
    discriminatorX_->load(discriminatorX);
    discriminatorY_->load(discriminatorY);
    discriminatorOptimizer_->load(discriminatorOptimizer);
  }
}

void
Trainer::returnToSnapshot(const std::string & what)
{
  restoreState(snapshot_, true);
  guard_.recover(what); // throws, the weights back at the snapshot, when returning has stopped helping
  std::ostringstream event;
  event << what << "; returned to the weights of epoch " << snapshotEpoch_ + 1 << ", iteration "
        << snapshotIteration_ + 1 << " and halved the learning rate (now " << guard_.rateScale()
        << " of the schedule's)";
  pendingEvent_ = event.str();
}

void
Trainer::setValidation(ValidationSet set, int64_t interval)
{
  if (interval < 0)
    throw std::invalid_argument("the validation interval must not be negative, got " + std::to_string(interval));
  validation_ = std::move(set);
  validationInterval_ = interval;
}

double
Trainer::validate()
{
  const double rmse = validation_.rmse(*generator_, normalization_, options_.device, options_.precision);
  if (std::isfinite(rmse) && (!bestValidation_ || rmse < bestValidation_->rmse))
  {
    bestValidation_ = ValidationRecord{ rmse, epoch_, iterationInEpoch_ };
    bestWeights_ = serializeState(false);
  }
  return rmse;
}

bool
Trainer::restoreBestWeights()
{
  if (bestWeights_.empty())
    return false;
  restoreState(bestWeights_, false);
  return true;
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
  const torch::Tensor x = batch.x.to(options_.device, options_.precision);
  const torch::Tensor y = batch.y.to(options_.device, options_.precision);
  const bool          adversarial = options_.ganWeight > 0.0;
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
  const torch::Tensor x = batch.x.to(options_.device, options_.precision);
  const torch::Tensor y = batch.y.to(options_.device, options_.precision);
  GeneratorObjective  objective = generatorObjective(x, y);
  const bool          adversarial = options_.ganWeight > 0.0;
  const bool          generatorUpdated = applyGradients(*generatorOptimizer_, objective.loss, "generator", true);
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
  if (options_.ganWeight > 0.0)
  {
    // The generator is judged by discriminators that this update must not change.
    setDiscriminatorsTrainable(false);
    const torch::Tensor ganXY = adversarialLoss(discriminatorY_->forward(objective.fakeY), true, options_.ganLoss);
    const torch::Tensor ganYX = adversarialLoss(discriminatorX_->forward(objective.fakeX), true, options_.ganLoss);
    objective.loss = objective.loss + options_.ganWeight * (ganXY + ganYX);
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
  { return options_.reconstructionLoss == ReconstructionLoss::L2 ? torch::mse_loss(a, b) : meanAbsoluteError(a, b); };
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
  const int64_t totalEpochs = options_.epochs + options_.decayEpochs;
  const int64_t lastEpoch = untilEpoch < 0 ? totalEpochs : std::min(untilEpoch, totalEpochs);
  const int64_t processes = dataParallel_ ? dataParallel_->worldSize() : 1;
  const int64_t rank = dataParallel_ ? dataParallel_->rank() : 0;
  const int64_t globalBatch = options_.batchSize * processes;
  // An epoch holds samplesPerEpoch samples however many processes share them.
  const int64_t iterationsPerEpoch = std::max<int64_t>(1, source.samplesPerEpoch() / globalBatch);
  const bool    validates = !validation_.empty();
  if (validates && !bestValidation_ && epoch_ < lastEpoch)
    validate(); // the weights training starts from: the run cannot end with worse ones
  while (epoch_ < lastEpoch)
  {
    while (iterationInEpoch_ < iterationsPerEpoch)
    {
      if (stopRequested())
        return;
      const double rate = learningRateAt(epoch_, iterationInEpoch_, iterationsPerEpoch);
      setLearningRate(rate);
      const auto        start = std::chrono::steady_clock::now();
      const SampleShare share{
        options_.seed, epoch_, iterationInEpoch_, rank * options_.batchSize, options_.batchSize
      };
      const LossValues losses = step(drawSamples(source, share));
      const double     seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      ++iterationInEpoch_;
      std::optional<double> validationRmse;
      const int64_t         done = epoch_ * iterationsPerEpoch + iterationInEpoch_;
      if (validates &&
          (iterationInEpoch_ == iterationsPerEpoch || (validationInterval_ > 0 && done % validationInterval_ == 0)))
        validationRmse = validate();
      if (!onIteration)
        pendingEvent_.clear();
      else
      {
        TrainingProgress progress;
        progress.epoch = epoch_;
        progress.iteration = iterationInEpoch_;
        progress.iterationsPerEpoch = iterationsPerEpoch;
        progress.totalEpochs = totalEpochs;
        progress.learningRate = rate;
        progress.samplesPerSecond = seconds > 0.0 ? static_cast<double>(globalBatch) / seconds : 0.0;
        progress.losses = losses;
        progress.validates = validates;
        progress.validationRmse = validationRmse;
        progress.bestValidation = bestValidation_;
        progress.event = std::exchange(pendingEvent_, {});
        onIteration(progress);
      }
    }
    iterationInEpoch_ = 0;
    ++epoch_;
  }
}

} // namespace revgan
