// SPDX-License-Identifier: Apache-2.0
// The adversarial and reconstruction losses of the objectives.
#include "revgan/Losses.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

namespace revgan
{
namespace
{

TEST(Losses, ValuesOfTheAdversarialObjectives)
{
  const torch::Tensor zeros = torch::zeros({ 2, 1, 3, 3 });
  EXPECT_DOUBLE_EQ(adversarialLoss(zeros, true, GanLoss::LeastSquares).item<double>(), 1.0);
  EXPECT_DOUBLE_EQ(adversarialLoss(zeros, false, GanLoss::LeastSquares).item<double>(), 0.0);
  EXPECT_NEAR(adversarialLoss(zeros, true, GanLoss::Vanilla).item<double>(), std::log(2.0), 1e-6);
  EXPECT_NEAR(adversarialLoss(torch::full({ 4 }, 20.0), true, GanLoss::Vanilla).item<double>(), 0.0, 1e-6);
  EXPECT_DOUBLE_EQ(meanAbsoluteError(torch::ones({ 4 }), torch::zeros({ 4 })).item<double>(), 1.0);
  EXPECT_EQ(parseGanLoss(toString(GanLoss::Vanilla)), GanLoss::Vanilla);
  EXPECT_THROW(parseGanLoss("wasserstein"), std::invalid_argument);
}

} // namespace
} // namespace revgan
