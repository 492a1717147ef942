// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <string>

namespace revgan
{

/// Runs `body`, turning any exception into one line "EXECUTABLE: error: MESSAGE" on stderr and exit
/// status 1. Also sets up the heap for large tensors (keepFreedMemoryForReuse).
int
runApplication(const std::string & executable, const std::function<int()> & body);

} // namespace revgan
