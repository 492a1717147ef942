// SPDX-License-Identifier: Apache-2.0
#include "revgan/MemoryTracker.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <torch/version.h>

#ifdef REVGAN_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>

namespace revgan
{

namespace
{

std::atomic<int64_t> g_currentBytes{ 0 };
std::atomic<int64_t> g_peakBytes{ 0 };

// Each block starts with a header holding its size; the pointer handed out is just past it and
// keeps LibTorch's 64-byte alignment.
constexpr size_t kHeaderBytes = 64;

void
raisePeak(int64_t value)
{
  int64_t peak = g_peakBytes.load(std::memory_order_relaxed);
  while (value > peak && !g_peakBytes.compare_exchange_weak(peak, value, std::memory_order_relaxed))
  {
  }
}

void
freeTracked(void * data)
{
  if (data == nullptr)
  {
    return;
  }
  char *       block = static_cast<char *>(data) - kHeaderBytes;
  const size_t bytes = *reinterpret_cast<size_t *>(block);
  g_currentBytes.fetch_sub(static_cast<int64_t>(bytes), std::memory_order_relaxed);
  std::free(block);
}

/// Counting CPU allocator. The DataPtr's context is its data pointer itself: LibTorch's
/// raw_allocate (used by the oneDNN path) requires exactly that.
class TrackingCpuAllocator final : public c10::Allocator
{
public:
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3)
  c10::DataPtr
  allocate(size_t bytes) override
  {
    return allocateTracked(bytes);
  }
  void
  copy_data(void * destination, const void * source, std::size_t count) const override
  {
    std::memcpy(destination, source, count);
  }
#else
  c10::DataPtr
  allocate(size_t bytes) const override
  {
    return allocateTracked(bytes);
  }
#endif

  c10::DeleterFnPtr
  raw_deleter() const override
  {
    return &freeTracked;
  }

private:
  static c10::DataPtr
  allocateTracked(size_t bytes)
  {
    const c10::Device cpu(c10::DeviceType::CPU);
    if (bytes == 0)
    {
      return { nullptr, nullptr, &freeTracked, cpu };
    }
    void * block = nullptr;
    if (posix_memalign(&block, kHeaderBytes, bytes + kHeaderBytes) != 0)
    {
      throw std::bad_alloc();
    }
    *static_cast<size_t *>(block) = bytes;
    raisePeak(g_currentBytes.fetch_add(static_cast<int64_t>(bytes), std::memory_order_relaxed) +
              static_cast<int64_t>(bytes));
    void * data = static_cast<char *>(block) + kHeaderBytes;
    return { data, data, &freeTracked, cpu };
  }
};

TrackingCpuAllocator g_trackingAllocator;
std::once_flag       g_installOnce;
std::atomic<bool>    g_installed{ false };

// Above the priority of LibTorch's default CPU allocator (0).
constexpr uint8_t kTrackingPriority = 100;

void
checkDevice(const c10::Device & device)
{
  if (device.is_cpu())
  {
    if (!g_installed.load())
    {
      throw std::logic_error("CPU memory tracking is not installed: call MemoryTracker::installTracking() first");
    }
    return;
  }
#ifndef REVGAN_WITH_CUDA
  throw std::invalid_argument("memory statistics for device " + device.str() +
                              " are not available: this build has no CUDA support");
#else
  if (!device.is_cuda())
  {
    throw std::invalid_argument("memory statistics are available for cpu and cuda devices only, not " + device.str());
  }
#endif
}

#ifdef REVGAN_WITH_CUDA
c10::DeviceIndex
cudaIndex(const c10::Device & device)
{
  return device.has_index() ? device.index() : 0;
}
#endif

} // namespace

void
MemoryTracker::installTracking()
{
  std::call_once(g_installOnce,
                 []
                 {
                   c10::SetCPUAllocator(&g_trackingAllocator, kTrackingPriority);
                   g_installed.store(true);
                 });
}

bool
MemoryTracker::trackingInstalled()
{
  return g_installed.load();
}

int64_t
MemoryTracker::currentBytes(const c10::Device & device)
{
  checkDevice(device);
#ifdef REVGAN_WITH_CUDA
  if (device.is_cuda())
  {
    // Index 0 of each statistics array is the aggregate over pool types.
    return c10::cuda::CUDACachingAllocator::getDeviceStats(cudaIndex(device)).allocated_bytes[0].current;
  }
#endif
  return g_currentBytes.load();
}

int64_t
MemoryTracker::peakBytes(const c10::Device & device)
{
  checkDevice(device);
#ifdef REVGAN_WITH_CUDA
  if (device.is_cuda())
  {
    return c10::cuda::CUDACachingAllocator::getDeviceStats(cudaIndex(device)).allocated_bytes[0].peak;
  }
#endif
  return g_peakBytes.load();
}

void
MemoryTracker::resetPeak(const c10::Device & device)
{
  checkDevice(device);
#ifdef REVGAN_WITH_CUDA
  if (device.is_cuda())
  {
    c10::cuda::CUDACachingAllocator::resetPeakStats(cudaIndex(device));
    return;
  }
#endif
  g_peakBytes.store(g_currentBytes.load());
}

} // namespace revgan
