// SPDX-License-Identifier: Apache-2.0
// Linked into the fuzz targets. Given a crafted size, LibTorch's and ITK's parsers ask operator
// new for more memory than there is; in a normal build that throws std::bad_alloc, which the
// toolkit reports as an error naming the file. AddressSanitizer's operator new aborts instead, so
// the fuzz targets use this one, which throws as the standard one does. Its memory still comes
// from AddressSanitizer's malloc, which returns null above max_allocation_size_mb (run-fuzzer.sh).
#include <cstdlib>
#include <new>

void *
operator new(std::size_t size)
{
  if (void * memory = std::malloc(size == 0 ? 1 : size))
    return memory;
  throw std::bad_alloc();
}

void *
operator new[](std::size_t size)
{
  return operator new(size);
}

void
operator delete(void * memory) noexcept
{
  std::free(memory);
}

void
operator delete[](void * memory) noexcept
{
  std::free(memory);
}

void
operator delete(void * memory, std::size_t) noexcept
{
  std::free(memory);
}

void
operator delete[](void * memory, std::size_t) noexcept
{
  std::free(memory);
}
