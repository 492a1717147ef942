// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/AsciiText.h"

#include <string>

namespace revgan
{

inline bool
endsWith(const std::string & text, const std::string & suffix)
{
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace revgan
