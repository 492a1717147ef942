// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace revgan
{

/// Makes the C library keep freed memory for reuse instead of returning it to the system.
///
/// glibc serves every allocation above 32 MiB with a fresh mmap and unmaps it on free. 3D networks
/// allocate such tensors by the hundred per step (a 64-channel 64³ activation is 64 MiB), so
/// without this every one of them is paged in and zeroed by the kernel again: measured here, the
/// inference of SRCNN+4R on 96³ took 21.5 s, 32 s of CPU in the kernel, instead of 11.4 s
/// (`revgan-bench inference --size 96 96 96`). This sets glibc's M_MMAP_MAX to 0 and its trim
/// threshold to 2 GiB, so the heap's freed blocks are reused; the process's resident memory then
/// stays at its peak. Does nothing when the user set MALLOC_MMAP_MAX_ or MALLOC_TRIM_THRESHOLD_
/// (glibc's own variables), or on other C libraries. Returns whether it changed the settings.
/// For applications: call once at start, before large allocations.
bool
keepFreedMemoryForReuse();

} // namespace revgan
