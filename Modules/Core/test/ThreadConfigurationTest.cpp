// SPDX-License-Identifier: Apache-2.0
// The thread count: the request, then REVGAN_NUM_THREADS, then the hardware.
#include "revgan/ThreadConfiguration.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <stdexcept>

#include <cstdlib>
#include <thread>

namespace revgan
{
namespace
{

TEST(ThreadConfiguration, UsesRequestThenEnvironmentThenHardware)
{
  const int before = at::get_num_threads();
  EXPECT_EQ(configureThreads(1), 1);
  EXPECT_EQ(at::get_num_threads(), 1);

  setenv("REVGAN_NUM_THREADS", "2", 1);
  EXPECT_EQ(configureThreads(), 2);
  EXPECT_EQ(configureThreads(1), 1);
  setenv("REVGAN_NUM_THREADS", "many", 1);
  EXPECT_THROW(configureThreads(), std::invalid_argument);
  unsetenv("REVGAN_NUM_THREADS");

  const int hardware = static_cast<int>(std::thread::hardware_concurrency());
  EXPECT_EQ(configureThreads(), hardware > 0 ? hardware : 1);
  at::set_num_threads(before);
}

} // namespace
} // namespace revgan
