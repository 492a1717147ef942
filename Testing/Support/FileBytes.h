// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <fstream>
#include <iterator>
#include <string>

namespace revgan::test
{

/// The whole contents of a file ("" when it cannot be read).
inline std::string
bytesOf(const std::string & path)
{
  std::ifstream stream(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(stream), {});
}

/// Replaces the contents of a file with `bytes`.
inline void
writeBytes(const std::string & path, const std::string & bytes)
{
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

} // namespace revgan::test
