// SPDX-License-Identifier: Apache-2.0
#pragma once
// The subcommands of revgan-bench; each takes the arguments after its name and returns the exit
// status. They throw std::exception on bad input (main prints it).

#include "BenchmarkOptions.h"

#include <string>
#include <vector>

namespace revgan
{

/// Options every subcommand has: where it runs and how it reports.
struct MachineSettings
{
  std::string device{ "cpu" };
  int         threads{ 0 };
  bool        json{ false };

  void
  addTo(BenchmarkOptions & options);
  /// Selects the device and sets LibTorch's thread count; returns the number of threads.
  int
  apply() const;
};

int
runCoreCommand(const std::vector<std::string> & arguments);
/// `memory` (activation and parameter bytes per depth) and `speed` (seconds per step, throughput
/// and the reversible / naive ratio) share one measurement and differ in defaults and emphasis.
int
runTrainingCommand(const std::string & name, const std::vector<std::string> & arguments);
/// Self time of a training step's operators by category, and the recomputation's share.
int
runProfileCommand(const std::vector<std::string> & arguments);
int
runPeakCommand(const std::vector<std::string> & arguments);
/// Data-parallel throughput, communication and scaling with 1, 2, … processes on this machine.
int
runDistributedCommand(const std::vector<std::string> & arguments);
#ifdef REVGAN_BENCH_WITH_ITK
int
runInferenceCommand(const std::vector<std::string> & arguments);
/// Voxels per second of the metric sinks (error figures in 2D and 3D, tensor measures).
int
runMetricsCommand(const std::vector<std::string> & arguments);
#endif

} // namespace revgan
