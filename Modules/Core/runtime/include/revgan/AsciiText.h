// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace revgan
{

/// `text` in lower case (ASCII), for comparing file extensions, record names and header field
/// names case-insensitively, as the readers of those files do.
inline std::string
lowerCase(std::string text)
{
  std::transform(text.begin(),
                 text.end(),
                 text.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return text;
}

} // namespace revgan
