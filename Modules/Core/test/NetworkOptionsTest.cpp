#include "revgan/NetworkOptions.h"
#include "revgan/ThreadConfiguration.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

namespace revgan
{
namespace
{

TEST(NetworkOptions, NamesRoundTrip)
{
  for (const auto mode : { PaddingMode::Reflect, PaddingMode::Replicate, PaddingMode::Zero })
    EXPECT_EQ(parsePaddingMode(toString(mode)), mode);
  for (const auto norm : { Normalization::Instance, Normalization::Batch, Normalization::None })
    EXPECT_EQ(parseNormalization(toString(norm)), norm);
  for (const auto mode : { GradientMode::Naive, GradientMode::ReversibleCore, GradientMode::Reversible })
    EXPECT_EQ(parseGradientMode(toString(mode)), mode);
  for (const auto direction : { Direction::Forward, Direction::Inverse })
    EXPECT_EQ(parseDirection(toString(direction)), direction);
}

TEST(NetworkOptions, UnknownNamesAreErrorsListingTheChoices)
{
  try
  {
    parseGradientMode("checkpoint");
    FAIL();
  }
  catch (const std::invalid_argument & error)
  {
    EXPECT_STREQ(error.what(), "unknown gradient mode 'checkpoint' (expected naive, reversible-core or reversible)");
  }
  EXPECT_THROW(parsePaddingMode("circular"), std::invalid_argument);
  EXPECT_THROW(parseNormalization("layer"), std::invalid_argument);
  EXPECT_THROW(parseDirection("backward"), std::invalid_argument);
}

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

#include "revgan/DeviceSelection.h"

#include <torch/cuda.h>

namespace revgan
{
namespace
{

TEST(DeviceSelection, AcceptsCpuAndRejectsUnknownOrUnavailableDevices)
{
  EXPECT_TRUE(selectDevice("cpu").is_cpu());
  EXPECT_THROW(selectDevice("gpu"), std::invalid_argument);
  EXPECT_THROW(selectDevice("cuda:99"), std::invalid_argument);
  if (!torch::cuda::is_available())
  {
    try
    {
      selectDevice("cuda");
      FAIL() << "cuda accepted without CUDA";
    }
    catch (const std::invalid_argument & error)
    {
      EXPECT_NE(std::string(error.what()).find("no CUDA"), std::string::npos) << error.what();
    }
  }
}

} // namespace
} // namespace revgan
