// SPDX-License-Identifier: Apache-2.0
#include "revgan/ThreadConfiguration.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdlib>
#include <dlfcn.h>
#include <stdexcept>
#include <string>
#include <thread>

namespace revgan
{

namespace
{

int
threadsFromEnvironment()
{
  const char * value = std::getenv("REVGAN_NUM_THREADS");
  if (value == nullptr || *value == '\0')
  {
    return 0;
  }
  char *     end = nullptr;
  const long count = std::strtol(value, &end, 10);
  if (*end != '\0' || count < 1 || count > 4096)
  {
    throw std::invalid_argument(std::string("REVGAN_NUM_THREADS must be a positive integer, got '") + value + "'");
  }
  return static_cast<int>(count);
}

/// OpenBLAS keeps its own pool (one thread per core) that LibTorch's setting does not reach; its
/// threads spin while they wait, so two processes limited to one LibTorch thread each still
/// oversubscribe the cores. Found at run time: LibTorch may use another BLAS.
void
limitBlasThreads(int count)
{
  using SetThreads = void (*)(int);
  if (auto * set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
    set(count);
}

} // namespace

int
configureThreads(int requested, int processesOnMachine)
{
  int count = requested > 0 ? requested : threadsFromEnvironment();
  if (count <= 0)
  {
    count = static_cast<int>(std::thread::hardware_concurrency()) / std::max(1, processesOnMachine);
  }
  if (count <= 0)
  {
    count = 1;
  }
  at::set_num_threads(count);
  limitBlasThreads(count);
  return count;
}

} // namespace revgan
