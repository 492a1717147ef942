// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <c10/core/Device.h>

#include <string>

namespace revgan
{

/// The device named by `name` ("cpu", "cuda", "cuda:1"). Throws std::invalid_argument for a
/// malformed name, or a CUDA device when this LibTorch has no CUDA or the machine no such GPU.
c10::Device
selectDevice(const std::string & name);

/// Waits until all work queued on `device` is done (CUDA runs asynchronously); nothing on the CPU.
/// Timings and memory figures of GPU work are taken after it.
void
synchronizeDevice(const c10::Device & device);

} // namespace revgan
