// SPDX-License-Identifier: Apache-2.0
// padBorder against LibTorch's own replication and reflection padding: values and gradients.
#include "revgan/BorderPadding.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace revgan
{
namespace
{

using PaddingCase = std::tuple<PaddingMode, std::vector<int64_t> /*shape*/, int64_t /*width*/>;
class BorderPaddingTest : public ::testing::TestWithParam<PaddingCase>
{
};

TEST_P(BorderPaddingTest, MatchesLibTorchPaddingValuesAndGradients)
{
  namespace F = torch::nn::functional;
  const auto [mode, shape, width] = GetParam();
  torch::manual_seed(5);
  const torch::Tensor input = torch::randn(shape, torch::kDouble);
  const int64_t       spatial = input.dim() - 2;
  const auto          options = F::PadFuncOptions(std::vector<int64_t>(static_cast<size_t>(2 * spatial), width))
                         .mode(mode == PaddingMode::Reflect ? F::PadFuncOptions::mode_t(torch::kReflect)
                                                            : F::PadFuncOptions::mode_t(torch::kReplicate));
  torch::Tensor       ours = input.clone().requires_grad_(true);
  torch::Tensor       theirs = input.clone().requires_grad_(true);
  const torch::Tensor padded = padBorder(ours, width, mode);
  const torch::Tensor reference = F::pad(theirs, options);
  ASSERT_EQ(padded.sizes(), reference.sizes());
  EXPECT_TRUE(torch::equal(padded, reference)); // copies only: bit for bit

  // A gradient that differs in every voxel, so that any voxel folded onto the wrong source shows.
  const torch::Tensor outputGradient = torch::randn(reference.sizes(), torch::kDouble);
  padded.backward(outputGradient);
  reference.backward(outputGradient);
  EXPECT_LT((ours.grad() - theirs.grad()).abs().max().item<double>(), 1e-12);
}

INSTANTIATE_TEST_SUITE_P(
  ModesShapesWidths,
  BorderPaddingTest,
  ::testing::Values(PaddingCase{ PaddingMode::Replicate, { 2, 3, 5, 6, 7 }, 1 },
                    PaddingCase{ PaddingMode::Replicate, { 1, 2, 4, 3, 5 }, 3 }, // wider than an axis
                    PaddingCase{ PaddingMode::Replicate, { 2, 3, 6, 5 }, 2 },
                    PaddingCase{ PaddingMode::Reflect, { 2, 3, 5, 6, 7 }, 1 },
                    PaddingCase{ PaddingMode::Reflect, { 1, 2, 4, 5, 6 }, 3 },
                    PaddingCase{ PaddingMode::Reflect, { 2, 3, 9, 8 }, 3 }));

TEST(BorderPadding, RejectsWhatCannotBePadded)
{
  EXPECT_THROW(padBorder(torch::zeros({ 1, 2, 3, 3 }), 3, PaddingMode::Reflect), std::invalid_argument);
  EXPECT_THROW(padBorder(torch::zeros({ 1, 2, 3, 3 }), 1, PaddingMode::Zero), std::invalid_argument);
  EXPECT_THROW(padBorder(torch::zeros({ 4, 4 }), 1, PaddingMode::Replicate), std::invalid_argument);
  EXPECT_THROW(padBorder(torch::zeros({ 1, 2, 3, 3 }), -1, PaddingMode::Replicate), std::invalid_argument);
  EXPECT_TRUE(padBorder(torch::ones({ 1, 2, 3, 3 }), 0, PaddingMode::Reflect).equal(torch::ones({ 1, 2, 3, 3 })));
}

} // namespace
} // namespace revgan
