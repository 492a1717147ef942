// SPDX-License-Identifier: Apache-2.0
#include "revgan/TrainingBenchmark.h"

#include "revgan/ConvolutionFlopCounter.h"
#include "revgan/DeviceSelection.h"
#include "revgan/MemoryTracker.h"
#include "revgan/OperatorProfile.h"
#include "revgan/UpperMedian.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>
#include <vector>

namespace revgan
{

namespace
{

torch::Tensor
randomSamples(const TrainingBenchmarkCase & benchmarkCase, int64_t channels)
{
  std::vector<int64_t> shape{ benchmarkCase.options.batchSize, channels };
  shape.insert(shape.end(), static_cast<size_t>(benchmarkCase.spec.dimensions), benchmarkCase.size);
  return torch::rand(shape, torch::TensorOptions().device(benchmarkCase.options.device)) * 2.0 - 1.0;
}

/// A case's trainer and batch, after one warm-up step (which creates gradients, optimizer state
/// and LibTorch's scratch buffers).
struct WarmTrainer
{
  explicit WarmTrainer(const TrainingBenchmarkCase & benchmarkCase, int repetitions)
    : device(benchmarkCase.options.device)
    , trainer(checked(benchmarkCase, repetitions).spec, benchmarkCase.options)
  {
    batch.x = randomSamples(benchmarkCase, benchmarkCase.spec.channelsX);
    batch.y = randomSamples(benchmarkCase, benchmarkCase.spec.channelsY);
    if (benchmarkCase.memoryBudgetBytes > 0)
      budgetChoice = chooseGradientMode(trainer, batch, benchmarkCase.memoryBudgetBytes);
    trainer.step(batch);
  }

