// SPDX-License-Identifier: Apache-2.0
// Reversible (recomputing) backward must give the same gradients as plain autograd.
#include "GradientComparison.h"

#include "revgan/ReversibleSequence.h"
#include "revgan/WeightInitialization.h"

#include <gtest/gtest.h>

#include <tuple>

namespace revgan
{
namespace
{

using GradientCase = std::tuple<int64_t /*dimensions*/, int64_t /*depth*/, Direction, torch::ScalarType, Normalization>;

class ReversibleGradientTest : public ::testing::TestWithParam<GradientCase>
{
};

TEST_P(ReversibleGradientTest, MatchesNaiveAutograd)
{
  const auto [dimensions, depth, direction, dtype, normalization] = GetParam();
  torch::manual_seed(7);
  ReversibleSequence sequence(
    ReversibleSequenceOptions(depth, AdditiveCouplingOptions(8, dimensions).normalization(normalization)));
  initializeWeights(*sequence);
  sequence->to(dtype);

  const auto          options = torch::TensorOptions().dtype(dtype);
  const torch::Tensor input =
    dimensions == 2 ? torch::randn({ 2, 8, 10, 12 }, options) : torch::randn({ 1, 8, 6, 7, 5 }, options);
  const torch::Tensor lossWeights = torch::randn(input.sizes(), options);

  auto gradientsIn = [&, direction = direction](GradientMode mode) // C++17 lambdas cannot capture bindings
  {
    sequence->setGradientMode(mode);
    torch::Tensor x = input.clone().requires_grad_(true);
    (sequence->run(x, direction) * lossWeights).sum().backward();
    auto gradients = test::takeGradients(*sequence);
    gradients["<input>"] = x.grad().clone();
    return gradients;
  };
  const auto naive = gradientsIn(GradientMode::Naive);
  const auto reversible = gradientsIn(GradientMode::Reversible);

  ASSERT_EQ(naive.size(), static_cast<size_t>(depth * 8 + 1)); // 2 branches × 2 convs × (weight, bias)
  test::expectGradientsMatch(reversible, naive, dtype == torch::kDouble ? 1e-8 : 1e-3);
}

std::string
caseName(const ::testing::TestParamInfo<GradientCase> & info)
{
  const auto [dimensions, depth, direction, dtype, normalization] = info.param;
  return std::to_string(dimensions) + "D_depth" + std::to_string(depth) + "_" + toString(direction) + "_" +
         (dtype == torch::kDouble ? "double" : "float") + "_" + toString(normalization) + "Norm";
}

INSTANTIATE_TEST_SUITE_P(DepthsDimensionsDirections,
                         ReversibleGradientTest,
                         ::testing::Combine(::testing::Values(2, 3),
                                            ::testing::Values(1, 6, 30),
                                            ::testing::Values(Direction::Forward, Direction::Inverse),
                                            ::testing::Values(torch::kDouble, torch::kFloat),
                                            ::testing::Values(Normalization::Instance, Normalization::None)),
                         caseName);

} // namespace
} // namespace revgan
