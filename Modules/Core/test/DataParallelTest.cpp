// SPDX-License-Identifier: Apache-2.0
// Data-parallel training with real processes: this program runs the tests and, started again by
// them with "--worker", the processes of each job (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT in
// their environment, as torchrun sets them), talking through c10d over the loopback interface.
#include "SyntheticTraining.h"
#include "TemporaryFolder.h"

#include "revgan/DataParallel.h"
#include "revgan/LocalJob.h"
#include "revgan/Trainer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace revgan
{
namespace
{

// ---- The worker: one process of a job ----------------------------------------------------------

/// A 2D paired RevGAN with discriminators, small enough for a few steps a second.
std::unique_ptr<Trainer>
makeTrainer(int64_t batch, bool doublePrecision)
{
  TrainerOptions options = TrainerOptions::forObjective(Objective::Paired);
  options.epochs = 1;
  options.decayEpochs = 1;
  options.discriminatorWidth = 4;
  options.batchSize = batch;
  options.seed = 11;
  options.precision = doublePrecision ? torch::kDouble : torch::kFloat;
  return std::make_unique<Trainer>(test::tinyRevGAN(), options);
}

/// Every trained tensor of the trainer, in a fixed order, written to `path`.
void
saveAllWeights(const Trainer & trainer, const std::string & path)
{
  std::vector<torch::Tensor> weights;
  for (const auto & parameter : trainer.generator()->parameters())
    weights.push_back(parameter.detach().clone());
  torch::save(weights, path);
}

/// argv: --worker SCENARIO OUTPUT BATCH [double]. Scenarios:
///   train      trains 2 epochs of 4 iterations, writes this rank's weights to OUTPUT.rankR
///   first      trains epoch 1 and writes the checkpoint OUTPUT.checkpoint (collective)
///   resume     resumes OUTPUT.checkpoint, trains to the end, writes weights as train does
///   die        rank 1 ends abruptly after joining; the others train (and must fail)
///   monitor    trains as train does, with the reconstruction monitor on
/// Exit codes: 0 done, 2 DataParallelError, 3 the rank that died, 4 any other error.
int
runWorker(const std::vector<std::string> & arguments)
{
  const std::string scenario = arguments.at(0);
  const std::string output = arguments.at(1);
  const int64_t     batch = std::stoll(arguments.at(2));
  const bool        doublePrecision = arguments.size() > 3 && arguments[3] == "double";
  try
  {
    DataParallelOptions options = DataParallelOptions::fromEnvironment();
    options.timeout = std::chrono::seconds(std::stoi(std::getenv("TEST_TIMEOUT_SECONDS")));
    auto group = DataParallelGroup::join(options, torch::kCPU);
    if (scenario == "die" && group->rank() == 1)
      std::_Exit(3);
    const int64_t            globalBatch = batch * group->worldSize();
    CropSource               source = test::syntheticSource(/*paired=*/true, 4 * globalBatch);
    std::unique_ptr<Trainer> trainer;
    if (scenario == "resume")
    {
      trainer = Trainer::resume(output + ".checkpoint", group);
    }
    else
    {
      trainer = makeTrainer(batch, doublePrecision);
      trainer->setMonitorReconstruction(scenario == "monitor");
      trainer->setDataParallel(group);
    }
    std::ofstream losses(output + ".losses.rank" + std::to_string(group->rank()));
    losses.precision(17);
    trainer->train(source,
                   scenario == "first" ? 1 : -1,
                   [&](const TrainingProgress & progress)
                   {
                     for (const auto & value : progress.losses)
                       losses << value.first << " " << value.second << "\n";
                   });
    if (scenario == "first")
    {
      trainer->saveCheckpoint(output + ".checkpoint");
      return 0;
    }
    saveAllWeights(*trainer, output + ".rank" + std::to_string(group->rank()));
    return 0;
  }
  catch (const DataParallelError & error)
  {
    std::cerr << "DataParallelError: " << error.what() << std::endl;
    return 2;
  }
  catch (const std::exception & error)
  {
    std::cerr << "error: " << error.what() << std::endl;
    return 4;
  }
}

// ---- The tests: start a job, wait for it, compare ----------------------------------------------

/// Runs a job of `worldSize` workers with `arguments` and waits for it; returns their exit codes.
std::vector<int>
runJob(const std::vector<std::string> & arguments, int worldSize, int timeoutSeconds = 30)
{
  std::vector<std::string> all{ "--worker" };
  all.insert(all.end(), arguments.begin(), arguments.end());
  LocalJob job(runningProgramPath(),
               all,
               worldSize,
               freeLoopbackPort(),
               { "TEST_TIMEOUT_SECONDS=" + std::to_string(timeoutSeconds) });
  return job.wait(std::chrono::seconds(120));
}

std::vector<torch::Tensor>
loadWeights(const std::string & path)
{
  std::vector<torch::Tensor> weights;
  torch::load(weights, path);
  return weights;
}

double
largestDifference(const std::vector<torch::Tensor> & a, const std::vector<torch::Tensor> & b)
{
  EXPECT_EQ(a.size(), b.size());
  double largest = 0.0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    largest = std::max(largest, (a[i] - b[i]).abs().max().item<double>());
  return largest;
}

std::string
contents(const std::string & path)
{
  std::ifstream     stream(path);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

TEST(DataParallel, TwoProcessesOfBatchBTrainAsOneProcessOfBatch2B)
{
  test::TemporaryFolder folder("revgan-data-parallel");
  const std::string     two = folder.path("two"), one = folder.path("one");
  ASSERT_EQ(runJob({ "train", two, "2", "double" }, 2), (std::vector<int>{ 0, 0 }));
  ASSERT_EQ(runJob({ "train", one, "4", "double" }, 1), (std::vector<int>{ 0 }));
  const auto rank0 = loadWeights(two + ".rank0"), rank1 = loadWeights(two + ".rank1");
  const auto single = loadWeights(one + ".rank0");
  // Every process ends with the same weights, bit for bit: they apply the same averaged gradients.
  EXPECT_EQ(largestDifference(rank0, rank1), 0.0);
  // The mean over 2 × 2 samples equals the mean over 4 up to rounding; after 8 Adam steps in double
  // precision the weights agree to 1e-9 (float: 1e-4, see the next test).
  EXPECT_LT(largestDifference(rank0, single), 1e-9);
  // The loss values each process reports are the job's: the same as one process's.
  const std::string lossesTwo = contents(two + ".losses.rank0");
  EXPECT_EQ(lossesTwo, contents(two + ".losses.rank1"));
  EXPECT_FALSE(lossesTwo.empty());
}

TEST(DataParallel, FloatTrainingAgreesWithOneProcessWithinStatedTolerance)
{
  test::TemporaryFolder folder("revgan-data-parallel");
  const std::string     two = folder.path("two"), one = folder.path("one");
  ASSERT_EQ(runJob({ "train", two, "1" }, 2), (std::vector<int>{ 0, 0 }));
  ASSERT_EQ(runJob({ "train", one, "2" }, 1), (std::vector<int>{ 0 }));
  EXPECT_EQ(largestDifference(loadWeights(two + ".rank0"), loadWeights(two + ".rank1")), 0.0);
  // In float the two sums round differently, and Adam, which divides by the root of the squared
  // gradients, turns a rounding difference of a near-zero gradient into a step of up to the
  // learning rate: weights are not comparable elementwise. The losses of every step are.
  std::ifstream twoLosses(two + ".losses.rank0"), oneLosses(one + ".losses.rank0");
  std::string   twoName, oneName;
  double        twoValue = 0.0, oneValue = 0.0;
  int           compared = 0;
  while (twoLosses >> twoName >> twoValue && oneLosses >> oneName >> oneValue)
  {
    ASSERT_EQ(twoName, oneName);
    EXPECT_NEAR(twoValue, oneValue, 1e-3 * std::max(1.0, std::abs(oneValue))) << twoName << " at value " << compared;
    ++compared;
  }
  EXPECT_GE(compared, 8 * 5); // 8 steps of at least 5 values
}

TEST(DataParallel, EveryProcessMonitorsTheReconstructionOfItsOwnSamples)
{
  test::TemporaryFolder folder("revgan-data-parallel");
  const std::string     job = folder.path("monitor");
  ASSERT_EQ(runJob({ "monitor", job, "1" }, 2), (std::vector<int>{ 0, 0 }));
  // Each step reports the job's error, the largest of the processes': the same on both.
  const std::string losses = contents(job + ".losses.rank0");
  EXPECT_EQ(losses, contents(job + ".losses.rank1"));
  std::istringstream lines(losses);
  std::string        name;
  double             value = 0.0;
  int                reported = 0;
  while (lines >> name >> value)
  {
    if (name != "reconstruction_error_core")
      continue;
    ++reported;
    EXPECT_GT(value, 0.0); // float reconstruction is not exact, but close
    EXPECT_LT(value, 1e-3);
  }
  EXPECT_EQ(reported, 8); // one per step
}

TEST(DataParallel, ResumingADistributedCheckpointContinuesExactly)
{
  test::TemporaryFolder folder("revgan-data-parallel");
  const std::string     whole = folder.path("whole"), parts = folder.path("parts");
  ASSERT_EQ(runJob({ "train", whole, "1" }, 2), (std::vector<int>{ 0, 0 }));
  ASSERT_EQ(runJob({ "first", parts, "1" }, 2), (std::vector<int>{ 0, 0 }));
  ASSERT_EQ(runJob({ "resume", parts, "1" }, 2), (std::vector<int>{ 0, 0 }));
  EXPECT_EQ(largestDifference(loadWeights(whole + ".rank0"), loadWeights(parts + ".rank0")), 0.0);
  EXPECT_EQ(largestDifference(loadWeights(whole + ".rank1"), loadWeights(parts + ".rank1")), 0.0);
  // A job of another size must not continue it: its samples and pools would differ.
  EXPECT_EQ(runJob({ "resume", parts, "2" }, 1), (std::vector<int>{ 4 }));
}

TEST(DataParallel, AProcessThatDiesStopsTheOthersWithAnErrorNotAHang)
{
  test::TemporaryFolder  folder("revgan-data-parallel");
  const auto             start = std::chrono::steady_clock::now();
  const std::vector<int> codes = runJob({ "die", folder.path("die"), "1" }, 2, /*timeoutSeconds=*/10);
  const double           seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(codes, (std::vector<int>{ 2, 3 }));
  EXPECT_LT(seconds, 10.0 + 20.0); // the timeout, and time to start
}

TEST(DataParallel, AProcessThatNeverJoinsStopsTheOthersWithinTheTimeout)
{
  test::TemporaryFolder folder("revgan-data-parallel");
  const auto            start = std::chrono::steady_clock::now();
  // World size 2, but only rank 0 is started: the environment names the job, the job has one.
  LocalJob     rank0(runningProgramPath(),
                 { "--worker", "train", folder.path("alone"), "1" },
                 1,
                 freeLoopbackPort(),
                 { "WORLD_SIZE=2", "TEST_TIMEOUT_SECONDS=3" });
  const int    code = rank0.wait(std::chrono::seconds(60)).front();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(code, 2);
  EXPECT_LT(seconds, 3.0 + 10.0);
}

TEST(DataParallelOptions, ReadTorchrunsAndSlurmsVariables)
{
  setenv("RANK", "3", 1);
  setenv("WORLD_SIZE", "8", 1);
  setenv("LOCAL_RANK", "1", 1);
  setenv("LOCAL_WORLD_SIZE", "2", 1);
  setenv("MASTER_ADDR", "node7", 1);
  setenv("MASTER_PORT", "23456", 1);
  DataParallelOptions options = DataParallelOptions::fromEnvironment();
  EXPECT_EQ(options.rank, 3);
  EXPECT_EQ(options.worldSize, 8);
  EXPECT_EQ(options.localRank, 1);
  EXPECT_EQ(options.processesOnMachine, 2);
  EXPECT_EQ(options.masterAddress, "node7");
  EXPECT_EQ(options.masterPort, 23456);
  unsetenv("RANK");
  unsetenv("WORLD_SIZE");
  unsetenv("LOCAL_RANK");
  setenv("SLURM_PROCID", "5", 1);
  setenv("SLURM_NTASKS", "6", 1);
  setenv("SLURM_LOCALID", "1", 1);
  options = DataParallelOptions::fromEnvironment();
  EXPECT_EQ(options.rank, 5);
  EXPECT_EQ(options.worldSize, 6);
  EXPECT_EQ(options.localRank, 1);
  setenv("MASTER_PORT", "port", 1);
  EXPECT_THROW(DataParallelOptions::fromEnvironment(), std::invalid_argument);
  for (const char * name :
       { "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT" })
    unsetenv(name);
  options = DataParallelOptions::fromEnvironment();
  EXPECT_EQ(options.worldSize, 1);
  options.rank = 1;
  EXPECT_THROW(options.validate(), std::invalid_argument);
}

} // namespace
} // namespace revgan

int
main(int argc, char ** argv)
{
  if (argc > 1 && std::string(argv[1]) == "--worker")
    return revgan::runWorker(std::vector<std::string>(argv + 2, argv + argc));
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
