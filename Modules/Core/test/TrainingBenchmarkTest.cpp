// SPDX-License-Identifier: Apache-2.0
// Full training steps as revgan-bench measures them: the memory of reversible and plain-autograd
// steps against depth, and the sizes a network cannot take.
#include "revgan/TrainingBenchmark.h"

#include <gtest/gtest.h>
#include <stdexcept>
#include <torch/torch.h>

namespace revgan
{
namespace
{

TrainingBenchmarkCase
smallRevGAN(int64_t depth, GradientMode mode)
{
  TrainingBenchmarkCase benchmarkCase;
  benchmarkCase.model = "revgan";
  benchmarkCase.spec.kind = GeneratorKind::RevGAN;
  benchmarkCase.spec.width = 8;
  benchmarkCase.spec.depth = depth;
  benchmarkCase.options = TrainerOptions::forObjective(Objective::Unpaired);
  benchmarkCase.options.gradientMode = mode;
  benchmarkCase.options.discriminatorWidth = 8;
  benchmarkCase.size = 32;
  return benchmarkCase;
}

// The paper's claim on a full unpaired step (four core calls, two discriminators, Adam): with
// reversible cores and recomputed encoders/decoders, activations do not grow with depth.
TEST(TrainingBenchmark, ReversibleStepMemoryIsFlatInDepthAndNaiveGrows)
{
  const auto reversible2 = measureTrainingSteps(smallRevGAN(2, GradientMode::Reversible), 1);
  const auto reversible8 = measureTrainingSteps(smallRevGAN(8, GradientMode::Reversible), 1);
  const auto naive2 = measureTrainingSteps(smallRevGAN(2, GradientMode::Naive), 1);
  const auto naive8 = measureTrainingSteps(smallRevGAN(8, GradientMode::Naive), 1);
  EXPECT_GT(reversible8.parameterBytes, reversible2.parameterBytes);
  EXPECT_EQ(naive8.parameterBytes, reversible8.parameterBytes);
  EXPECT_LE(reversible8.peakActivationBytes, reversible2.peakActivationBytes * 105 / 100);
  EXPECT_GT(naive8.peakActivationBytes, naive2.peakActivationBytes * 3 / 2);
  EXPECT_LT(reversible2.peakActivationBytes, naive2.peakActivationBytes);
  EXPECT_GT(reversible2.seconds, 0.0);
  // Convolutions of one step: more in reversible mode (recomputation), and more with depth.
  EXPECT_GT(reversible2.convolutionOperations, naive2.convolutionOperations);
  EXPECT_GT(naive8.convolutionOperations, naive2.convolutionOperations);
}

TEST(TrainingBenchmark, RejectsSizesTheNetworkCannotTake)
{
  auto benchmarkCase = smallRevGAN(2, GradientMode::Reversible);
  benchmarkCase.size = 30; // two downsamplings need a multiple of 4
  EXPECT_THROW(measureTrainingSteps(benchmarkCase, 1), std::invalid_argument);
  EXPECT_THROW(measureTrainingSteps(smallRevGAN(2, GradientMode::Naive), 0), std::invalid_argument);
}

} // namespace
} // namespace revgan
