// SPDX-License-Identifier: Apache-2.0
#include "revgan/CouplingOptions.h"

#include <stdexcept>
#include <string>

namespace revgan
{

void
checkCouplingChannels(int64_t channels)
{
  if (channels % 2 != 0)
  {
    throw std::invalid_argument("additive coupling splits channels into two halves, but got an odd channel count " +
                                std::to_string(channels));
  }
  if (channels < 2)
  {
    throw std::invalid_argument("additive coupling needs at least 2 channels, got " + std::to_string(channels));
  }
}

} // namespace revgan
