// SPDX-License-Identifier: Apache-2.0
#include "revgan/CoreBenchmark.h"

#include "revgan/DeviceSelection.h"
#include "revgan/MemoryTracker.h"
#include "revgan/UpperMedian.h"
#include "revgan/WeightInitialization.h"

#include <torch/torch.h>

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

namespace revgan
{

StepMeasurement
measureSequenceStep(ReversibleSequence & sequence, const torch::Tensor & input, Direction direction)
{
  const torch::Device device = input.device();
  StepMeasurement     result;
  for (auto & parameter : sequence->parameters())
  {
    result.parameterBytes += parameter.numel() * static_cast<int64_t>(parameter.element_size());
    if (parameter.grad().defined())
      parameter.mutable_grad().zero_();
    else
      parameter.mutable_grad() = torch::zeros_like(parameter);
  }
  synchronizeDevice(device);
  const int64_t baseline = MemoryTracker::currentBytes(device);
  MemoryTracker::resetPeak(device);

  const auto start = std::chrono::steady_clock::now();
  {
    torch::Tensor output = sequence->run(input, direction);
    output.sum().backward();
  }
  synchronizeDevice(device);
  const auto stop = std::chrono::steady_clock::now();

  result.seconds = std::chrono::duration<double>(stop - start).count();
  result.peakActivationBytes = MemoryTracker::peakBytes(device) - baseline;
  return result;
}

std::vector<CoreBenchmarkRow>
runCoreBenchmark(const CoreBenchmarkSettings & settings, const std::function<void(const CoreBenchmarkRow &)> & onRow)
{
  if (settings.repetitions < 1)
  {
    throw std::invalid_argument("repetitions must be at least 1, got " + std::to_string(settings.repetitions));
  }
  if (settings.size < 3 || settings.channels < 2 || settings.batch < 1)
  {
    throw std::invalid_argument("benchmark input must have size >= 3, channels >= 2 and batch >= 1");
  }
  std::vector<int64_t> shape{ settings.batch, settings.channels };
  shape.insert(shape.end(), static_cast<size_t>(settings.dimensions), settings.size);

  std::vector<CoreBenchmarkRow> rows;
  for (const int64_t depth : settings.depths)
  {
    for (const GradientMode mode : settings.modes)
    {
      torch::manual_seed(settings.seed);
      ReversibleSequence sequence(
        ReversibleSequenceOptions(depth, AdditiveCouplingOptions(settings.channels, settings.dimensions))
          .gradient_mode(mode));
      initializeWeights(*sequence);
      sequence->to(settings.device);
      torch::Tensor input = torch::randn(shape, torch::TensorOptions().device(settings.device));

      measureSequenceStep(sequence, input); // warm-up: first-call allocations and kernel selection
      std::vector<StepMeasurement> steps;
      for (int i = 0; i < settings.repetitions; ++i)
      {
        steps.push_back(measureSequenceStep(sequence, input));
      }
      CoreBenchmarkRow row;
      row.mode = mode;
      row.depth = depth;
      row.measurement = upperMedian(std::move(steps), &StepMeasurement::seconds);
      rows.push_back(row);
      if (onRow)
        onRow(row);
    }
  }
  return rows;
}

} // namespace revgan
