// SPDX-License-Identifier: Apache-2.0
// revgan-bench: measures the toolkit's networks and filters. Each subcommand prints a table, or
// one JSON object per line with --json; see `revgan-bench <subcommand> --help`.
#include "BenchmarkCommands.h"

#include "revgan/DeviceSelection.h"
#include "revgan/HeapConfiguration.h"
#include "revgan/ThreadConfiguration.h"

#include <c10/util/Exception.h>

#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace revgan
{

void
MachineSettings::addTo(BenchmarkOptions & options)
{
  options.add("device", device, "cpu, cuda or cuda:N")
    .add("threads", threads, "CPU threads (0: all hardware threads)")
    .addFlag("json", json, "one JSON object per line instead of a table");
}

int
MachineSettings::apply() const
{
  selectDevice(device);
  keepFreedMemoryForReuse();
  return configureThreads(threads);
}

} // namespace revgan

namespace
{

constexpr const char * kUsage =
  "Usage: revgan-bench <subcommand> [options]\n"
  "\n"
  "Subcommands:\n"
  "  core       memory and time of one forward + backward of a reversible core, per depth\n"
  "  memory     parameter and activation memory of full training steps (the paper's Table 5)\n"
  "  speed      seconds per training step, GFLOP/s, and the reversible / naive time ratio\n"
  "  profile    where a training step's time goes, by operator category\n"
#ifdef REVGAN_BENCH_WITH_ITK
  "  inference  voxels per second of itk::RevGANImageFilter on an HCP-sized DTI volume\n"
  "  metrics    voxels per second of the metric sinks revgan-evaluate runs (RMSE, SSIM, tensor measures)\n"
#endif
  "  distributed  samples/s, communication and scaling efficiency of data-parallel training\n"
  "  peak       the machine's sgemm rate, the reference for GFLOP/s figures\n"
  "Run 'revgan-bench <subcommand> --help' for its options.\n";

} // namespace

int
main(int argc, char ** argv)
{
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty() || all[0] == "--help" || all[0] == "-h")
  {
    std::cout << kUsage;
    return all.empty() ? 1 : 0;
  }
  using Command = std::function<int(const std::vector<std::string> &)>;
  const std::map<std::string, Command> commands{
    { "core", revgan::runCoreCommand },
    { "memory", [](const auto & arguments) { return revgan::runTrainingCommand("memory", arguments); } },
    { "speed", [](const auto & arguments) { return revgan::runTrainingCommand("speed", arguments); } },
    { "profile", revgan::runProfileCommand },
    { "peak", revgan::runPeakCommand },
    { "distributed", revgan::runDistributedCommand },
#ifdef REVGAN_BENCH_WITH_ITK
    { "inference", revgan::runInferenceCommand },
    { "metrics", revgan::runMetricsCommand },
#endif
  };
  const auto command = commands.find(all[0]);
  if (command == commands.end())
  {
    std::cerr << "revgan-bench: error: unknown subcommand '" << all[0] << "'\n" << kUsage;
    return 1;
  }
  try
  {
    return command->second(std::vector<std::string>(all.begin() + 1, all.end()));
  }
  catch (const c10::Error & error)
  {
    // LibTorch's own checks (e.g. a sample too small for the discriminator): the message without
    // LibTorch's stack trace.
    std::cerr << "revgan-bench: error: " << error.what_without_backtrace() << '\n';
    return 1;
  }
  catch (const std::exception & error)
  {
    std::cerr << "revgan-bench: error: " << error.what() << '\n';
    return 1;
  }
}
