// SPDX-License-Identifier: Apache-2.0
// VolumeConvolution, the oneDNN route for small volumes: Conv3d's values and gradients, and which
// inputs it leaves to Conv3d.
#include "GradientComparison.h"

#include "revgan/VolumeConvolution.h"

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

} // namespace
} // namespace revgan
