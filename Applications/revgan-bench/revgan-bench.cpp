// revgan-bench: measures the toolkit's networks. Subcommands:
//   core   activation memory and time of one forward + backward of a reversible core, per depth,
//          in naive and reversible gradient mode.
#include "JsonLine.h"

#include "revgan/CoreBenchmark.h"
#include "revgan/DeviceSelection.h"
#include "revgan/MemoryTracker.h"
#include "revgan/ThreadConfiguration.h"

#include <ATen/Parallel.h>
#include <boost/program_options.hpp>

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace
{

constexpr const char * kUsage = "Usage: revgan-bench core [options]\n"
                                "\n"
                                "Measures one forward + backward of a reversible core (the paper's coupling blocks,\n"
                                "instance norm, N(0, 0.02) weights) for each depth, with plain autograd (naive) and\n"
                                "with reconstruction of activations during backward (reversible).\n"
                                "peak activation = peak tensor bytes above those of parameters, gradients and input.\n";

double
mebibytes(int64_t bytes)
{
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

int
runCore(const std::vector<std::string> & arguments)
{
  revgan::CoreBenchmarkSettings settings;
  std::vector<std::string>      modeNames{ "naive", "reversible" };
  std::string                   deviceName = "cpu";
  int                           threads = 0;

  po::options_description options("core options");
  options.add_options()("help,h", "print this help")(
    "depths", po::value(&settings.depths)->multitoken()->default_value(settings.depths, "6 9 12 18 30"), "core depths")(
    "modes", po::value(&modeNames)->multitoken()->default_value(modeNames, "naive reversible"), "gradient modes")(
    "dimensions", po::value(&settings.dimensions)->default_value(settings.dimensions), "2 (images) or 3 (volumes)")(
    "channels",
    po::value(&settings.channels)->default_value(settings.channels),
    "channels of the core (even; 224 = 4 x width 56, the paper's Table 5)")(
    "size",
    po::value(&settings.size)->default_value(settings.size),
    "spatial extent per dimension (64 = a 256x256 image after two downsamplings)")(
    "batch", po::value(&settings.batch)->default_value(settings.batch), "batch size")(
    "repeat", po::value(&settings.repetitions)->default_value(settings.repetitions), "timed steps per row (median)")(
    "seed", po::value(&settings.seed)->default_value(settings.seed), "random seed")(
    "device", po::value(&deviceName)->default_value(deviceName), "cpu, cuda or cuda:N")(
    "threads", po::value(&threads)->default_value(0), "CPU threads (0: all hardware threads)")(
    "json", "one JSON object per line instead of a table");

  po::variables_map values;
  po::store(po::command_line_parser(arguments).options(options).run(), values);
  if (values.count("help"))
  {
    std::cout << kUsage << '\n' << options << '\n';
    return 0;
  }
  po::notify(values);

  settings.modes.clear();
  for (const auto & name : modeNames)
    settings.modes.push_back(revgan::parseGradientMode(name));
  for (const auto depth : settings.depths)
  {
    if (depth < 0)
      throw std::invalid_argument("--depths must not be negative, got " + std::to_string(depth));
  }
  if (settings.channels % 2 != 0)
    throw std::invalid_argument("--channels must be even (the core splits channels in two), got " +
                                std::to_string(settings.channels));
  settings.device = revgan::selectDevice(deviceName);
  const int  threadCount = revgan::configureThreads(threads);
  const bool json = values.count("json") > 0;
  revgan::MemoryTracker::installTracking();

  if (!json)
  {
    std::cout << "core benchmark: " << settings.dimensions << "D, " << settings.channels << " channels, size "
              << settings.size << ", batch " << settings.batch << ", device " << settings.device.str() << ", "
              << threadCount << " threads, median of " << settings.repetitions << " step(s)\n";
    std::cout << std::left << std::setw(12) << "mode" << std::right << std::setw(6) << "depth" << std::setw(18)
              << "peak activ. MiB" << std::setw(12) << "seconds" << std::setw(16) << "parameters MiB" << '\n';
  }
  revgan::runCoreBenchmark(settings,
                           [&](const revgan::CoreBenchmarkRow & row)
                           {
                             const auto & m = row.measurement;
                             if (json)
                             {
                               std::cout << revgan::JsonLine()
                                              .add("benchmark", "core")
                                              .add("mode", revgan::toString(row.mode))
                                              .add("depth", row.depth)
                                              .add("peak_bytes", m.peakActivationBytes)
                                              .add("seconds", m.seconds)
                                              .add("param_bytes", m.parameterBytes)
                                              .add("dimensions", settings.dimensions)
                                              .add("channels", settings.channels)
                                              .add("size", settings.size)
                                              .add("batch", settings.batch)
                                              .add("device", settings.device.str())
                                              .add("threads", threadCount)
                                              .str()
                                         << std::endl;
                               return;
                             }
                             std::cout << std::left << std::setw(12) << revgan::toString(row.mode) << std::right
                                       << std::setw(6) << row.depth << std::fixed << std::setprecision(1)
                                       << std::setw(18) << mebibytes(m.peakActivationBytes) << std::setprecision(3)
                                       << std::setw(12) << m.seconds << std::setprecision(2) << std::setw(16)
                                       << mebibytes(m.parameterBytes) << std::endl;
                           });
  return 0;
}

} // namespace

int
main(int argc, char ** argv)
{
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty() || all[0] == "--help" || all[0] == "-h")
  {
    std::cout << kUsage << "\nSubcommands: core\nRun 'revgan-bench core --help' for its options.\n";
    return all.empty() ? 1 : 0;
  }
  try
  {
    if (all[0] == "core")
    {
      return runCore(std::vector<std::string>(all.begin() + 1, all.end()));
    }
    std::cerr << "revgan-bench: error: unknown subcommand '" << all[0] << "' (expected: core)\n";
    return 1;
  }
  catch (const std::exception & error)
  {
    std::cerr << "revgan-bench: error: " << error.what() << '\n';
    return 1;
  }
}
