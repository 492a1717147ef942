// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace revgan
{

/// Sets the number of threads LibTorch uses inside one operation (it defaults to 1 on some
/// machines). The count is `requested` when it is positive, otherwise the environment variable
/// REVGAN_NUM_THREADS when set to a positive integer, otherwise the number of hardware threads
/// shared among `processesOnMachine` processes (the processes of a data-parallel job that run on
/// this machine; torchrun's LOCAL_WORLD_SIZE). OpenBLAS's own thread pool, when present, is set to
/// the same count. Returns the count applied. Throws std::invalid_argument for a malformed
/// REVGAN_NUM_THREADS.
int
configureThreads(int requested = 0, int processesOnMachine = 1);

} // namespace revgan
