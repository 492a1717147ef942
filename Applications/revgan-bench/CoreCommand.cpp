// SPDX-License-Identifier: Apache-2.0
// revgan-bench core: activation memory and time of one forward + backward of a reversible core.
#include "BenchmarkCommands.h"
#include "BenchmarkTable.h"
#include "JsonLine.h"

#include "revgan/CoreBenchmark.h"
#include "revgan/DeviceSelection.h"
#include "revgan/MemoryTracker.h"
#include "revgan/ThreadConfiguration.h"

#include <iostream>
#include <stdexcept>

namespace revgan
{

int
runCoreCommand(const std::vector<std::string> & arguments)
{
  CoreBenchmarkSettings    settings;
  std::vector<std::string> modeNames{ "naive", "reversible" };
  MachineSettings          machine;
  BenchmarkOptions         options(
    "Usage: revgan-bench core [options]\n\n"
            "Measures one forward + backward of a reversible core (the paper's coupling blocks, instance norm,\n"
            "N(0, 0.02) weights) for each depth, with plain autograd (naive) and with reconstruction of\n"
            "activations during backward (reversible). peak activation = peak tensor bytes above those of\n"
            "parameters, gradients and input.");
  options.add("depths", settings.depths, "core depths")
    .add("modes", modeNames, "gradient modes: naive, reversible")
    .add("dimensions", settings.dimensions, "2 (images) or 3 (volumes)")
    .add("channels", settings.channels, "channels of the core (even; 224 = 4 x width 56, the paper's Table 5)")
    .add("size", settings.size, "spatial extent per dimension (64 = a 256x256 image after two downsamplings)")
    .add("batch-size", settings.batch, "samples per step (as revgan-train's --batch-size)")
    .add("repeat", settings.repetitions, "timed steps per row (median)")
    .add("seed", settings.seed, "random seed");
  machine.addTo(options);
  if (!options.parse(arguments, std::cout))
    return 0;

  settings.modes.clear();
  for (const auto & name : modeNames)
    settings.modes.push_back(parseGradientMode(name));
  for (const auto depth : settings.depths)
  {
    if (depth < 0)
      throw std::invalid_argument("--depths must not be negative, got " + std::to_string(depth));
  }
  if (settings.channels % 2 != 0)
    throw std::invalid_argument("--channels must be even (the core splits channels in two), got " +
                                std::to_string(settings.channels));
  settings.device = selectDevice(machine.device);
  const int threadCount = machine.apply();
  MemoryTracker::installTracking();

  BenchmarkTable table(
    { { "mode", 12 }, { "depth", 6 }, { "peak activ. MiB", 18 }, { "seconds", 12 }, { "parameters MiB", 16 } });
  if (!machine.json)
  {
    std::cout << "core benchmark: " << settings.dimensions << "D, " << settings.channels << " channels, size "
              << settings.size << ", batch " << settings.batch << ", device " << settings.device.str() << ", "
              << threadCount << " threads, median of " << settings.repetitions << " step(s)\n"
              << table.header();
  }
  runCoreBenchmark(settings,
                   [&](const CoreBenchmarkRow & row)
                   {
                     const auto & m = row.measurement;
                     if (machine.json)
                     {
                       std::cout << JsonLine()
                                      .add("benchmark", "core")
                                      .add("mode", toString(row.mode))
                                      .add("depth", row.depth)
                                      .add("peak_bytes", m.peakActivationBytes)
                                      .add("seconds", m.seconds)
                                      .add("param_bytes", m.parameterBytes)
                                      .add("dimensions", settings.dimensions)
                                      .add("channels", settings.channels)
                                      .add("size", settings.size)
                                      .add("batch_size", settings.batch)
                                      .add("device", settings.device.str())
                                      .add("threads", threadCount)
                                      .str()
                                 << std::endl;
                       return;
                     }
                     std::cout << table.row({ toString(row.mode),
                                              std::to_string(row.depth),
                                              formatFixed(mebibytes(m.peakActivationBytes), 1),
                                              formatFixed(m.seconds, 3),
                                              formatFixed(mebibytes(m.parameterBytes), 2) })
                               << std::flush;
                   });
  return 0;
}

} // namespace revgan
