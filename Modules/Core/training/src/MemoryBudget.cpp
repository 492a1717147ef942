// SPDX-License-Identifier: Apache-2.0
#include "revgan/MemoryBudget.h"

#include "revgan/GeneratorTable.h"
#include "revgan/MemoryTracker.h"
#include "revgan/Trainer.h"

#include <unistd.h>

#ifdef REVGAN_WITH_CUDA
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>
#endif

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace revgan
{

namespace
{

std::string
mebibytes(int64_t bytes)
{
  std::ostringstream text;
  text.precision(1);
  text << std::fixed << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MiB";
  return text.str();
}

/// MemAvailable of /proc/meminfo (what the kernel can give without swapping), else free pages.
int64_t
availableSystemBytes()
{
  std::ifstream meminfo("/proc/meminfo");
  std::string   key;
  int64_t       kibibytes = 0;
  std::string   unit;
  while (meminfo >> key >> kibibytes >> unit)
    if (key == "MemAvailable:")
      return kibibytes * 1024;
  return static_cast<int64_t>(sysconf(_SC_AVPHYS_PAGES)) * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

} // namespace

std::string
GradientModeChoice::describe(int64_t budgetBytes) const
{
  std::string text = toString(mode) + " (";
  for (size_t i = 0; i < peakBytes.size(); ++i)
    text += (i > 0 ? "; " : "") + toString(peakBytes[i].first) + " " + mebibytes(peakBytes[i].second);
  return text + ") " + (fits ? "fits " : "does not fit ") + mebibytes(budgetBytes);
}

GradientModeChoice
chooseGradientMode(Trainer & trainer, const TrainingBatch & probe, int64_t budgetBytes)
{
  if (budgetBytes <= 0)
    throw std::invalid_argument("a memory budget must be positive");
  const c10::Device device = trainer.options().device;
  if (device.is_cpu())
    MemoryTracker::installTracking();
  const bool hasCore = generatorDefinition(trainer.generator()->spec().kind).family == GeneratorFamily::Invertible &&
                       trainer.generator()->spec().depth > 0;
  const std::vector<GradientMode> frugalFirst =
    hasCore ? std::vector<GradientMode>{ GradientMode::Reversible, GradientMode::ReversibleCore, GradientMode::Naive }
            : std::vector<GradientMode>{ GradientMode::Naive };
  GradientModeChoice choice;
  choice.mode = frugalFirst.front();
  for (const GradientMode mode : frugalFirst)
  {
    trainer.setGradientMode(mode);
    const int64_t peak = trainer.generatorUpdatePeakBytes(probe);
    choice.peakBytes.emplace_back(mode, peak);
    if (peak > budgetBytes)
      break;
    choice.mode = mode;
    choice.fits = true;
  }
  trainer.setGradientMode(choice.mode);
  return choice;
}

int64_t
automaticMemoryBudget(const c10::Device & device)
{
#ifdef REVGAN_WITH_CUDA
  if (device.is_cuda())
  {
    c10::cuda::CUDAGuard guard(device);
    size_t               freeBytes = 0, totalBytes = 0;
    if (cudaMemGetInfo(&freeBytes, &totalBytes) != cudaSuccess)
      throw std::runtime_error("cannot read the free memory of " + device.str());
    return static_cast<int64_t>(0.8 * static_cast<double>(freeBytes));
  }
#endif
  if (!device.is_cpu())
    throw std::invalid_argument("an automatic memory budget needs a CPU or CUDA device, not " + device.str());
  return availableSystemBytes() / 2;
}

int64_t
parseMemoryBudget(const std::string & text, const c10::Device & device, const std::string & option)
{
  if (text == "auto")
    return automaticMemoryBudget(device);
  size_t consumed = 0;
  double mebibytes = 0.0;
  try
  {
    mebibytes = std::stod(text, &consumed);
  }
  catch (const std::exception &)
  {
    consumed = 0;
  }
  if (consumed == 0 || consumed != text.size() || !std::isfinite(mebibytes) || mebibytes <= 0.0)
    throw std::invalid_argument(option + " must be a positive number of MiB or 'auto', got '" + text + "'");
  return static_cast<int64_t>(mebibytes * 1024.0 * 1024.0);
}

} // namespace revgan
