// SPDX-License-Identifier: Apache-2.0
// SubPixelConvTranspose2d against LibTorch's ConvTranspose2d: values and gradients.
#include "revgan/SubPixelConvTranspose2d.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace revgan
{
namespace
{

/// The decoders' 2× upsampling: kernel 3, stride 2, padding 1, output padding 1.
ConvolutionSpec
upsampling(int64_t in, int64_t out, bool bias = true)
{
  ConvolutionSpec spec;
  spec.inChannels = in;
  spec.outChannels = out;
  spec.kernelSize = 3;
  spec.stride = 2;
  spec.padding = 1;
  spec.outputPadding = 1;
  spec.bias = bias;
  spec.transposed = true;
  return spec;
}

double
largestDifference(const torch::Tensor & a, const torch::Tensor & b)
{
  return (a - b).abs().max().item<double>();
}

TEST(SubPixelConvTranspose2d, MatchesConvTranspose2dValuesAndGradients)
{
  torch::manual_seed(8);
  for (const bool bias : { true, false })
  {
    for (const auto & shape : { std::vector<int64_t>{ 2, 5, 7, 6 }, std::vector<int64_t>{ 1, 5, 1, 9 } })
    {
      SCOPED_TRACE(std::string(bias ? "bias, " : "no bias, ") + std::to_string(shape[2]) + "x" +
                   std::to_string(shape[3]));
      const ConvolutionSpec      spec = upsampling(5, 3, bias);
      SubPixelConvTranspose2d    ours(spec);
      torch::nn::ConvTranspose2d reference(
        torch::nn::ConvTranspose2dOptions(5, 3, 3).stride(2).padding(1).output_padding(1).bias(bias));
      ours->to(torch::kDouble);
      reference->to(torch::kDouble);
      {
        torch::NoGradGuard noGrad;
        reference->weight.copy_(ours->weight);
        if (bias)
          reference->bias.copy_(ours->bias);
      }
      ASSERT_TRUE(ours->isSubPixel());
      const torch::Tensor input = torch::randn(shape, torch::kDouble);
      torch::Tensor       x1 = input.clone().requires_grad_(true), x2 = input.clone().requires_grad_(true);
      const torch::Tensor y1 = ours->forward(x1), y2 = reference->forward(x2);
      ASSERT_EQ(y1.sizes(), y2.sizes());
      EXPECT_LT(largestDifference(y1, y2), 1e-12);
      // A gradient that differs in every output pixel, so that a pixel of the wrong phase shows.
      const torch::Tensor outputGradient = torch::randn(y2.sizes(), torch::kDouble);
      y1.backward(outputGradient);
      y2.backward(outputGradient);
      EXPECT_LT(largestDifference(x1.grad(), x2.grad()), 1e-12);
      EXPECT_LT(largestDifference(ours->weight.grad(), reference->weight.grad()), 1e-12);
      if (bias)
      {
        EXPECT_LT(largestDifference(ours->bias.grad(), reference->bias.grad()), 1e-12);
      }
    }
  }
}

TEST(SubPixelConvTranspose2d, OtherConfigurationsTakeConvTranspose2dsPath)
{
  ConvolutionSpec spec = upsampling(4, 2);
  spec.outputPadding = 0;
  EXPECT_FALSE(SubPixelConvTranspose2d(spec)->isSubPixel()); // no output padding
  spec.stride = 1;
  SubPixelConvTranspose2d plain(spec);
  EXPECT_FALSE(plain->isSubPixel());
  EXPECT_EQ(plain->forward(torch::zeros({ 1, 4, 5, 6 })).sizes(), (std::vector<int64_t>{ 1, 2, 5, 6 }));
}

} // namespace
} // namespace revgan
