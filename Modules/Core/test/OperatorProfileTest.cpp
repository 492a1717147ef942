// SPDX-License-Identifier: Apache-2.0
// OperatorProfile: the categories, keys and call counts it reports, and the recomputation share.
#include "revgan/OperatorProfile.h"
#include "revgan/ReversibleSequence.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <numeric>

namespace revgan
{
namespace
{

const OperatorProfile::Entry *
find(const std::vector<OperatorProfile::Entry> & entries, const std::string & category, const std::string & detail)
{
  for (const auto & entry : entries)
    if (entry.category == category && (detail.empty() || entry.detail == detail))
      return &entry;
  return nullptr;
}

TEST(OperatorProfile, CountsEachConvolutionOnceByKernelChannelsAndPass)
{
  torch::nn::Conv3d   conv(torch::nn::Conv3dOptions(2, 4, 3).padding(1));
  const torch::Tensor input = torch::randn({ 1, 2, 6, 6, 6 });
  OperatorProfile     profile;
  conv->forward(input).relu().sum().backward();
  const auto   entries = profile.entries();
  const auto * forward = find(entries, "convolution", "3x3x3 2->4 forward");
  const auto * backward = find(entries, "convolution", "3x3x3 2->4 backward");
  ASSERT_NE(forward, nullptr);
  ASSERT_NE(backward, nullptr);
  // aten::convolution calls _convolution and a kernel: still one call.
  EXPECT_EQ(forward->calls, 1);
  EXPECT_EQ(backward->calls, 1);
  EXPECT_GT(forward->seconds, 0.0);
  EXPECT_NE(find(entries, "element-wise", ""), nullptr);  // relu, threshold_backward
  EXPECT_NE(find(entries, "autograd node", ""), nullptr); // ConvolutionBackward0 and others
  EXPECT_EQ(forward->recomputationSeconds, 0.0);
  const double sum = std::accumulate(
    entries.begin(), entries.end(), 0.0, [](double total, const auto & entry) { return total + entry.seconds; });
  EXPECT_NEAR(sum, profile.operatorSeconds(), 1e-9);

  profile.reset();
  EXPECT_TRUE(profile.entries().empty());
  EXPECT_THROW(OperatorProfile(), std::logic_error); // one at a time
}

TEST(OperatorProfile, ReportsTheForwardPassesThatReversibleBackwardRepeats)
{
  torch::manual_seed(2);
  ReversibleSequence  core(ReversibleSequenceOptions(2, AdditiveCouplingOptions(8, 2).zero_init_last(false)));
  const torch::Tensor input = torch::randn({ 1, 8, 6, 6 }, torch::requires_grad());
  OperatorProfile     profile;
  core->forward(input).sum().backward();
  const auto   entries = profile.entries();
  const auto * forward = find(entries, "convolution", "3x3 4->4 forward");
  ASSERT_NE(forward, nullptr);
  // 2 blocks x 2 branches x 2 convolutions: once in the call, once again in backward.
  EXPECT_EQ(forward->calls, 16);
  EXPECT_GT(forward->recomputationSeconds, 0.0);
  EXPECT_LT(forward->recomputationSeconds, forward->seconds);
  const auto * backward = find(entries, "convolution", "3x3 4->4 backward");
  ASSERT_NE(backward, nullptr);
  EXPECT_EQ(backward->recomputationSeconds, 0.0);
}

} // namespace
} // namespace revgan
