#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace revgan
{

/// `text` in lower case (ASCII), for comparing file extensions and header field names as the
/// readers do, case-insensitively.
inline std::string
lowerCase(std::string text)
{
  std::transform(text.begin(),
                 text.end(),
                 text.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return text;
}

inline bool
endsWith(const std::string & text, const std::string & suffix)
{
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace revgan
