// SPDX-License-Identifier: Apache-2.0
#include "revgan/DeviceSelection.h"

#include <torch/cuda.h>

#include <stdexcept>

#ifdef REVGAN_WITH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#endif

namespace revgan
{

c10::Device
selectDevice(const std::string & name)
{
  c10::Device device(c10::DeviceType::CPU);
  try
  {
    device = c10::Device(name);
  }
  catch (const std::exception &)
  {
    throw std::invalid_argument("unknown device '" + name + "' (expected cpu, cuda or cuda:N)");
  }
  if (device.is_cpu())
  {
    return device;
  }
  if (!device.is_cuda())
  {
    throw std::invalid_argument("device '" + name + "' is not supported (expected cpu, cuda or cuda:N)");
  }
  if (!torch::cuda::is_available())
  {
    throw std::invalid_argument("device '" + name +
                                "' requested, but this build of LibTorch has no CUDA or no GPU is visible");
  }
  const auto available = static_cast<int64_t>(torch::cuda::device_count());
  if (device.has_index() && device.index() >= available)
  {
    throw std::invalid_argument("device '" + name + "' requested, but only " + std::to_string(available) +
                                " CUDA device(s) are visible");
  }
  return device;
}

void
synchronizeDevice(const c10::Device & device)
{
#ifdef REVGAN_WITH_CUDA
  if (device.is_cuda())
  {
    c10::cuda::device_synchronize();
  }
#else
  (void)device;
#endif
}

} // namespace revgan
