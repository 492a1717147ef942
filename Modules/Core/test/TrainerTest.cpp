// SPDX-License-Identifier: Apache-2.0
// The Trainer: schedule, resumption, gradient modes, numerical health, progress and loss logs.
#include "GradientComparison.h"
#include "SyntheticTraining.h"
#include "TemporaryFolder.h"

#include "revgan/LossLog.h"
#include "revgan/Trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>

namespace revgan
{
namespace
{

using test::syntheticSource;
using test::temporaryPath;
using test::tinyOptions;
using test::tinyRevGAN;

TEST(Trainer, LearningRateIsConstantThenDecaysLinearlyToZero)
{
  TrainerOptions options = tinyOptions(Objective::Paired);
  options.epochs = 2;
  options.decayEpochs = 3;
  options.ganWeight = 0.0;
  Trainer trainer(tinyRevGAN(), options);
  EXPECT_DOUBLE_EQ(trainer.learningRateForEpoch(0), 2e-4);
  EXPECT_DOUBLE_EQ(trainer.learningRateForEpoch(1), 2e-4);
  EXPECT_DOUBLE_EQ(trainer.learningRateForEpoch(2), 2e-4 * 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(trainer.learningRateForEpoch(4), 2e-4 * 1.0 / 4.0);
  EXPECT_DOUBLE_EQ(trainer.learningRateForEpoch(10), 0.0);
}

TEST(Trainer, InvalidOptionsAreClearErrors)
{
  TrainerOptions options = tinyOptions(Objective::Paired);
  options.batchSize = 0;
  EXPECT_THROW(Trainer(tinyRevGAN(), options), std::invalid_argument);
  EXPECT_THROW(parseObjective("semi"), std::invalid_argument);

  // Each message names the option and the values it accepts (from TrainerOptionFields.h).
  const auto expectRefused = [](const std::function<void(TrainerOptions &)> & change, const std::string & message)
  {
    TrainerOptions invalid = tinyOptions(Objective::Paired);
    change(invalid);
    try
    {
      invalid.validate();
      ADD_FAILURE() << "accepted; expected: " << message;
    }
    catch (const std::invalid_argument & error)
    {
      EXPECT_EQ(std::string(error.what()), message);
    }
  };
  expectRefused([](TrainerOptions & o) { o.batchSize = -3000000; }, "batch size must be at least 1, got -3000000");
  expectRefused([](TrainerOptions & o) { o.decayEpochs = 2000000; },
                "decay epochs must lie in [0, 1000000], got 2000000");
  expectRefused([](TrainerOptions & o) { o.learningRate = 0.0; }, "learning rate must be positive, got 0");
  expectRefused([](TrainerOptions & o) { o.beta1 = 1.0; }, "beta1 must lie in [0, 1), got 1");
  expectRefused([](TrainerOptions & o) { o.lambda = -0.5; }, "lambda must not be negative, got -0.5");
  expectRefused([](TrainerOptions & o) { o.identityWeight = std::nan(""); },
                "identity weight must not be negative, got nan");
  expectRefused(
    [](TrainerOptions & o)
    {
      o.epochs = 0;
      o.decayEpochs = 0;
    },
    "at least one epoch must be scheduled (constant epochs + decay epochs)");
  expectRefused([](TrainerOptions & o) { o.precision = torch::kHalf; }, "training precision must be float or double");
}

// A checkpoint stores every option of the model (TrainerOptionFields.h), and not the choices of
// the run.
TEST(Trainer, CheckpointsKeepEveryStoredOption)
{
  TrainerOptions options = tinyOptions(Objective::Unpaired);
  options.ganLoss = GanLoss::Vanilla;
  options.lambda = 7.5;
  options.ganWeight = 0.25;
  options.identityWeight = 0.5;
  options.reconstructionLoss = ReconstructionLoss::L2;
  options.learningRate = 3e-4;
  options.beta1 = 0.25;
  options.beta2 = 0.75;
  options.epochs = 4;
  options.decayEpochs = 5;
  options.batchSize = 2;
  options.poolSize = 3;
  options.gradientMode = GradientMode::ReversibleCore;
  options.seed = 99;
  options.discriminatorWidth = 8;
  options.discriminatorLayers = 1;
  options.precision = torch::kDouble;
  options.skipNonFinite = true;
  const std::string checkpoint = temporaryPath("options.pt");
  Trainer(tinyRevGAN(), options).saveCheckpoint(checkpoint);
  const TrainerOptions resumed = Trainer::resume(checkpoint)->options();
  std::filesystem::remove(checkpoint);
  EXPECT_EQ(resumed.objective, options.objective);
  EXPECT_EQ(resumed.ganLoss, options.ganLoss);
  EXPECT_EQ(resumed.lambda, options.lambda);
  EXPECT_EQ(resumed.ganWeight, options.ganWeight);
  EXPECT_EQ(resumed.identityWeight, options.identityWeight);
  EXPECT_EQ(resumed.reconstructionLoss, options.reconstructionLoss);
  EXPECT_EQ(resumed.learningRate, options.learningRate);
  EXPECT_EQ(resumed.beta1, options.beta1);
  EXPECT_EQ(resumed.beta2, options.beta2);
  EXPECT_EQ(resumed.epochs, options.epochs);
  EXPECT_EQ(resumed.decayEpochs, options.decayEpochs);
  EXPECT_EQ(resumed.batchSize, options.batchSize);
  EXPECT_EQ(resumed.poolSize, options.poolSize);
  EXPECT_EQ(resumed.gradientMode, options.gradientMode);
  EXPECT_EQ(resumed.seed, options.seed);
  EXPECT_EQ(resumed.discriminatorWidth, options.discriminatorWidth);
  EXPECT_EQ(resumed.discriminatorLayers, options.discriminatorLayers);
  EXPECT_EQ(resumed.device, options.device);
  EXPECT_EQ(resumed.precision, options.precision);
  EXPECT_FALSE(resumed.skipNonFinite) << "a choice of the run, not stored";
}

// Interrupted and resumed from a checkpoint, a run ends with the same weights as one that ran
// through — for both objectives (the unpaired one also restores its pools).
TEST(Trainer, ResumedRunEndsWithTheSameWeights)
{
  for (const Objective objective : { Objective::Paired, Objective::Unpaired })
  {
    const TrainerOptions options = tinyOptions(objective);
    CropSource           throughSource = syntheticSource(objective == Objective::Paired);
    Trainer              through(tinyRevGAN(), options);
    through.train(throughSource);
    EXPECT_EQ(through.epoch(), 3);

    CropSource        firstSource = syntheticSource(objective == Objective::Paired);
    const std::string checkpoint = temporaryPath("checkpoint.pt");
    {
      Trainer interrupted(tinyRevGAN(), options);
      interrupted.train(firstSource, 2);
      interrupted.saveCheckpoint(checkpoint);
    }
    torch::manual_seed(12345); // whatever happened in between must not matter
    auto resumed = Trainer::resume(checkpoint);
    EXPECT_EQ(resumed->epoch(), 2);
    resumed->train(firstSource);
    EXPECT_LE(test::maxParameterDifference(*resumed->generator(), *through.generator()), 1e-6) << toString(objective);
    EXPECT_GT(test::maxParameterDifference(*resumed->generator(), *Trainer(tinyRevGAN(), options).generator()), 1e-4)
      << "training changed nothing";
    std::filesystem::remove(checkpoint);
  }
}

// The biases of convolutions followed by instance normalization have a gradient that is zero up
// to rounding, and Adam turns that noise into steps of ±lr whose signs differ between runs; they do
// not change what the network computes. Weights must agree to 1e-5 and outputs (range [-1, 1]) to
// 1e-3: Adam divides by the root of tiny second moments, which magnifies float rounding.
TEST(Trainer, NaiveAndReversibleTrainingGiveTheSameWeights)
{
  auto trainedWith = [](GradientMode mode)
  {
    TrainerOptions options = tinyOptions(Objective::Unpaired);
    options.gradientMode = mode;
    CropSource source = syntheticSource(false);
    Trainer    trainer(tinyRevGAN(), options);
    trainer.train(source, 1);
    return trainer.generator();
  };
  auto naive = trainedWith(GradientMode::Naive);
  auto reversible = trainedWith(GradientMode::Reversible);
  EXPECT_LE(test::maxParameterDifference(*reversible, *naive, "weight"), 1e-5);
  torch::NoGradGuard  noGrad;
  const torch::Tensor x = syntheticSource(true).nextBatch(1).x;
  EXPECT_LE((naive->forward(x) - reversible->forward(x)).abs().max().item<double>(), 1e-3);
  EXPECT_LE((naive->inverse(x) - reversible->inverse(x)).abs().max().item<double>(), 1e-3);
}

TEST(Trainer, SameSeedSameRun)
{
  auto trained = []
  {
    CropSource source = syntheticSource(false);
    Trainer    trainer(tinyRevGAN(), tinyOptions(Objective::Unpaired));
    trainer.train(source, 1);
    return trainer.generator();
  };
  EXPECT_EQ(test::maxParameterDifference(*trained(), *trained()), 0.0);
}

// A NaN in the data must stop training with a message naming the step, before any weight changes;
// or, when asked, the update is skipped and training goes on.
TEST(Trainer, NonFiniteLossStopsTrainingOrIsSkipped)
{
  CropSource    source = syntheticSource(true);
  TrainingBatch batch = source.nextBatch(1);
  TrainingBatch poisoned = batch;
  poisoned.x = batch.x.clone();
  poisoned.x.index_put_({ 0, 0, 5, 7 }, std::numeric_limits<float>::quiet_NaN());

  Trainer                    trainer(tinyRevGAN(), tinyOptions(Objective::Paired));
  std::vector<torch::Tensor> before;
  for (const auto & parameter : trainer.generator()->parameters())
    before.push_back(parameter.detach().clone());
  auto change = [&]
  {
    double     largest = 0.0;
    const auto now = trainer.generator()->parameters();
    for (size_t i = 0; i < now.size(); ++i)
      largest = std::max(largest, (now[i] - before[i]).abs().max().item<double>());
    return largest;
  };
  try
  {
    trainer.step(poisoned);
    FAIL() << "a NaN input must stop training";
  }
  catch (const NonFiniteTrainingError & error)
  {
    const std::string message = error.what();
    EXPECT_NE(message.find("epoch 0, iteration 0: the generator loss is nan"), std::string::npos) << message;
  }
  EXPECT_EQ(change(), 0.0);

  trainer.setSkipNonFinite(true);
  trainer.step(poisoned);
  EXPECT_EQ(trainer.skippedUpdates(), 1);
  EXPECT_EQ(change(), 0.0);
  trainer.step(batch);
  EXPECT_EQ(trainer.skippedUpdates(), 1);
  EXPECT_GT(change(), 0.0);
}

// Pix2pix and CycleGAN are the same objectives with the ResNet generator pair.
TEST(Trainer, BaselinesTrainWithTheSameCode)
{
  GeneratorSpec spec = tinyRevGAN();
  spec.kind = GeneratorKind::ResNet;
  for (const Objective objective : { Objective::Paired, Objective::Unpaired })
  {
    CropSource       source = syntheticSource(objective == Objective::Paired);
    Trainer          trainer(spec, tinyOptions(objective));
    const LossValues losses = trainer.step(source.nextBatch(2));
    ASSERT_EQ(losses.size(), 7u) << toString(objective);
    for (const auto & [name, value] : losses)
      EXPECT_TRUE(std::isfinite(value)) << name;
    EXPECT_GT(test::maxParameterDifference(*trainer.generator(), *Trainer(spec, tinyOptions(objective)).generator()),
              0.0);
  }
}

TEST(Trainer, MonitorsTheReconstructionErrorOfTheCore)
{
  CropSource     source = syntheticSource(true);
  TrainerOptions options = tinyOptions(Objective::Paired);
  options.monitorReconstruction = true;
  Trainer          trainer(tinyRevGAN(), options);
  const LossValues values = trainer.step(source.nextBatch(1));
  ASSERT_GE(values.size(), 2u);
  const auto & absolute = values[values.size() - 2];
  const auto & relative = values.back();
  ASSERT_EQ(absolute.first, "reconstruction_error_core");
  ASSERT_EQ(relative.first, "reconstruction_relative_error_core");
  EXPECT_GE(absolute.second, 0.0);
  EXPECT_LE(relative.second, 1e-6);
  trainer.setMonitorReconstruction(false);
  EXPECT_NE(trainer.step(source.nextBatch(1)).back().first, "reconstruction_relative_error_core");

  options.monitorReconstruction = false;
  options.gradientMode = GradientMode::Naive;
  Trainer naive(tinyRevGAN(), options);
  EXPECT_THROW(naive.setMonitorReconstruction(true), std::invalid_argument);
}

TEST(Trainer, ReportsProgressAndWritesALossLog)
{
  TrainerOptions    options = tinyOptions(Objective::Paired);
  CropSource        source = syntheticSource(true);
  Trainer           trainer(tinyRevGAN(), options);
  const std::string logPath = temporaryPath("losses.csv");
  {
    LossLog log(logPath);
    int     calls = 0;
    trainer.train(source,
                  1,
                  [&](const TrainingProgress & progress)
                  {
                    ++calls;
                    EXPECT_EQ(progress.epoch, 0);
                    EXPECT_EQ(progress.iterationsPerEpoch, 4);
                    EXPECT_GT(progress.samplesPerSecond, 0.0);
                    log.write(progress);
                  });
    EXPECT_EQ(calls, 4);
    EXPECT_NO_THROW(log.flushToDisk());
  }
  {
    // Flushing (before each checkpoint) fails naming the file when the file is gone.
    const std::string goneLog = temporaryPath("gone.csv");
    LossLog           gone(goneLog);
    std::filesystem::remove(goneLog);
    try
    {
      gone.flushToDisk();
      ADD_FAILURE() << "flushed a removed log";
    }
    catch (const std::runtime_error & error)
    {
      EXPECT_NE(std::string(error.what()).find("'" + goneLog + "' cannot be flushed to the disk"), std::string::npos)
        << error.what();
    }
  }
  std::ifstream file(logPath);
  std::string   header, line;
  std::getline(file, header);
  EXPECT_EQ(header, "epoch,iteration,learning_rate,samples_per_second,generator,l1_xy,l1_yx,gan_xy,gan_yx,d_x,d_y");
  int rows = 0;
  while (std::getline(file, line))
    ++rows;
  EXPECT_EQ(rows, 4);
  std::filesystem::remove(logPath);
  EXPECT_THROW(LossLog("/nonexistent-folder/losses.csv"), std::runtime_error);
}

} // namespace
} // namespace revgan
