// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <c10/core/Device.h>

#include <cstdint>

namespace revgan
{

/// \brief Bytes of tensor storage in use, current and peak, on the CPU or a CUDA device.
///
/// CPU: installTracking() puts a counting allocator in front of LibTorch's CPU allocator; from
/// then on every CPU tensor storage allocated through LibTorch is counted until it is freed.
/// Storage allocated before installation, and scratch memory that libraries such as oneDNN or
/// OpenBLAS obtain by themselves, is not seen.
/// CUDA: the figures are those of LibTorch's caching allocator (allocated bytes, not reserved).
///
/// The counters are process-wide, so concurrent measurements interfere.
class MemoryTracker
{
public:
  /// Installs the CPU tracking allocator (idempotent, thread-safe).
  static void
  installTracking();

  /// Whether installTracking() has run in this process.
  static bool
  trackingInstalled();

  /// Bytes of tensor storage now allocated on `device`. Throws std::logic_error for the CPU before
  /// installTracking(), std::invalid_argument for a device other than the CPU or (in CUDA builds) a CUDA device.
  static int64_t
  currentBytes(const c10::Device & device = c10::Device(c10::DeviceType::CPU));

  /// Highest currentBytes() of `device` since installation (CPU), process start (CUDA) or the last
  /// resetPeak(); throws as currentBytes() does.
  static int64_t
  peakBytes(const c10::Device & device = c10::Device(c10::DeviceType::CPU));

  /// Sets the peak to the current value, so that the next peak is measured from now on.
  static void
  resetPeak(const c10::Device & device = c10::Device(c10::DeviceType::CPU));
};

} // namespace revgan
