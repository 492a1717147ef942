// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace revgan::test
{

/// A path under the system's temporary folder for one file of a test, named by `name` and the
/// process (the caller removes the file).
inline std::string
temporaryPath(const std::string & name)
{
  return (std::filesystem::temp_directory_path() / ("revgan_test_" + std::to_string(::getpid()) + "_" + name)).string();
}

/// A new, empty folder under the system's temporary folder, removed with all it holds when the
/// object goes. Named by prefix, process and a counter, so that tests run side by side (ctest -j)
/// do not meet.
class TemporaryFolder
{
public:
  explicit TemporaryFolder(const std::string & prefix)
    : folder_(std::filesystem::temp_directory_path() /
              (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++)))
  {
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
  }
  ~TemporaryFolder()
  {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
  TemporaryFolder(const TemporaryFolder &) = delete;
  TemporaryFolder &
  operator=(const TemporaryFolder &) = delete;

  const std::filesystem::path &
  folder() const
  {
    return folder_;
  }
  /// The path of `name` in the folder.
  std::string
  path(const std::string & name) const
  {
    return (folder_ / name).string();
  }

private:
  static std::atomic<int> &
  counter()
  {
    static std::atomic<int> value{ 0 };
    return value;
  }
  std::filesystem::path folder_;
};

} // namespace revgan::test
