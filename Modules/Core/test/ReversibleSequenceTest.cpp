// SPDX-License-Identifier: Apache-2.0
#include "GradientComparison.h"

#include "revgan/ReversibleSequence.h"
#include "revgan/WeightInitialization.h"

#include <gtest/gtest.h>

namespace revgan
{
namespace
{

ReversibleSequence
paperSequence(int64_t channels, int64_t depth, int64_t dimensions, torch::ScalarType dtype)
{
  ReversibleSequence sequence(ReversibleSequenceOptions(depth, AdditiveCouplingOptions(channels, dimensions)));
  initializeWeights(*sequence);
  sequence->to(dtype);
  return sequence;
}

// The figures of the issue: 128 channels, 32 × 32, depth 30, instance norm, N(0, 0.02).
TEST(ReversibleSequence, InverseReconstructsInputAtDepth30InDouble)
{
  torch::manual_seed(3);
  auto               sequence = paperSequence(128, 30, 2, torch::kDouble);
  torch::NoGradGuard noGrad;
  torch::Tensor      x = torch::randn({ 1, 128, 32, 32 }, torch::kDouble);
  torch::Tensor      y = sequence->forward(x);
  EXPECT_GT((y - x).abs().max().item<double>(), 1.0); // the stack really transforms its input
  EXPECT_LE((sequence->inverse(y) - x).abs().max().item<double>(), 1e-10);
  EXPECT_LE((sequence->forward(sequence->inverse(x)) - x).abs().max().item<double>(), 1e-10);
}

TEST(ReversibleSequence, InverseReconstructsInputAtDepth30InFloat)
{
  torch::manual_seed(3);
  auto               sequence = paperSequence(128, 30, 2, torch::kFloat);
  torch::NoGradGuard noGrad;
  torch::Tensor      x = torch::randn({ 1, 128, 32, 32 });
  const double       scale = x.abs().max().item<double>();
  EXPECT_LE((sequence->inverse(sequence->forward(x)) - x).abs().max().item<double>(), 1e-4 * scale);
}

TEST(ReversibleSequence, InverseReconstructsVolumeAtDepth30)
{
  torch::manual_seed(4);
  auto               sequence = paperSequence(16, 30, 3, torch::kDouble);
  torch::NoGradGuard noGrad;
  torch::Tensor      x = torch::randn({ 1, 16, 8, 9, 10 }, torch::kDouble);
  EXPECT_LE((sequence->inverse(sequence->forward(x)) - x).abs().max().item<double>(), 1e-10);
}

TEST(ReversibleSequence, ReversibleAndNaiveGiveTheSameOutput)
{
  torch::manual_seed(5);
  auto          sequence = paperSequence(8, 6, 2, torch::kDouble);
  torch::Tensor x = torch::randn({ 1, 8, 9, 9 }, torch::kDouble).requires_grad_(true);
  sequence->setGradientMode(GradientMode::Naive);
  torch::Tensor naive = sequence->forward(x);
  sequence->setGradientMode(GradientMode::Reversible);
  torch::Tensor reversible = sequence->forward(x);
  EXPECT_TRUE(torch::equal(naive, reversible));
  EXPECT_TRUE(reversible.requires_grad());
}

// The unpaired objective uses the core several times per step: X→Y, the cycle back Y→X, the
// other domain's Y→X→Y, and heads fed by its outputs. All of it must backpropagate correctly.
TEST(ReversibleSequence, SeveralUsesInOneStepMatchNaive)
{
  torch::manual_seed(11);
  auto              sequence = paperSequence(8, 6, 2, torch::kDouble);
  torch::nn::Conv2d head(torch::nn::Conv2dOptions(8, 3, 3).padding(1));
  head->to(torch::kDouble);
  const torch::Tensor realX = torch::randn({ 1, 8, 10, 10 }, torch::kDouble);
  const torch::Tensor realY = torch::randn({ 1, 8, 10, 10 }, torch::kDouble);
  const torch::Tensor target = torch::randn({ 1, 3, 10, 10 }, torch::kDouble);

  auto gradientsIn = [&](GradientMode mode)
  {
    sequence->setGradientMode(mode);
    torch::Tensor x = realX.clone().requires_grad_(true);
    torch::Tensor y = realY.clone().requires_grad_(true);
    torch::Tensor fakeY = sequence->forward(x);
    torch::Tensor cycleX = sequence->inverse(fakeY);
    torch::Tensor fakeX = sequence->inverse(y);
    torch::Tensor cycleY = sequence->forward(fakeX);
    torch::Tensor loss = torch::mse_loss(head->forward(fakeY), target) + torch::mse_loss(head->forward(fakeX), target) +
                         (cycleX - realX).abs().mean() + (cycleY - realY).abs().mean() + fakeY.pow(2).mean();
    loss.backward();
    auto gradients = test::takeGradients(*sequence);
    for (auto & [name, gradient] : test::takeGradients(*head))
      gradients["head." + name] = gradient;
    gradients["<x>"] = x.grad().clone();
    gradients["<y>"] = y.grad().clone();
    return gradients;
  };
  const auto naive = gradientsIn(GradientMode::Naive);
  const auto reversible = gradientsIn(GradientMode::Reversible);
  test::expectGradientsMatch(reversible, naive, 1e-8);
}

TEST(ReversibleSequence, ParametersGetGradientsWhenInputNeedsNone)
{
  torch::manual_seed(12);
  auto                sequence = paperSequence(8, 3, 2, torch::kDouble);
  const torch::Tensor x = torch::randn({ 1, 8, 7, 7 }, torch::kDouble);

  sequence->setGradientMode(GradientMode::Naive);
  sequence->forward(x).pow(2).sum().backward();
  const auto naive = test::takeGradients(*sequence);
  sequence->setGradientMode(GradientMode::Reversible);
  sequence->forward(x).pow(2).sum().backward();
  const auto reversible = test::takeGradients(*sequence);
  test::expectGradientsMatch(reversible, naive, 1e-8);
}

TEST(ReversibleSequence, NoGraphIsRecordedUnderNoGrad)
{
  auto               sequence = paperSequence(4, 2, 2, torch::kFloat);
  torch::NoGradGuard noGrad;
  EXPECT_FALSE(sequence->forward(torch::randn({ 1, 4, 5, 5 })).requires_grad());
}

// BatchNorm updates its running statistics on every training-mode call; the recomputation in the
// reversible backward must not count as a second call.
TEST(ReversibleSequence, RecomputationDoesNotUpdateRunningStatisticsAgain)
{
  auto makeSequence = [](GradientMode mode)
  {
    torch::manual_seed(21);
    ReversibleSequence sequence(
      ReversibleSequenceOptions(4, AdditiveCouplingOptions(8, 2).normalization(Normalization::Batch))
        .gradient_mode(mode));
    initializeWeights(*sequence);
    sequence->to(torch::kDouble);
    return sequence;
  };
  ReversibleSequence naive = makeSequence(GradientMode::Naive);
  ReversibleSequence reversible = makeSequence(GradientMode::Reversible);
  torch::manual_seed(22);
  const torch::Tensor x = torch::randn({ 4, 8, 6, 6 }, torch::kDouble);

  for (auto * sequence : { &naive, &reversible })
  {
    (*sequence)->forward(x.clone().requires_grad_(true)).pow(2).sum().backward();
    (*sequence)->inverse(x).pow(2).sum().backward();
  }
  const auto naiveBuffers = naive->named_buffers();
  const auto reversibleBuffers = reversible->named_buffers();
  ASSERT_EQ(naiveBuffers.size(), 4u * 4u * 3u); // 4 blocks × 4 norms × (mean, var, count)
  for (const auto & item : naiveBuffers)
  {
    const torch::Tensor & other = reversibleBuffers[item.key()];
    EXPECT_TRUE(torch::allclose(other, item.value(), 1e-12, 1e-12)) << item.key();
    if (item.key().find("num_batches_tracked") != std::string::npos)
    {
      EXPECT_EQ(other.item<int64_t>(), 2) << item.key(); // one forward call + one inverse call
    }
  }
  // The running statistics moved away from their initial values (mean 0, var 1).
  EXPECT_GT(naiveBuffers["block0.F.layers.norm1.running_mean"].abs().max().item<double>(), 0.0);

  const auto naiveGradients = test::takeGradients(*naive);
  const auto reversibleGradients = test::takeGradients(*reversible);
  test::expectGradientsMatch(reversibleGradients, naiveGradients, 1e-8);
}

TEST(ReversibleSequence, BlocksFromOptionsAndFromListAreRegistered)
{
  ReversibleSequence fromOptions(ReversibleSequenceOptions(5, AdditiveCouplingOptions(6, 3)));
  EXPECT_EQ(fromOptions->depth(), 5u);
  EXPECT_EQ(fromOptions->parameters().size(), 5u * 8u);

  std::vector<AdditiveCoupling> blocks{ AdditiveCoupling(AdditiveCouplingOptions(4, 2)),
                                        AdditiveCoupling(AdditiveCouplingOptions(4, 2)) };
  ReversibleSequence            fromList(blocks, GradientMode::Naive);
  EXPECT_EQ(fromList->depth(), 2u);
  EXPECT_EQ(fromList->gradientMode(), GradientMode::Naive);
  EXPECT_THROW(ReversibleSequence(ReversibleSequenceOptions(-1, AdditiveCouplingOptions(4, 2))), std::invalid_argument);
}

TEST(ReversibleSequence, CloneKeepsTheModeAndOwnsItsBlocks)
{
  torch::manual_seed(5);
  ReversibleSequence sequence = paperSequence(4, 3, 3, torch::kDouble);
  sequence->setGradientMode(GradientMode::ReversibleCore);
  ReversibleSequence copy(std::dynamic_pointer_cast<ReversibleSequenceImpl>(sequence->clone()));
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->depth(), 3u);
  EXPECT_EQ(copy->gradientMode(), GradientMode::ReversibleCore);
  const torch::Tensor x = torch::randn({ 1, 4, 4, 4, 4 }, torch::kDouble);
  torch::NoGradGuard  noGrad;
  EXPECT_TRUE(torch::equal(copy->forward(x), sequence->forward(x)));
  EXPECT_NE(copy->block(0).ptr(), sequence->block(0).ptr());
  for (auto & parameter : sequence->parameters())
    parameter.zero_();
  EXPECT_LE((copy->inverse(copy->forward(x)) - x).abs().max().item<double>(), 1e-12);
  EXPECT_FALSE(torch::equal(copy->forward(x), sequence->forward(x)));
  std::ostringstream printed;
  printed << *copy;
  EXPECT_EQ(printed.str().rfind("revgan::ReversibleSequence(depth=3, gradient_mode=reversible-core)", 0), 0u)
    << printed.str();
}

TEST(ReversibleSequence, DepthZeroIsTheIdentity)
{
  ReversibleSequence  sequence(ReversibleSequenceOptions(0, AdditiveCouplingOptions(4, 2)));
  const torch::Tensor x = torch::randn({ 1, 4, 3, 3 });
  EXPECT_TRUE(torch::equal(sequence->forward(x), x));
  EXPECT_TRUE(torch::equal(sequence->inverse(x), x));
}

TEST(ReversibleSequence, MonitorMeasuresTheReconstructionErrorOfBackward)
{
  torch::manual_seed(5);
  auto sequence = paperSequence(16, 12, 2, torch::kFloat);
  sequence->setMonitorReconstruction(true);
  const torch::Tensor x = torch::randn({ 1, 16, 12, 12 }, torch::requires_grad());
  sequence->forward(x).square().sum().backward();
  const std::optional<ReconstructionError> error = sequence->takeMaxReconstructionError();
  ASSERT_TRUE(error.has_value());
  EXPECT_DOUBLE_EQ(error->inputMagnitude, x.abs().max().item<double>());
  EXPECT_LE(error->absolute, 1e-5 * error->inputMagnitude);         // float rounding, not more
  EXPECT_FALSE(sequence->takeMaxReconstructionError().has_value()); // taken: a new measurement starts

  sequence->setMonitorReconstruction(false);
  x.grad().zero_();
  sequence->forward(x).sum().backward();
  EXPECT_FALSE(sequence->takeMaxReconstructionError().has_value());
}

TEST(ReversibleSequence, MonitorSeesAWrongReconstruction)
{
  torch::manual_seed(6);
  auto sequence = paperSequence(8, 4, 2, torch::kDouble);
  sequence->setMonitorReconstruction(true);
  const torch::Tensor x = torch::randn({ 1, 8, 10, 10 }, torch::dtype(torch::kDouble).requires_grad(true));
  const torch::Tensor y = sequence->forward(x);
  {
    torch::NoGradGuard noGrad;
    for (auto & parameter : sequence->parameters())
      parameter.add_(0.1);
  }
  y.sum().backward();
  const std::optional<ReconstructionError> error = sequence->takeMaxReconstructionError();
  ASSERT_TRUE(error.has_value());
  EXPECT_GT(error->absolute, 1e-3);
}

} // namespace
} // namespace revgan
