#include "revgan/TrainingBenchmark.h"

#include "revgan/ConvolutionFlopCounter.h"
#include "revgan/DeviceSelection.h"
#include "revgan/MemoryTracker.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
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

} // namespace

TrainingStepFigures
measureTrainingSteps(const TrainingBenchmarkCase & benchmarkCase, int repetitions)
{
  if (repetitions < 1)
    throw std::invalid_argument("repetitions must be at least 1, got " + std::to_string(repetitions));
  if (benchmarkCase.size < 1 || benchmarkCase.size % benchmarkCase.spec.sizeMultiple() != 0)
  {
    throw std::invalid_argument(benchmarkCase.model + ": sample size " + std::to_string(benchmarkCase.size) +
                                " must be a positive multiple of " + std::to_string(benchmarkCase.spec.sizeMultiple()));
  }
  const torch::Device device = benchmarkCase.options.device;
  Trainer             trainer(benchmarkCase.spec, benchmarkCase.options);
  TrainingBatch       batch;
  batch.x = randomSamples(benchmarkCase, benchmarkCase.spec.channelsX);
  batch.y = randomSamples(benchmarkCase, benchmarkCase.spec.channelsY);

  TrainingStepFigures figures;
  figures.parameterBytes = trainer.parameterBytes();
  trainer.step(batch);

  std::vector<double> seconds;
  for (int i = 0; i < repetitions; ++i)
  {
    synchronizeDevice(device);
    const int64_t baseline = MemoryTracker::currentBytes(device);
    MemoryTracker::resetPeak(device);
    const auto start = std::chrono::steady_clock::now();
    trainer.step(batch);
    synchronizeDevice(device);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    figures.peakActivationBytes = std::max(figures.peakActivationBytes, MemoryTracker::peakBytes(device) - baseline);
  }
  std::sort(seconds.begin(), seconds.end());
  figures.seconds = seconds[seconds.size() / 2];

  // Counted apart from the timed steps: observing every operator call costs time.
  ConvolutionFlopCounter counter;
  trainer.step(batch);
  synchronizeDevice(device);
  figures.convolutionOperations = counter.operations();
  return figures;
}

} // namespace revgan
