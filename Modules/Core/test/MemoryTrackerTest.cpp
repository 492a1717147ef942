// SPDX-License-Identifier: Apache-2.0
#include "revgan/MemoryTracker.h"
#include "revgan/CoreBenchmark.h"
#include "revgan/WeightInitialization.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace revgan
{
namespace
{

TEST(MemoryTracker, CountsTensorStorageAndPeak)
{
  ASSERT_TRUE(MemoryTracker::trackingInstalled());
  const int64_t before = MemoryTracker::currentBytes();
  MemoryTracker::resetPeak();
  {
    torch::Tensor a = torch::empty({ 1000, 1000 }); // 4,000,000 bytes
    EXPECT_EQ(MemoryTracker::currentBytes() - before, 4000000);
    {
      torch::Tensor b = torch::empty({ 500 }, torch::kDouble); // 4,000 bytes
      EXPECT_EQ(MemoryTracker::currentBytes() - before, 4004000);
    }
    EXPECT_EQ(MemoryTracker::currentBytes() - before, 4000000);
  }
  EXPECT_EQ(MemoryTracker::currentBytes(), before);
  EXPECT_EQ(MemoryTracker::peakBytes() - before, 4004000);
  MemoryTracker::resetPeak();
  EXPECT_EQ(MemoryTracker::peakBytes(), before);
}

// oneDNN's convolution path allocates through raw_allocate, which requires the DataPtr context to
// be the data pointer; a convolution must run (and be counted) under the tracking allocator.
TEST(MemoryTracker, WorksWithConvolutionKernels)
{
  torch::nn::Conv3d conv(torch::nn::Conv3dOptions(8, 8, 3).padding(1));
  torch::Tensor     x = torch::randn({ 2, 8, 24, 24, 24 }, torch::requires_grad());
  MemoryTracker::resetPeak();
  const int64_t before = MemoryTracker::currentBytes();
  torch::Tensor y = conv->forward(x);
  y.sum().backward();
  EXPECT_GE(MemoryTracker::peakBytes() - before, y.numel() * 4);
  EXPECT_EQ(x.grad().sizes(), x.sizes());
}

TEST(MemoryTracker, UnsupportedDeviceIsAnError)
{
  EXPECT_THROW(MemoryTracker::currentBytes(c10::Device(c10::DeviceType::XLA, 0)), std::invalid_argument);
}

StepMeasurement
measure(GradientMode mode, int64_t depth)
{
  torch::manual_seed(31);
  ReversibleSequence sequence(ReversibleSequenceOptions(depth, AdditiveCouplingOptions(32, 2)).gradient_mode(mode));
  initializeWeights(*sequence);
  const torch::Tensor input = torch::randn({ 1, 32, 48, 48 }).requires_grad_(true);
  measureSequenceStep(sequence, input); // first call: one-time allocations
  return measureSequenceStep(sequence, input);
}

// The paper's claim on our code: activation memory of reversible backpropagation does not grow with
// depth, while plain autograd's grows with every block.
TEST(MemoryTracker, ReversibleActivationMemoryIsConstantInDepth)
{
  const StepMeasurement reversible6 = measure(GradientMode::Reversible, 6);
  const StepMeasurement reversible30 = measure(GradientMode::Reversible, 30);
  const StepMeasurement naive6 = measure(GradientMode::Naive, 6);
  const StepMeasurement naive30 = measure(GradientMode::Naive, 30);
  const double          reversibleGrowth =
    static_cast<double>(reversible30.peakActivationBytes) / static_cast<double>(reversible6.peakActivationBytes);
  const double naiveGrowth =
    static_cast<double>(naive30.peakActivationBytes) / static_cast<double>(naive6.peakActivationBytes);
  std::cout << "peak activation bytes, depth 6 -> 30: reversible " << reversible6.peakActivationBytes << " -> "
            << reversible30.peakActivationBytes << " (x" << reversibleGrowth << "), naive "
            << naive6.peakActivationBytes << " -> " << naive30.peakActivationBytes << " (x" << naiveGrowth << ")\n";
  EXPECT_GT(reversible6.peakActivationBytes, 0);
  EXPECT_LE(reversibleGrowth, 1.1);
  EXPECT_GE(naiveGrowth, 3.0);
  EXPECT_LT(reversible6.peakActivationBytes, naive6.peakActivationBytes);
  EXPECT_EQ(reversible30.parameterBytes, 5 * reversible6.parameterBytes);
}

} // namespace
} // namespace revgan
