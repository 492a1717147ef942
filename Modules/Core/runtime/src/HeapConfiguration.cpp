// SPDX-License-Identifier: Apache-2.0
#include "revgan/HeapConfiguration.h"

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace revgan
{

bool
keepFreedMemoryForReuse()
{
#if defined(__GLIBC__)
  if (std::getenv("MALLOC_MMAP_MAX_") != nullptr || std::getenv("MALLOC_TRIM_THRESHOLD_") != nullptr)
    return false;
  constexpr int kTrimThreshold = 0x7fffffff; // mallopt takes an int: about 2 GiB of free heap kept
  return mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
#else
  return false;
#endif
}

} // namespace revgan
