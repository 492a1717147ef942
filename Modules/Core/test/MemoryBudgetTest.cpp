// SPDX-License-Identifier: Apache-2.0
// chooseGradientMode: the fastest gradient mode whose generator update fits a memory budget.
#include "revgan/MemoryBudget.h"
#include "revgan/MemoryTracker.h"
#include "revgan/Trainer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace revgan
{
namespace
{

std::unique_ptr<Trainer>
smallTrainer(GeneratorKind kind)
{
  GeneratorSpec spec;
  spec.kind = kind;
  spec.width = 8;
  spec.depth = 4;
  TrainerOptions options = TrainerOptions::forObjective(Objective::Unpaired);
  options.discriminatorWidth = 8;
  options.seed = 3;
  return std::make_unique<Trainer>(spec, options);
}

TrainingBatch
probeBatch()
{
  TrainingBatch batch;
  batch.x = torch::rand({ 1, 3, 48, 48 });
  batch.y = torch::rand({ 1, 3, 48, 48 });
  return batch;
}

std::vector<torch::Tensor>
copies(const std::vector<torch::Tensor> & tensors)
{
  std::vector<torch::Tensor> result;
  for (const auto & tensor : tensors)
    result.push_back(tensor.detach().clone());
  return result;
}

TEST(MemoryBudget, ChoosesTheFastestModeThatFits)
{
  auto                trainer = smallTrainer(GeneratorKind::RevGAN);
  const TrainingBatch probe = probeBatch();
  const auto          weightsBefore = copies(trainer->generator()->parameters());

  // A budget everything fits: the fastest mode, after measuring all three, most frugal first.
  const GradientModeChoice all = chooseGradientMode(*trainer, probe, int64_t{ 1 } << 40);
  ASSERT_EQ(all.peakBytes.size(), 3U);
  EXPECT_EQ(all.peakBytes[0].first, GradientMode::Reversible);
  EXPECT_EQ(all.peakBytes[1].first, GradientMode::ReversibleCore);
  EXPECT_EQ(all.peakBytes[2].first, GradientMode::Naive);
  const int64_t reversible = all.peakBytes[0].second, core = all.peakBytes[1].second, naive = all.peakBytes[2].second;
  EXPECT_LT(reversible, core);
  EXPECT_LT(core, naive);
  EXPECT_EQ(all.mode, GradientMode::Naive);
  EXPECT_TRUE(all.fits);
  EXPECT_EQ(trainer->options().gradientMode, GradientMode::Naive);

  // Between two modes' peaks: the cheaper of those that fit; the probing stops at the first
  // mode that does not fit.
  const GradientModeChoice middle = chooseGradientMode(*trainer, probe, (core + naive) / 2);
  EXPECT_EQ(middle.mode, GradientMode::ReversibleCore);
  EXPECT_EQ(middle.peakBytes.size(), 3U);
  const GradientModeChoice tight = chooseGradientMode(*trainer, probe, (reversible + core) / 2);
  EXPECT_EQ(tight.mode, GradientMode::Reversible);
  EXPECT_EQ(tight.peakBytes.size(), 2U);
  EXPECT_EQ(trainer->options().gradientMode, GradientMode::Reversible);
  // Nothing fits: the most frugal mode, said so.
  const GradientModeChoice none = chooseGradientMode(*trainer, probe, reversible / 2);
  EXPECT_EQ(none.mode, GradientMode::Reversible);
  EXPECT_FALSE(none.fits);
  EXPECT_NE(none.describe(reversible / 2).find("does not fit"), std::string::npos);

  // Probing changed no weight, and the peaks are the same each time.
  EXPECT_EQ(tight.peakBytes[0].second, reversible);
  const auto weightsAfter = trainer->generator()->parameters();
  for (size_t i = 0; i < weightsBefore.size(); ++i)
    EXPECT_TRUE(torch::equal(weightsBefore[i], weightsAfter[i])) << "parameter " << i;
  // The trainer goes on training in the chosen mode.
  EXPECT_NO_THROW(trainer->step(probe));
}

TEST(MemoryBudget, NetworksWithoutAReversibleCoreHaveOneMode)
{
  auto                     trainer = smallTrainer(GeneratorKind::ResNet);
  const GradientModeChoice choice = chooseGradientMode(*trainer, probeBatch(), int64_t{ 1 } << 40);
  ASSERT_EQ(choice.peakBytes.size(), 1U);
  EXPECT_EQ(choice.mode, GradientMode::Naive);
}

TEST(MemoryBudget, ParsesMebibytesOrAuto)
{
  const c10::Device cpu(c10::DeviceType::CPU);
  EXPECT_EQ(parseMemoryBudget("512", cpu, "--memory-budget"), int64_t{ 512 } << 20);
  EXPECT_EQ(parseMemoryBudget("0.5", cpu, "--memory-budget"), int64_t{ 1 } << 19);
  EXPECT_GT(parseMemoryBudget("auto", cpu, "--memory-budget"), 0);
  for (const char * bad : { "", "abc", "12x", "0", "-3", "nan" })
  {
    try
    {
      parseMemoryBudget(bad, cpu, "--memory-budget");
      ADD_FAILURE() << "accepted '" << bad << "'";
    }
    catch (const std::invalid_argument & error)
    {
      EXPECT_NE(std::string(error.what()).find("--memory-budget"), std::string::npos) << error.what();
    }
  }
}

} // namespace
} // namespace revgan
