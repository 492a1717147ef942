// SPDX-License-Identifier: Apache-2.0
// What keeps a training run from ending worse than it started: warm-up, gradient clipping, the
// divergence guard's returns to earlier weights, and validation with the best weights kept.
#include "SyntheticTraining.h"
#include "TemporaryFolder.h"

#include "revgan/DivergenceGuard.h"
#include "revgan/LossLog.h"
#include "revgan/Trainer.h"
#include "revgan/ValidationSet.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

namespace revgan
{
namespace
{

using test::syntheticSource;
using test::temporaryPath;
using test::tinyOptions;
using test::tinyRevGAN;

/// A one-channel SRCNN(+kR): its decoder is linear, so nothing bounds its output.
GeneratorSpec
smallSrcnn(int64_t dimensions, int64_t width, int64_t depth)
{
  GeneratorSpec spec;
  spec.kind = GeneratorKind::SRCNN;
  spec.dimensions = dimensions;
  spec.width = width;
  spec.depth = depth;
  spec.channelsX = 1;
  spec.channelsY = 1;
  return spec;
}

/// Paired L1 alone (no discriminators), 2 epochs of 8 iterations.
TrainerOptions
pairedL1Options()
{
  TrainerOptions options = tinyOptions(Objective::Paired);
  options.ganWeight = 0.0;
  options.epochs = 2;
  options.decayEpochs = 0;
  return options;
}

/// Two held-out pairs like the synthetic training data (y a shifted, scaled function of x), the
/// second with a mask that scores its left half only.
ValidationSet
syntheticValidation()
{
  torch::manual_seed(7);
  std::vector<torch::Tensor> xs, ys, masks;
  for (int i = 0; i < 2; ++i)
  {
    torch::Tensor x = torch::tanh(torch::randn({ 1, 36, 44 }).cumsum(1) / 4);
    xs.push_back(x);
    ys.push_back(0.5 * x.roll(1, 2) - 0.2);
    torch::Tensor mask = torch::ones({ 1, 36, 44 });
    if (i == 1)
      mask.narrow(2, 22, 22).zero_();
    masks.push_back(mask);
  }
  return ValidationSet(xs, ys, masks);
}

TEST(TrainingSafeguards, WarmUpRaisesTheRateLinearlyOverItsIterations)
{
  TrainerOptions options = pairedL1Options();
  options.warmupIterations = 10;
  const Trainer trainer(tinyRevGAN(), options);
  EXPECT_DOUBLE_EQ(trainer.learningRateAt(0, 0, 8), 2e-4 * 0.1);
  EXPECT_DOUBLE_EQ(trainer.learningRateAt(0, 4, 8), 2e-4 * 0.5);
  EXPECT_DOUBLE_EQ(trainer.learningRateAt(1, 1, 8), 2e-4 * 1.0); // iteration 10 of the run
  EXPECT_DOUBLE_EQ(trainer.learningRateAt(1, 7, 8), 2e-4);
  options.warmupIterations = 0;
  EXPECT_DOUBLE_EQ(Trainer(tinyRevGAN(), options).learningRateAt(0, 0, 8), 2e-4);
}

TEST(TrainingSafeguards, TheGuardJudgesLossesByTheMedianOfTheRecentOnes)
{
  DivergenceGuard guard(5.0, 20, 3);
  EXPECT_TRUE(guard.enabled());
  EXPECT_FALSE(DivergenceGuard().enabled());
  EXPECT_FALSE(guard.isSpike(1e9)) << "fewer than 10 losses: only a non-finite one is a spike";
  EXPECT_TRUE(guard.isSpike(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_TRUE(guard.isSpike(std::numeric_limits<double>::infinity()));
  EXPECT_TRUE(guard.snapshotDue(1.0)) << "the first snapshot is due at once";
  guard.markSnapshot();
  for (int i = 0; i < 12; ++i)
    guard.record(i % 2 == 0 ? 1.0 : 3.0); // median 3 (upper of the middle two)
  EXPECT_DOUBLE_EQ(guard.median(), 3.0);
  EXPECT_FALSE(guard.isSpike(15.0));
  EXPECT_TRUE(guard.isSpike(15.1));
  DivergenceGuard off;
  for (int i = 0; i < 12; ++i)
    off.record(1.0);
  EXPECT_FALSE(off.isSpike(1e9)) << "a guard that is off judges no finite loss a spike";
  EXPECT_TRUE(off.isSpike(std::numeric_limits<double>::infinity()));
  EXPECT_TRUE(guard.snapshotDue(6.0));
  EXPECT_FALSE(guard.snapshotDue(6.1)) << "no snapshot of a state whose loss is already high";
  for (int recovery = 1; recovery <= DivergenceGuard::kMostRecoveries; ++recovery)
  {
    guard.recover("spike");
    EXPECT_EQ(guard.recoveries(), recovery);
    EXPECT_DOUBLE_EQ(guard.rateScale(), std::pow(0.5, recovery));
  }
  try
  {
    guard.recover("epoch 3, iteration 7: the generator loss is nan");
    FAIL() << "a fifth spike must stop training";
  }
  catch (const TrainingDivergedError & error)
  {
    EXPECT_NE(std::string(error.what()).find("epoch 3, iteration 7: the generator loss is nan; training stopped"),
              std::string::npos)
      << error.what();
  }
}

TEST(TrainingSafeguards, ValidationRmseIsTheMaskedRmseOfTheWholeTranslation)
{
  const ValidationSet validation = syntheticValidation();
  EXPECT_EQ(validation.scoredVoxels(), 36 * 44 + 36 * 22);
  Trainer trainer(tinyRevGAN(), pairedL1Options());
  trainer.setValidation(validation);
  // By hand: the generator on each whole image (36×44: multiples of the 2D RevGAN's 4).
  torch::manual_seed(7);
  double  squared = 0.0;
  int64_t terms = 0;
  {
    torch::NoGradGuard noGradients;
    trainer.generator()->eval();
    for (int i = 0; i < 2; ++i)
    {
      torch::Tensor x = torch::tanh(torch::randn({ 1, 36, 44 }).cumsum(1) / 4);
      torch::Tensor error = trainer.generator()->forward(x.unsqueeze(0)).squeeze(0) - (0.5 * x.roll(1, 2) - 0.2);
      if (i == 1)
        error = error.narrow(2, 0, 22);
      squared += error.to(torch::kDouble).pow(2).sum().item<double>();
      terms += error.numel();
    }
    trainer.generator()->train();
  }
  EXPECT_NEAR(trainer.validate(), std::sqrt(squared / static_cast<double>(terms)), 1e-6);
  ASSERT_TRUE(trainer.bestValidation().has_value());
  EXPECT_TRUE(trainer.generator()->is_training()) << "validation leaves the generator in training mode";
}

TEST(TrainingSafeguards, LargeVolumesAreTranslatedInSlabsWithTheSameResult)
{
  // 300 slices of 128×64: more voxels than one slab holds, so two slabs with margins.
  Trainer             trainer(smallSrcnn(3, 4, 0), pairedL1Options());
  const torch::Tensor x = torch::rand({ 1, 300, 128, 64 });
  const torch::Tensor y = torch::rand({ 1, 300, 128, 64 });
  trainer.setValidation(ValidationSet({ x }, { y }));
  torch::Tensor whole;
  {
    torch::NoGradGuard noGradients;
    whole = trainer.generator()->forward(x.unsqueeze(0)).squeeze(0);
  }
  const double expected = std::sqrt((whole - y).to(torch::kDouble).pow(2).mean().item<double>());
  EXPECT_NEAR(trainer.validate(), expected, 1e-6 * expected);
}

TEST(TrainingSafeguards, ValidationDataIsChecked)
{
  const torch::Tensor image = torch::zeros({ 1, 8, 8 });
  EXPECT_THROW(ValidationSet({ image }, {}), std::invalid_argument);
  EXPECT_THROW(ValidationSet({ image }, { torch::zeros({ 1, 8, 9 }) }), std::invalid_argument);
  EXPECT_THROW(ValidationSet({ image }, { image }, { torch::zeros({ 1, 8, 8 }) }), std::invalid_argument)
    << "masks that score nothing";
  EXPECT_THROW(ValidationSet({ image }, { image }, { image, image }), std::invalid_argument);
}

TEST(TrainingSafeguards, HeldOutSlicesAreTheLastOfTheSlowestAxis)
{
  const torch::Tensor volume = torch::arange(2 * 10 * 3 * 4, torch::kFloat).reshape({ 2, 10, 3, 4 });
  const SliceSplit    split = splitLastSlices({ volume }, 0.2);
  ASSERT_EQ(split.kept.size(), 1u);
  EXPECT_EQ(split.kept[0].sizes(), torch::IntArrayRef({ 2, 8, 3, 4 }));
  EXPECT_EQ(split.heldOut[0].sizes(), torch::IntArrayRef({ 2, 2, 3, 4 }));
  EXPECT_TRUE(torch::equal(split.heldOut[0], volume.narrow(1, 8, 2)));
  EXPECT_EQ(splitLastSlices({ volume }, 0.01).heldOut[0].size(1), 1) << "at least one slice held out";
  EXPECT_EQ(splitLastSlices({ volume }, 0.99).kept[0].size(1), 1) << "at least one slice to train on";
  EXPECT_THROW(splitLastSlices({ torch::zeros({ 1, 1, 4 }) }, 0.5), std::invalid_argument);
  EXPECT_THROW(splitLastSlices({ volume }, 0.0), std::invalid_argument);
}

// The test: a run forced to diverge returns to earlier weights at lower rates, says so,
// and ends — whether it recovered or stopped — with the weights of its best validation, which are
// no worse than those it started from. The rate rises during a long warm-up to 50,000 times the
// paper's: low enough at first for the guard to learn what an ordinary loss is, then far too high
// for a residual SRCNN+2R, whose linear output layer lets the loss grow without bound.
TEST(TrainingSafeguards, ARunForcedToDivergeEndsWithItsBestWeightsAndSaysWhatHappened)
{
  GeneratorSpec spec = smallSrcnn(2, 8, 2);
  spec.residual = true;
  TrainerOptions options = pairedL1Options();
  options.learningRate = 10.0;
  options.warmupIterations = 1000;
  options.spikeFactor = 3.0;
  options.epochs = 8;
  CropSource source = syntheticSource(true, 8);
  Trainer    trainer(spec, options);
  trainer.setValidation(syntheticValidation(), 2);
  std::vector<std::string> events;
  std::string              stopped;
  double                   initialRmse = std::numeric_limits<double>::quiet_NaN();
  try
  {
    trainer.train(source,
                  -1,
                  [&](const TrainingProgress & progress)
                  {
                    EXPECT_TRUE(progress.validates);
                    ASSERT_TRUE(progress.bestValidation.has_value());
                    if (std::isnan(initialRmse))
                      initialRmse = progress.bestValidation->epoch == 0 && progress.bestValidation->iteration == 0
                                      ? progress.bestValidation->rmse
                                      : -1.0;
                    if (!progress.event.empty())
                      events.push_back(progress.event);
                  });
  }
  catch (const TrainingDivergedError & error)
  {
    stopped = error.what();
  }
  ASSERT_FALSE(events.empty()) << "a rate of 1 must diverge";
  EXPECT_NE(events.front().find("returned to the weights of epoch"), std::string::npos) << events.front();
  EXPECT_NE(events.front().find("halved the learning rate (now 0.5 of the schedule's)"), std::string::npos)
    << events.front();
  EXPECT_EQ(trainer.divergenceRecoveries(), static_cast<int>(events.size()));
  if (!stopped.empty())
  {
    EXPECT_NE(stopped.find("training stopped after 4 returns"), std::string::npos) << stopped;
  }
  ASSERT_TRUE(trainer.bestValidation().has_value());
  const ValidationRecord best = *trainer.bestValidation();
  EXPECT_GT(initialRmse, 0.0) << "the starting weights are validated first";
  EXPECT_LE(best.rmse, initialRmse);
  ASSERT_TRUE(trainer.restoreBestWeights());
  EXPECT_DOUBLE_EQ(trainer.validate(), best.rmse) << "the best weights are back";
}

TEST(TrainingSafeguards, AnOrdinaryRunIsLeftAlone)
{
  TrainerOptions options = pairedL1Options();
  options.spikeFactor = 5.0;
  CropSource source = syntheticSource(true, 8);
  Trainer    guarded(tinyRevGAN(), options);
  options.spikeFactor = 0.0;
  Trainer plain(tinyRevGAN(), options);
  guarded.train(source);
  source = syntheticSource(true, 8);
  plain.train(source);
  EXPECT_EQ(guarded.divergenceRecoveries(), 0);
  const auto a = guarded.generator()->parameters();
  const auto b = plain.generator()->parameters();
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(torch::equal(a[i], b[i])) << "the guard's snapshots change nothing";
}

TEST(TrainingSafeguards, ClippingBoundsTheGradientNorm)
{
  CropSource          source = syntheticSource(true, 8);
  const TrainingBatch batch = source.nextBatch(1);
  auto                change = [&](double clipNorm)
  {
    TrainerOptions options = pairedL1Options();
    options.clipGradientNorm = clipNorm;
    Trainer                    trainer(tinyRevGAN(), options);
    std::vector<torch::Tensor> before;
    for (const auto & parameter : trainer.generator()->parameters())
      before.push_back(parameter.detach().clone());
    trainer.step(batch);
    double     largest = 0.0;
    const auto now = trainer.generator()->parameters();
    for (size_t i = 0; i < now.size(); ++i)
      largest = std::max(largest, (now[i] - before[i]).abs().max().item<double>());
    return largest;
  };
  // Adam's step does not depend on the gradients' scale until they approach its epsilon (1e-8):
  // clipped to a norm of 1e-12, the first step is 10,000 times smaller.
  EXPECT_LT(change(1e-12), 1e-3 * change(0.0));
  EXPECT_DOUBLE_EQ(change(1e6), change(0.0)) << "a bound above the norm changes nothing";
}

TEST(TrainingSafeguards, CheckpointsKeepTheBestValidationAndTheLoweredRate)
{
  TrainerOptions options = pairedL1Options();
  options.warmupIterations = 3;
  options.clipGradientNorm = 2.5;
  options.spikeFactor = 4.0;
  CropSource source = syntheticSource(true, 8);
  Trainer    trainer(tinyRevGAN(), options);
  trainer.setValidation(syntheticValidation(), 3);
  trainer.train(source, 1);
  const std::string checkpoint = temporaryPath("validated.pt");
  trainer.saveCheckpoint(checkpoint);
  auto resumed = Trainer::resume(checkpoint);
  std::filesystem::remove(checkpoint);
  EXPECT_EQ(resumed->options().warmupIterations, 3);
  EXPECT_EQ(resumed->options().clipGradientNorm, 2.5);
  EXPECT_EQ(resumed->options().spikeFactor, 4.0);
  ASSERT_TRUE(resumed->bestValidation().has_value());
  EXPECT_EQ(resumed->bestValidation()->rmse, trainer.bestValidation()->rmse);
  EXPECT_EQ(resumed->bestValidation()->iteration, trainer.bestValidation()->iteration);
  ASSERT_TRUE(resumed->restoreBestWeights());
  ASSERT_TRUE(trainer.restoreBestWeights());
  const auto a = trainer.generator()->parameters();
  const auto b = resumed->generator()->parameters();
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(torch::equal(a[i], b[i]));
}

TEST(TrainingSafeguards, TheLossLogHasAValidationColumn)
{
  CropSource        source = syntheticSource(true, 8);
  Trainer           trainer(tinyRevGAN(), pairedL1Options());
  const std::string logPath = temporaryPath("validated-losses.csv");
  trainer.setValidation(syntheticValidation(), 3);
  {
    LossLog log(logPath);
    trainer.train(source, 1, [&](const TrainingProgress & progress) { log.write(progress); });
  }
  std::ifstream            file(logPath);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);)
    lines.push_back(line);
  std::filesystem::remove(logPath);
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[0], "epoch,iteration,learning_rate,samples_per_second,generator,l1_xy,l1_yx,validation_rmse");
  // Validated after iterations 3 and 6, and at the end of the epoch (8).
  for (size_t row = 1; row <= 8; ++row)
    EXPECT_EQ(lines[row].back() == ',', row != 3 && row != 6 && row != 8) << lines[row];
}

} // namespace
} // namespace revgan
