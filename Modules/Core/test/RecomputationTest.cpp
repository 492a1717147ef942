// SPDX-License-Identifier: Apache-2.0
// Recomputed activations (what the encoders and decoders do in reversible mode): plain autograd's
// gradients.
#include "GradientComparison.h"

#include "revgan/Recomputation.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace revgan
{
namespace
{

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

} // namespace
} // namespace revgan
