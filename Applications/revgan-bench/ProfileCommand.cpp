// SPDX-License-Identifier: Apache-2.0
// revgan-bench profile: where the time of one training step goes, by operator category — the
// convolutions by kernel, channels and pass, normalization, padding, element-wise operators, tensor
// creation, copies, autograd nodes, the time outside operators, and what recomputation costs.
#include "BenchmarkCommands.h"
#include "BenchmarkPresets.h"
#include "BenchmarkTable.h"
#include "JsonLine.h"

#include "revgan/DeviceSelection.h"
#include "revgan/EnumNames.h"
#include "revgan/TrainingBenchmark.h"

#include <iostream>

namespace revgan
{

namespace
{

/// The heading of a profiled step, e.g. "main-3d d2 reversible".
std::string
rowLabel(const std::string & preset, int64_t depth, GradientMode mode)
{
  return preset + " d" + std::to_string(depth) + " " + toString(mode);
}

} // namespace

int
runProfileCommand(const std::vector<std::string> & arguments)
{
  std::vector<std::string> presets{ "main-3d", "revgan-2d" };
  std::vector<int64_t>     depths;
  std::vector<std::string> modes{ "reversible" };
  int                      repetitions = 3;
  MachineSettings          machine;
  BenchmarkOptions         options(
    "Usage: revgan-bench profile [options]\n\n"
            "Profiles full training steps by LibTorch operator: self time per category (convolutions by kernel,\n"
            "channels and pass; normalization; padding; element-wise; tensor creation; copies and concatenation;\n"
            "views; reductions and losses; autograd nodes; other operators), the time outside operators\n"
            "(autograd engine, trainer code), and how much of each ran inside recomputations (the forward\n"
            "passes that reversible backward repeats). Steps are first timed unobserved (median), then\n"
            "observed; observing costs time per operator call, so the observed step is slower.\n"
            "Configurations: main-3d (the main job's SRCNN+2R w32, 24^3 patches, batch 4, paired L1) and\n"
            "revgan-2d (unpaired RevGAN w32, 128^2, batch 1, with GAN; the comparison with the authors' code).");
  options.add("configurations", presets, "main-3d, revgan-2d")
    .add("depths", depths, "core depths (default: 2 for main-3d; 6 and 30 for revgan-2d)")
    .add("modes", modes, "gradient modes: reversible, naive")
    .add("repeat", repetitions, "unobserved and observed steps per row");
  machine.addTo(options);
  if (!options.parse(arguments, std::cout))
    return 0;
  std::vector<GradientMode> gradientModes;
  for (const auto & mode : modes)
    gradientModes.push_back(parseGradientMode(mode));
  const c10::Device device = selectDevice(machine.device);
  for (const auto & name : presets)
    trainingPreset(name, -1, device); // rejects unknown names before any work
  const int threadCount = machine.apply();

  BenchmarkTable table(
    { { "category", 26 }, { "detail", 44 }, { "calls", 7 }, { "ms/step", 9 }, { "%", 6 }, { "recomp. ms", 11 } });
  for (const auto & name : presets)
  {
    std::vector<int64_t> presetDepths = depths;
    if (presetDepths.empty())
      presetDepths = name == "revgan-2d" ? std::vector<int64_t>{ 6, 30 } : std::vector<int64_t>{ 2 };
    for (const int64_t depth : presetDepths)
    {
      for (const GradientMode mode : gradientModes)
      {
        TrainingPreset preset = trainingPreset(name, depth, device);
        preset.benchmarkCase.options.gradientMode = mode;
        const ProfiledTrainingStep profile = profileTrainingSteps(preset.benchmarkCase, repetitions);
        const double               outside = profile.profiledSeconds - profile.operatorSeconds;
        if (machine.json)
        {
          auto line = [&](const std::string & category,
                          const std::string & detail,
                          double              seconds,
                          double              recomputation,
                          int64_t             calls)
          {
            std::cout << JsonLine()
                           .add("benchmark", "profile")
                           .add("configuration", name)
                           .add("description", preset.description)
                           .add("depth", depth)
                           .add("mode", toString(mode))
                           .add("category", category)
                           .add("detail", detail)
                           .add("calls", calls)
                           .add("seconds", seconds)
                           .add("recomputation_seconds", recomputation)
                           .add("step_seconds", profile.seconds)
                           .add("profiled_step_seconds", profile.profiledSeconds)
                           .add("device", device.str())
                           .add("threads", threadCount)
                           .str()
                      << std::endl;
          };
          for (const auto & entry : profile.entries)
            line(entry.category, entry.detail, entry.seconds, entry.recomputationSeconds, entry.calls);
          line("outside operators", "autograd engine, trainer code", outside, 0.0, 0);
          continue;
        }
        double recomputation = 0.0;
        for (const auto & entry : profile.entries)
          recomputation += entry.recomputationSeconds;
        std::cout << "\n"
                  << rowLabel(name, depth, mode) << ": " << preset.description << "; device " << device.str() << ", "
                  << threadCount << " threads\n"
                  << "step " << formatFixed(profile.seconds, 3) << " s unobserved (median of " << repetitions << "), "
                  << formatFixed(profile.profiledSeconds, 3) << " s observed; recomputation "
                  << formatFixed(1e3 * recomputation, 1) << " ms ("
                  << formatFixed(100.0 * recomputation / profile.profiledSeconds, 1) << " %)\n"
                  << table.header();
        auto row = [&](const std::string & category,
                       const std::string & detail,
                       double              seconds,
                       double              recomputationSeconds,
                       int64_t             calls)
        {
          std::cout << table.row({ category,
                                   detail.size() > 44 ? detail.substr(0, 41) + "..." : detail,
                                   calls > 0 ? std::to_string(calls) : "",
                                   formatFixed(1e3 * seconds, 1),
                                   formatFixed(100.0 * seconds / profile.profiledSeconds, 1),
                                   recomputationSeconds > 0.0 ? formatFixed(1e3 * recomputationSeconds, 1) : "" });
        };
        for (const auto & entry : profile.entries)
          row(entry.category, entry.detail, entry.seconds, entry.recomputationSeconds, entry.calls);
        row("outside operators", "autograd engine, trainer code", outside, 0.0, 0);
      }
    }
  }
  return 0;
}

} // namespace revgan
