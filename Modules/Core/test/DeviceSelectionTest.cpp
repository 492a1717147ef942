// SPDX-License-Identifier: Apache-2.0
// Device names: cpu accepted, unknown or unavailable devices refused with a reason.
#include "revgan/DeviceSelection.h"

#include <gtest/gtest.h>
#include <stdexcept>
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
