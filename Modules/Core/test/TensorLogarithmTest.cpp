// SPDX-License-Identifier: Apache-2.0
// The log-Euclidean tensor domain: matrix logarithm and exponential of tensor fields against
// closed forms.
#include "revgan/TensorLogarithm.h"
#include "KnownTensors.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

#include <cmath>

namespace revgan
{
namespace
{

using test::rotatedDiagonal;

/// A (6, 2, 2, 2) field holding `components` at every voxel.
torch::Tensor
field(const test::TensorComponents & components)
{
  return torch::tensor(at::ArrayRef<double>(components), torch::kDouble)
    .view({ 6, 1, 1, 1 })
    .expand({ 6, 2, 2, 2 })
    .contiguous();
}

TEST(TensorLogarithm, MatchesTheClosedFormOfARotatedDiagonalTensor)
{
  const double        angle = 0.7;
  const torch::Tensor d = field(rotatedDiagonal(3e-3, 1e-3, 0.5e-3, angle));
  const torch::Tensor expected = field(rotatedDiagonal(std::log(3e-3), std::log(1e-3), std::log(0.5e-3), angle));
  EXPECT_TRUE(torch::allclose(tensorLogarithm(d, 1e-9), expected, 0.0, 1e-10));
  EXPECT_TRUE(torch::allclose(tensorExponential(expected), d, 0.0, 1e-15));
}

TEST(TensorLogarithm, ExponentialInvertsTheLogarithmOfPositiveDefiniteTensorsInBatches)
{
  torch::manual_seed(3);
  // Random SPD tensors A Aᵀ + 0.1 I, batch of 2, float like network data.
  const torch::Tensor a = torch::randn({ 2 * 4 * 3 * 5, 3, 3 }, torch::kDouble);
  const torch::Tensor spd = torch::matmul(a, a.transpose(1, 2)) + 0.1 * torch::eye(3, torch::kDouble);
  const torch::Tensor components = spd.view({ -1, 9 }).index_select(1, torch::tensor({ 0, 1, 2, 4, 5, 8 }));
  const torch::Tensor d = components.view({ 2, 4, 3, 5, 6 }).permute({ 0, 4, 1, 2, 3 }).to(torch::kFloat);
  const torch::Tensor logarithm = tensorLogarithm(d, 1e-6);
  EXPECT_EQ(logarithm.sizes(), d.sizes());
  EXPECT_EQ(logarithm.scalar_type(), torch::kFloat);
  EXPECT_TRUE(torch::allclose(tensorExponential(logarithm), d, 1e-5, 1e-5));
}

TEST(TensorLogarithm, FloorsTensorsThatAreNotPositiveDefiniteAndExponentialIsAlwaysPositiveDefinite)
{
  // The zero tensor becomes log(floor)·I.
  const torch::Tensor zero = torch::zeros({ 6, 2, 2, 2 }, torch::kDouble);
  const double        l = std::log(1e-6);
  EXPECT_TRUE(torch::allclose(tensorLogarithm(zero, 1e-6), field({ l, 0, 0, l, 0, l }), 0.0, 1e-12));
  // diag(2, −1, 1) keeps 2 and 1 and raises −1 to the floor.
  const torch::Tensor indefinite = field({ 2, 0, 0, -1, 0, 1 });
  EXPECT_TRUE(torch::allclose(tensorLogarithm(indefinite, 1e-6), field({ std::log(2.0), 0, 0, l, 0, 0 }), 0.0, 1e-12));
  // Any symmetric field maps to positive-definite tensors.
  torch::manual_seed(4);
  const torch::Tensor any = 3.0 * torch::randn({ 6, 4, 4, 4 }, torch::kDouble);
  const torch::Tensor e = tensorExponential(any).view({ 6, -1 }).t();
  const torch::Tensor matrices = torch::stack({ e.select(1, 0),
                                                e.select(1, 1),
                                                e.select(1, 2),
                                                e.select(1, 1),
                                                e.select(1, 3),
                                                e.select(1, 4),
                                                e.select(1, 2),
                                                e.select(1, 4),
                                                e.select(1, 5) },
                                              1)
                                   .view({ -1, 3, 3 });
  EXPECT_GT(torch::linalg_eigvalsh(matrices).min().item<double>(), 0.0);
}

TEST(TensorLogarithm, RefusesOtherShapesAndFloors)
{
  EXPECT_THROW(tensorLogarithm(torch::ones({ 3, 2, 2, 2 }), 1e-6), std::invalid_argument);
  EXPECT_THROW(tensorLogarithm(torch::ones({ 6, 2, 2 }), 1e-6), std::invalid_argument);
  EXPECT_THROW(tensorLogarithm(torch::ones({ 6, 2, 2, 2 }), 0.0), std::invalid_argument);
}

} // namespace
} // namespace revgan
