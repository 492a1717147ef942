// The pieces behind revgan-bench's performance figures: the oneDNN route for small volumes, the
// convolution FLOP counter, and the memory of full training steps.
#include "GradientComparison.h"

#include "revgan/ConvolutionFlopCounter.h"
#include "revgan/Generators.h"
#include "revgan/Recomputation.h"
#include "revgan/TrainingBenchmark.h"
#include "revgan/VolumeConvolution.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

namespace revgan
{
namespace
{

using VolumeCase = std::tuple<PaddingMode, int64_t /*depth*/, int64_t /*batch*/>;
class VolumeConvolutionTest : public ::testing::TestWithParam<VolumeCase>
{
};

// The batch-of-halves route (batch 1) and the direct route (padBorder, then an unpadded
// convolution) must give Conv3d's values and gradients (only the summation order differs), for odd
// and even depths and every border mode.
TEST_P(VolumeConvolutionTest, MatchesConv3dValuesAndGradients)
{
  const auto [paddingMode, depth, batch] = GetParam();
  torch::manual_seed(3);
  ConvolutionSpec spec;
  spec.dimensions = 3;
  spec.inChannels = 8;
  spec.outChannels = 6;
  spec.kernelSize = 3;
  spec.padding = 1;
  spec.paddingMode = paddingMode;
  VolumeConvolution split(spec);
  torch::nn::Conv3d reference(torch::nn::Conv3dOptions(8, 6, 3).padding(1).padding_mode(
    paddingMode == PaddingMode::Reflect     ? torch::nn::detail::conv_padding_mode_t(torch::kReflect)
    : paddingMode == PaddingMode::Replicate ? torch::nn::detail::conv_padding_mode_t(torch::kReplicate)
                                            : torch::nn::detail::conv_padding_mode_t(torch::kZeros)));
  {
    torch::NoGradGuard noGrad;
    reference->weight.copy_(split->weight);
    reference->bias.copy_(split->bias);
  }
  const torch::Tensor input = torch::randn({ batch, 8, depth, 10, 9 });
  ASSERT_EQ(split->splitsAsBatch(input), batch == 1);
  const torch::Tensor target = torch::randn({ batch, 6, depth, 10, 9 });

  auto run = [&](torch::nn::Module & layer, auto & forward)
  {
    torch::Tensor x = input.clone().requires_grad_(true);
    (forward(x) - target).square().sum().backward();
    auto gradients = test::takeGradients(layer);
    gradients["<input>"] = x.grad().clone();
    return std::make_pair(forward(input).detach(), gradients);
  };
  auto splitForward = [&](const torch::Tensor & x) { return split->forward(x); };
  auto referenceForward = [&](const torch::Tensor & x) { return reference->forward(x); };
  auto [splitOutput, splitGradients] = run(*split, splitForward);
  auto [referenceOutput, referenceGradients] = run(*reference, referenceForward);
  ASSERT_EQ(splitOutput.sizes(), referenceOutput.sizes());
  EXPECT_LT((splitOutput - referenceOutput).abs().max().item<double>(), 1e-5);
  test::expectGradientsMatch(splitGradients, referenceGradients, 1e-4);
}

INSTANTIATE_TEST_SUITE_P(BordersAndDepths,
                         VolumeConvolutionTest,
                         ::testing::Values(VolumeCase{ PaddingMode::Zero, 7, 1 },
                                           VolumeCase{ PaddingMode::Zero, 8, 1 },
                                           VolumeCase{ PaddingMode::Reflect, 7, 1 },
                                           VolumeCase{ PaddingMode::Replicate, 12, 1 },
                                           VolumeCase{ PaddingMode::Zero, 7, 3 },
                                           VolumeCase{ PaddingMode::Reflect, 8, 3 },
                                           VolumeCase{ PaddingMode::Replicate, 7, 3 }));

TEST(VolumeConvolution, LeavesLargeBatchedAndStridedInputsToConv3d)
{
  ConvolutionSpec spec;
  spec.dimensions = 3;
  spec.inChannels = 64;
  spec.outChannels = 64;
  spec.padding = 1;
  VolumeConvolution layer(spec);
  EXPECT_TRUE(layer->splitsAsBatch(torch::zeros({ 1, 32, 16, 16, 16 }).narrow(1, 0, 32)));
  EXPECT_FALSE(layer->splitsAsBatch(torch::zeros({ 1, 64, 64, 64, 64 }))); // oneDNN already
  EXPECT_FALSE(layer->splitsAsBatch(torch::zeros({ 2, 64, 8, 8, 8 })));    // a batch already
  EXPECT_FALSE(layer->splitsAsBatch(torch::zeros({ 1, 64, 8, 8, 8 }, torch::kDouble)));
  spec.stride = 2;
  EXPECT_FALSE(VolumeConvolution(spec)->splitsAsBatch(torch::zeros({ 1, 64, 8, 8, 8 })));
}

TEST(ConvolutionFlopCounter, CountsForwardBackwardAndTransposedConvolutions)
{
  torch::nn::Conv2d          conv(torch::nn::Conv2dOptions(3, 4, 3).padding(1));
  torch::nn::ConvTranspose3d up(torch::nn::ConvTranspose3dOptions(4, 2, 3).stride(2).padding(1).output_padding(1));
  const double               convForward = 2.0 * (1 * 4 * 8 * 8) * (3 * 9);    // per output element: 3·3·3 MACs
  const double               upForward = 2.0 * (1 * 4 * 4 * 4 * 4) * (2 * 27); // per input element: 2·27 MACs
  ConvolutionFlopCounter     counter;
  {
    torch::NoGradGuard noGrad;
    conv->forward(torch::zeros({ 1, 3, 8, 8 }));
  }
  EXPECT_DOUBLE_EQ(counter.operations(), convForward);
  counter.reset();
  // Input and weight gradients: one forward's worth each.
  conv->forward(torch::zeros({ 1, 3, 8, 8 }, torch::requires_grad())).sum().backward();
  EXPECT_DOUBLE_EQ(counter.operations(), 3.0 * convForward);
  counter.reset();
  {
    torch::NoGradGuard noGrad;
    up->forward(torch::zeros({ 1, 4, 4, 4, 4 }));
  }
  EXPECT_DOUBLE_EQ(counter.operations(), upForward);
  EXPECT_THROW(ConvolutionFlopCounter second, std::logic_error);
}

TEST(Recomputation, GivesTheGradientsOfPlainAutogradAndStoresOnlyTheInput)
{
  torch::manual_seed(5);
  torch::nn::Sequential layers(torch::nn::Conv2d(torch::nn::Conv2dOptions(2, 16, 3).padding(1)),
                               torch::nn::InstanceNorm2d(16),
                               torch::nn::ReLU(),
                               torch::nn::Conv2d(torch::nn::Conv2dOptions(16, 2, 3).padding(1)));
  const torch::Tensor   input = torch::randn({ 1, 2, 16, 16 }, torch::kDouble);
  layers->to(torch::kDouble);
  auto gradientsOf = [&](bool recompute)
  {
    torch::Tensor x = input.clone().requires_grad_(true);
    torch::Tensor y = recompute ? runRecomputingActivations(
                                    layers.ptr(), [&](const torch::Tensor & t) { return layers->forward(t); }, x)
                                : layers->forward(x);
    y.square().sum().backward();
    auto gradients = test::takeGradients(*layers);
    gradients["<input>"] = x.grad().clone();
    return gradients;
  };
  test::expectGradientsMatch(gradientsOf(true), gradientsOf(false), 1e-12);
}

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