  /// Wall-clock seconds of one more step.
  double
  timedStep()
  {
    synchronizeDevice(device);
    const auto start = std::chrono::steady_clock::now();
    trainer.step(batch);
    synchronizeDevice(device);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  static const TrainingBenchmarkCase &
  checked(const TrainingBenchmarkCase & benchmarkCase, int repetitions)
  {
    if (repetitions < 1)
      throw std::invalid_argument("repetitions must be at least 1, got " + std::to_string(repetitions));
    if (benchmarkCase.size < 1 || benchmarkCase.size % benchmarkCase.spec.sizeMultiple() != 0)
    {
      throw std::invalid_argument(benchmarkCase.model + ": sample size " + std::to_string(benchmarkCase.size) +
                                  " must be a positive multiple of " +
                                  std::to_string(benchmarkCase.spec.sizeMultiple()));
    }
    return benchmarkCase;
  }

  torch::Device                     device;
  Trainer                           trainer;
  TrainingBatch                     batch;
  std::optional<GradientModeChoice> budgetChoice;
};

} // namespace

TrainingStepFigures
measureTrainingSteps(const TrainingBenchmarkCase & benchmarkCase, int repetitions)
{
  WarmTrainer         warm(benchmarkCase, repetitions);
  TrainingStepFigures figures;
  figures.parameterBytes = warm.trainer.parameterBytes();
  figures.mode = warm.trainer.options().gradientMode;
  figures.budgetChoice = warm.budgetChoice;
  std::vector<double> seconds;
  for (int i = 0; i < repetitions; ++i)
  {
    synchronizeDevice(warm.device);
    const int64_t baseline = MemoryTracker::currentBytes(warm.device);
    MemoryTracker::resetPeak(warm.device);
    seconds.push_back(warm.timedStep());
    figures.peakActivationBytes =
      std::max(figures.peakActivationBytes, MemoryTracker::peakBytes(warm.device) - baseline);
  }
  figures.seconds = upperMedian(std::move(seconds));

  // Counted apart from the timed steps: observing every operator call costs time.
  ConvolutionFlopCounter counter;
  warm.trainer.step(warm.batch);
  synchronizeDevice(warm.device);
  figures.convolutionOperations = counter.operations();
  return figures;
}

ProfiledTrainingStep
profileTrainingSteps(const TrainingBenchmarkCase & benchmarkCase, int repetitions)
{
  WarmTrainer         warm(benchmarkCase, repetitions);
  std::vector<double> seconds;
  for (int i = 0; i < repetitions; ++i)
    seconds.push_back(warm.timedStep());
  ProfiledTrainingStep result;
  result.seconds = upperMedian(std::move(seconds));

  OperatorProfile profile;
  double          observed = 0.0;
  for (int i = 0; i < repetitions; ++i)
    observed += warm.timedStep();
  const double steps = static_cast<double>(repetitions);
  result.profiledSeconds = observed / steps;
  result.operatorSeconds = profile.operatorSeconds() / steps;
  result.entries = profile.entries();
  for (OperatorProfile::Entry & entry : result.entries)
  {
    entry.seconds /= steps;
    entry.recomputationSeconds /= steps;
    entry.calls = static_cast<int64_t>(static_cast<double>(entry.calls) / steps + 0.5);
  }
  return result;
}

DataParallelStepFigures
measureDataParallelSteps(const TrainingBenchmarkCase &              benchmarkCase,
                         const std::shared_ptr<DataParallelGroup> & group,
                         int                                        warmup,
                         int                                        steps)
{
  if (warmup < 0 || steps < 1)
    throw std::invalid_argument("warm-up iterations must not be negative and measured ones positive");
  const GeneratorSpec & spec = benchmarkCase.spec;
  Trainer               trainer(spec, benchmarkCase.options);
  trainer.setDataParallel(group);
  // The same images in every process, as every process of a job reads the same files.
  torch::manual_seed(1);
  std::vector<int64_t>       imageShape(static_cast<size_t>(spec.dimensions), 2 * benchmarkCase.size);
  std::vector<int64_t>       patch(static_cast<size_t>(spec.dimensions), benchmarkCase.size);
  std::vector<torch::Tensor> xs, ys;
  for (int i = 0; i < 2; ++i)
  {
    std::vector<int64_t> shapeX{ spec.channelsX }, shapeY{ spec.channelsY };
    shapeX.insert(shapeX.end(), imageShape.begin(), imageShape.end());
    shapeY.insert(shapeY.end(), imageShape.begin(), imageShape.end());
    xs.push_back(torch::rand(shapeX) * 2.0 - 1.0);
    ys.push_back(torch::rand(shapeY) * 2.0 - 1.0);
  }
  const int64_t globalBatch = benchmarkCase.options.batchSize * group->worldSize();
  const bool    paired = benchmarkCase.options.objective == Objective::Paired;
  CropSource    source(xs, ys, patch, paired, /*randomFlips=*/true, (warmup + steps) * globalBatch);

  const torch::Device                   device = benchmarkCase.options.device;
  std::vector<double>                   seconds;
  double                                communicationAtStart = 0.0;
  int64_t                               baseline = 0;
  DataParallelStepFigures               figures;
  std::chrono::steady_clock::time_point last;
  auto                                  startMeasuring = [&]
  {
    synchronizeDevice(device);
    baseline = MemoryTracker::currentBytes(device);
    MemoryTracker::resetPeak(device);
    communicationAtStart = group->communicationSeconds();
    last = std::chrono::steady_clock::now();
  };
  if (warmup == 0)
    startMeasuring();
  trainer.train(source,
                1,
                [&](const TrainingProgress & progress)
                {
                  if (progress.iteration == warmup)
                  {
                    startMeasuring();
                    return;
                  }
                  if (progress.iteration < warmup)
                    return;
                  synchronizeDevice(device);
                  const auto now = std::chrono::steady_clock::now();
                  seconds.push_back(std::chrono::duration<double>(now - last).count());
                  last = now;
                });
  if (seconds.empty())
    throw std::logic_error("no iteration was measured");
  figures.peakActivationBytes = MemoryTracker::peakBytes(device) - baseline;
  figures.communicationSecondsPerStep =
    (group->communicationSeconds() - communicationAtStart) / static_cast<double>(seconds.size());
  figures.secondsPerStep = upperMedian(std::move(seconds));
  return figures;
}

} // namespace revgan
