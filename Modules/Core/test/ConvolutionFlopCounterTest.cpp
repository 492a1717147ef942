// SPDX-License-Identifier: Apache-2.0
// The convolution FLOP counter behind revgan-bench's GFLOP/s: forward, backward and transposed
// convolutions counted in closed form.
#include "revgan/ConvolutionFlopCounter.h"

#include <gtest/gtest.h>
#include <stdexcept>
#include <torch/torch.h>

namespace revgan
{
namespace
{

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

} // namespace
} // namespace revgan
