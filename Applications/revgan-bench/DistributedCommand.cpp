// SPDX-License-Identifier: Apache-2.0
// revgan-bench distributed: throughput of data-parallel training with 1, 2, … processes on this
// machine (started as torchrun --standalone starts them), the time in communication, the scaling
// efficiency, and each process's activation memory.
#include "BenchmarkCommands.h"
#include "BenchmarkPresets.h"
#include "BenchmarkTable.h"
#include "JsonLine.h"

#include "revgan/DataParallel.h"
#include "revgan/DeviceSelection.h"
#include "revgan/LocalJob.h"
#include "revgan/MemoryTracker.h"
#include "revgan/TrainingBenchmark.h"
#include "revgan/UpperMedian.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <utility>

namespace revgan
{

namespace
{

/// One process of a measured job: joins it from the environment, trains, and rank 0 writes every
/// process's figures to `resultPath`, one line per rank.
int
runWorker(const std::string & resultPath,
          const std::string & name,
          int64_t             depth,
          int                 warmup,
          int                 steps,
          const c10::Device & device)
{
  MemoryTracker::installTracking();
  DataParallelOptions options = DataParallelOptions::fromEnvironment();
  options.timeout = std::chrono::seconds(120);
  const TrainingPreset configuration = trainingPreset(name, depth, device);
  auto                 group = DataParallelGroup::join(options, device);
  const auto           figures = measureDataParallelSteps(configuration.benchmarkCase, group, warmup, steps);
  const torch::Tensor  all = group
                              ->gather(torch::tensor({ figures.secondsPerStep,
                                                       figures.communicationSecondsPerStep,
                                                       static_cast<double>(figures.peakActivationBytes) },
                                                     torch::kDouble)
                                         .to(device))
                              .cpu();
  if (group->rank() != 0)
    return 0;
  std::ofstream result(resultPath);
  result.precision(17);
  for (int64_t rank = 0; rank < all.size(0); ++rank)
    result << all[rank][0].item<double>() << " " << all[rank][1].item<double>() << " "
           << static_cast<int64_t>(all[rank][2].item<double>()) << "\n";
  return result ? 0 : 1;
}

/// The figures of every process of a job of `ranks` processes.
std::vector<DataParallelStepFigures>
measureJob(const std::string & name,
           int64_t             depth,
           int                 ranks,
           int                 threadsPerRank,
           int                 warmup,
           int                 steps,
           const std::string & device)
{
  const std::string resultPath =
    (std::filesystem::temp_directory_path() / ("revgan-bench-distributed-" + std::to_string(::getpid()) + ".txt"))
      .string();
  std::filesystem::remove(resultPath);
  LocalJob               job(runningProgramPath(),
               { "distributed",
                               "--worker-result",
                               resultPath,
                               "--configurations",
                               name,
                               "--depths",
                               std::to_string(depth),
                               "--warmup",
                               std::to_string(warmup),
                               "--steps",
                               std::to_string(steps),
                               "--threads",
                               std::to_string(threadsPerRank),
                               "--device",
                               device },
               ranks,
               freeLoopbackPort());
  const std::vector<int> codes = job.wait(std::chrono::seconds(3600));
  for (size_t rank = 0; rank < codes.size(); ++rank)
  {
    if (codes[rank] != 0)
      throw std::runtime_error("process " + std::to_string(rank) + " of the " + std::to_string(ranks) +
                               "-process job ended with status " + std::to_string(codes[rank]));
  }
  std::ifstream                        result(resultPath);
  std::vector<DataParallelStepFigures> figures(static_cast<size_t>(ranks));
  for (auto & process : figures)
  {
    if (!(result >> process.secondsPerStep >> process.communicationSecondsPerStep >> process.peakActivationBytes))
      throw std::runtime_error("the job wrote no figures to '" + resultPath + "'");
  }
  std::filesystem::remove(resultPath);
  return figures;
}

/// Per round, the speed-up of the job of `ranks` processes over that round's 1-process job divided
/// by `ranks`; the median over rounds (0 without 1-process jobs). Pairing jobs that ran next to each
/// other keeps the machine's drift between rounds out of the ratio, as compare-builds.sh does.
double
roundEfficiency(const std::map<int64_t, std::vector<std::vector<DataParallelStepFigures>>> & jobs, int64_t ranks)
{
  const auto single = jobs.find(1);
  if (single == jobs.end())
    return 0.0;
  const auto &        measured = jobs.at(ranks);
  std::vector<double> ratios;
  for (size_t round = 0; round < measured.size(); ++round)
    ratios.push_back(single->second[round].front().secondsPerStep / measured[round].front().secondsPerStep);
  return upperMedian(std::move(ratios));
}

} // namespace

int
runDistributedCommand(const std::vector<std::string> & arguments)
{
  std::vector<std::string> configurations{ "main-3d", "revgan-2d" };
  std::vector<int64_t>     ranksList{ 1, 2 };
  std::vector<int64_t>     depths;
  int                      warmup = 2;
  int                      steps = 6;
  int                      rounds = 3;
  std::string              workerResult;
  MachineSettings          machine;
  machine.threads = 1;
  BenchmarkOptions options(
    "Usage: revgan-bench distributed [options]\n\n"
    "Data-parallel training (revgan::Trainer on PyTorch's c10d; Gloo on CPUs, NCCL on GPUs): for each\n"
    "configuration and number of processes, starts that many processes of this program on this machine\n"
    "(RANK, WORLD_SIZE, MASTER_ADDR=127.0.0.1, MASTER_PORT: as torchrun --standalone) and measures\n"
    "iterations of Trainer::train (each process draws its own share of random crops of random images).\n"
    "samples/s = processes x batch per process / median s/iteration; communication = time in all-reduces;\n"
    "efficiency = samples/s of N processes / (N x samples/s of 1), per round (the jobs of N and of 1\n"
    "process that ran next to each other), median over rounds; peak activ. = largest peak tensor\n"
    "bytes above those held before the iterations, over the processes (each measures its own).\n"
    "Each row is the median over --rounds jobs, run in turn with each number of processes, so that\n"
    "the machine's drift affects all rows alike.\n"
    "Configurations: main-3d (the main job's SRCNN+2R w32, 24^3 patches, batch 4 per process, L1) and\n"
    "revgan-2d (unpaired RevGAN w32 d6, 128^2, batch 1 per process, with GAN).");
  options.add("configurations", configurations, "main-3d, revgan-2d")
    .add("ranks", ranksList, "numbers of processes")
    .add("depths", depths, "core depths (default: 2 for main-3d, 6 for revgan-2d)")
    .add("warmup", warmup, "iterations before measuring")
    .add("steps", steps, "measured iterations per job (median)")
    .add("rounds", rounds, "jobs per row, interleaved over the numbers of processes (median of their medians)")
    .add("worker-result", workerResult, "(internal) run as a process of a job; rank 0 writes figures here");
  machine.addTo(options);
  if (!options.parse(arguments, std::cout))
    return 0;
  const c10::Device device = selectDevice(machine.device);
  if (!workerResult.empty())
  {
    machine.apply();
    return runWorker(workerResult, configurations.at(0), depths.empty() ? -1 : depths.at(0), warmup, steps, device);
  }
  for (const int64_t ranks : ranksList)
  {
    if (ranks < 1 || ranks > 1024)
      throw std::invalid_argument("--ranks values must lie in [1, 1024], got " + std::to_string(ranks));
    // Each number of processes is one row, whose rounds pair with the 1-process row's.
    if (std::count(ranksList.begin(), ranksList.end(), ranks) > 1)
      throw std::invalid_argument("--ranks lists " + std::to_string(ranks) + " twice");
  }
  if (!dataParallelAvailable())
    throw std::invalid_argument("this build has no data-parallel training (c10d and Gloo's headers were not found)");
  for (const auto & name : configurations)
    trainingPreset(name, -1, device); // rejects unknown names before any work
  const int threadsPerRank = machine.threads > 0 ? machine.threads : 1;

  BenchmarkTable table({ { "configuration", 14 },
                         { "depth", 6 },
                         { "ranks", 6 },
                         { "threads/rank", 13 },
                         { "s/iteration", 12 },
                         { "samples/s", 10 },
                         { "comm. s/it", 11 },
                         { "comm. %", 8 },
                         { "efficiency", 11 },
                         { "peak activ. MiB", 17 } });
  if (!machine.json)
    std::cout << "distributed benchmark: device " << device.str() << ", " << threadsPerRank
              << " thread(s) per process, " << steps << " measured iterations after " << warmup << "\n"
              << table.header();
  for (const auto & name : configurations)
  {
    const std::vector<int64_t> configurationDepths =
      depths.empty() ? std::vector<int64_t>{ trainingPreset(name, -1, device).benchmarkCase.spec.depth } : depths;
    for (const int64_t depth : configurationDepths)
    {
      const TrainingPreset configuration = trainingPreset(name, depth, device);
      const int64_t        batch = configuration.benchmarkCase.options.batchSize;
      // rounds × numbers of processes jobs, interleaved; per number of processes, the figures of
      // the job whose time is the median.
      std::map<int64_t, std::vector<std::vector<DataParallelStepFigures>>> jobs;
      for (int round = 0; round < std::max(1, rounds); ++round)
      {
        for (const int64_t ranks : ranksList)
          jobs[ranks].push_back(
            measureJob(name, depth, static_cast<int>(ranks), threadsPerRank, warmup, steps, machine.device));
      }
      for (const int64_t ranks : ranksList)
      {
        const double efficiency = roundEfficiency(jobs, ranks);
        // In the order the rounds ran (the pairs behind the efficiency); upperMedian takes a copy.
        const auto & measured = jobs[ranks];
        // The processes wait for each other in every all-reduce, so rank 0's time is the job's.
        const auto   figures = upperMedian(measured, [](const auto & job) { return job.front().secondsPerStep; });
        const double seconds = figures.front().secondsPerStep;
        const double communication = figures.front().communicationSecondsPerStep;
        const double rate = static_cast<double>(ranks * batch) / seconds;
        int64_t      peak = 0;
        for (const auto & job : measured)
        {
          for (const auto & process : job)
            peak = std::max(peak, process.peakActivationBytes);
        }
        if (machine.json)
        {
          JsonLine line;
          line.add("benchmark", "distributed")
            .add("configuration", name)
            .add("description", configuration.description)
            .add("depth", depth)
            .add("ranks", ranks)
            .add("threads_per_rank", threadsPerRank)
            .add("batch_per_rank", batch)
            .add("seconds_per_iteration", seconds)
            .add("samples_per_second", rate)
            .add("communication_seconds_per_iteration", communication)
            .add("communication_fraction", communication / seconds)
            .add("peak_activation_bytes", peak)
            .add("rounds", static_cast<int64_t>(measured.size()))
            .add("device", device.str());
          if (efficiency > 0.0)
            line.add("scaling_efficiency", efficiency);
          for (size_t rank = 0; rank < figures.size(); ++rank)
            line.add("peak_activation_bytes_rank" + std::to_string(rank), figures[rank].peakActivationBytes)
              .add("communication_seconds_per_iteration_rank" + std::to_string(rank),
                   figures[rank].communicationSecondsPerStep);
          // Every round's time, in the order the rounds ran.
          for (size_t round = 0; round < measured.size(); ++round)
            line.add("seconds_per_iteration_round" + std::to_string(round), measured[round].front().secondsPerStep);
          std::cout << line.str() << std::endl;
          continue;
        }
        std::cout << table.row({ name,
                                 std::to_string(depth),
                                 std::to_string(ranks),
                                 std::to_string(threadsPerRank),
                                 formatFixed(seconds, 3),
                                 formatFixed(rate, 2),
                                 formatFixed(communication, 4),
                                 formatFixed(100.0 * communication / seconds, 1),
                                 efficiency > 0.0 ? formatFixed(efficiency, 2) : "",
                                 formatFixed(mebibytes(peak), 1) })
                  << std::flush;
      }
    }
  }
  return 0;
}

} // namespace revgan
