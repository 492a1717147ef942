// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace revgan::test
{

/// The file a fuzz target writes each input to, for readers that take file names: one per
/// process in the temporary folder, removed when the object goes (at exit, for a static one).
class FuzzInputFile
{
public:
  explicit FuzzInputFile(const std::string & extension)
    : path_(
        (std::filesystem::temp_directory_path() / ("revgan-fuzz-" + std::to_string(::getpid()) + extension)).string())
  {
  }
  ~FuzzInputFile()
  {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  FuzzInputFile(const FuzzInputFile &) = delete;
  FuzzInputFile &
  operator=(const FuzzInputFile &) = delete;

  /// Replaces the file's contents; returns its path.
  const std::string &
  write(const void * data, size_t size) const
  {
    std::ofstream(path_, std::ios::binary | std::ios::trunc)
      .write(static_cast<const char *>(data), static_cast<std::streamsize>(size));
    return path_;
  }

private:
  std::string path_;
};

} // namespace revgan::test
