// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace revgan
{

/// A TCP port on the loopback interface that no process listens on now (the kernel's choice),
/// for the rendezvous of a job on this machine.
int
freeLoopbackPort();

/// \brief The processes of a data-parallel job on this machine, started as `torchrun --standalone
/// --no-python` starts them: `program` with `arguments`, once per rank, each with RANK,
/// WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR (127.0.0.1) and MASTER_PORT added to
/// this process's environment, and then `environment` ("NAME=value", overriding either). Used by
/// the benchmarks and the tests of data-parallel training.
class LocalJob
{
public:
  /// Starts the processes; throws std::runtime_error if one cannot be started (those already
  /// started are killed).
  LocalJob(const std::string &              program,
           const std::vector<std::string> & arguments,
           int                              worldSize,
           int                              port,
           const std::vector<std::string> & environment = {});
  /// Kills the processes still running.
  ~LocalJob();
  LocalJob(const LocalJob &) = delete;
  LocalJob &
  operator=(const LocalJob &) = delete;

  /// Waits for every process; returns their exit codes in rank order (128 + N for signal N), and
  /// -1 for a process still running after `limit`, which is then killed.
  std::vector<int>
  wait(std::chrono::seconds limit);

private:
  std::vector<pid_t> processes_;
};

/// The path of the running program (to start it again as the processes of a job).
std::string
runningProgramPath();

} // namespace revgan
