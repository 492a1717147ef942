// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

namespace revgan::test
{

/// Largest absolute difference between same-named parameters of two modules of one architecture,
/// over the parameters whose name contains `nameContains` (all when empty).
inline double
maxParameterDifference(const torch::nn::Module & a, const torch::nn::Module & b, const std::string & nameContains = "")
{
  double     difference = 0.0;
  const auto others = b.named_parameters();
  for (const auto & item : a.named_parameters())
  {
    if (item.key().find(nameContains) != std::string::npos)
      difference = std::max(difference, (item.value() - others[item.key()]).abs().max().item<double>());
  }
  return difference;
}

/// Copies of the gradients of every parameter of `module`, by name; clears them afterwards.
inline std::map<std::string, torch::Tensor>
takeGradients(torch::nn::Module & module)
{
  std::map<std::string, torch::Tensor> gradients;
  for (auto & item : module.named_parameters())
  {
    gradients[item.key()] = item.value().grad().defined() ? item.value().grad().clone() : torch::Tensor();
    item.value().mutable_grad() = torch::Tensor();
  }
  return gradients;
}

/// Expects every gradient of `actual` to match `expected` (same names, all defined) within
/// `tolerance` relative error. Some gradients vanish analytically — a convolution bias followed by
/// instance normalization has gradient zero — and then hold only rounding noise, for which a
/// relative error means nothing; the reference norm is therefore floored at max(1e-6, 1000 ε) of
/// the norm of all expected gradients together (ε: machine epsilon of the gradients' type).
inline void
expectGradientsMatch(const std::map<std::string, torch::Tensor> & actual,
                     const std::map<std::string, torch::Tensor> & expected,
                     double                                       tolerance)
{
  ASSERT_EQ(actual.size(), expected.size());
  double total = 0.0;
  for (const auto & [name, gradient] : expected)
  {
    ASSERT_TRUE(gradient.defined()) << "expected gradient of " << name << " is missing";
    total += gradient.pow(2).sum().item<double>();
  }
  const double epsilon = expected.begin()->second.scalar_type() == torch::kDouble
                           ? std::numeric_limits<double>::epsilon()
                           : std::numeric_limits<float>::epsilon();
  const double floor = std::max(1e-6, 1000.0 * epsilon) * std::sqrt(total);
  ASSERT_GT(floor, 0.0);
  for (const auto & [name, reference] : expected)
  {
    const torch::Tensor & gradient = actual.at(name);
    ASSERT_TRUE(gradient.defined()) << "gradient of " << name << " is missing";
    const double error =
      (gradient - reference).norm().item<double>() / std::max(reference.norm().item<double>(), floor);
    EXPECT_LE(error, tolerance) << name;
  }
}

} // namespace revgan::test
