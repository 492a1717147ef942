// SPDX-License-Identifier: Apache-2.0
#include "revgan/AtomicFileWriter.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace revgan
{

namespace
{

std::filesystem::path
folderOf(const std::string & path)
{
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  return folder.empty() ? std::filesystem::path(".") : folder;
}

/// Writes all of `size` bytes unless the system refuses; returns the bytes written and leaves
/// the refusal's errno in `error`.
size_t
writeAll(int descriptor, const void * data, size_t size, int & error)
{
  const auto * bytes = static_cast<const char *>(data);
  size_t       done = 0;
  while (done < size)
  {
    const ssize_t written = ::write(descriptor, bytes + done, size - done);
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
    {
      error = written < 0 ? errno : ENOSPC;
      break;
    }
    done += static_cast<size_t>(written);
  }
  return done;
}

[[noreturn]] void
throwUnwritable(const std::string & path, const std::string & reason)
{
  std::string     message = "'" + path + "' cannot be written: " + reason;
  std::error_code ignored;
  if (std::filesystem::exists(path, ignored))
    message += " (the file already there is left unchanged)";
  throw std::runtime_error(message);
}

/// Flushes the file at `path` to the disk (fsync); returns 0, or the system's errno.
int
syncFile(const std::string & path)
{
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0)
    return errno;
  const int error = ::fsync(descriptor) == 0 ? 0 : errno;
  ::close(descriptor);
  return error;
}

} // namespace

void
flushFileToDisk(const std::string & path)
{
  if (const int error = syncFile(path))
    throw std::runtime_error("'" + path + "' cannot be flushed to the disk: " + std::strerror(error));
}

void
replaceFileDurably(const std::string & temporary, const std::string & path)
{
  // Flushed before the rename: otherwise a crash of the machine could leave the new name on a
  // file whose bytes never reached the disk.
  if (const int error = syncFile(temporary))
  {
    ::unlink(temporary.c_str());
    throwUnwritable(path, std::strerror(error));
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0)
  {
    const int error = errno;
    ::unlink(temporary.c_str());
    throwUnwritable(path, std::strerror(error));
  }
  const int folder = ::open(folderOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder >= 0)
  {
    ::fsync(folder); // makes the rename itself durable; not all file systems support it
    ::close(folder);
  }
}

void
writeFileAtomically(const std::string & path, const std::function<void(const ByteSink &)> & produce)
{
  const std::string temporary = path + ".partial";
  int               descriptor = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  auto              fail = [&](const std::string & reason)
  {
    if (descriptor >= 0)
      ::close(descriptor);
    ::unlink(temporary.c_str());
    throwUnwritable(path, reason);
  };
  if (descriptor < 0)
  {
    const int       error = errno;
    std::error_code ignored;
    if (!std::filesystem::is_directory(folderOf(path), ignored))
      fail("folder '" + folderOf(path).string() + "' does not exist");
    fail(std::strerror(error));
  }
  int writeError = 0;
  try
  {
    // After a failed write the sink keeps accepting (and dropping) bytes and the failure is
    // reported once `produce` returns: LibTorch's zip writer, told of a short write, throws again
    // from its destructor, which ends the process (std::terminate) instead of reaching us.
    produce(
      [&](const void * data, size_t size)
      {
        if (writeError == 0)
          writeAll(descriptor, data, size, writeError);
        return size;
      });
  }
  catch (const std::exception & error)
  {
    // The producer's own message names its internals; the system's reason is the useful one.
    std::string reason = writeError != 0 ? std::strerror(writeError) : error.what();
    fail(reason.substr(0, reason.find('\n')));
  }
  catch (...)
  {
    fail(writeError != 0 ? std::strerror(writeError) : "the writer failed");
  }
  if (writeError != 0)
    fail(std::strerror(writeError));
  const int closed = ::close(descriptor);
  descriptor = -1;
  if (closed != 0)
    fail(std::strerror(errno));
  replaceFileDurably(temporary, path);
}

void
requireWritableLocation(const std::string & path)
{
  const std::filesystem::path folder = folderOf(path);
  std::error_code             ignored; // an unreadable folder counts as missing
  if (!std::filesystem::is_directory(folder, ignored))
    throw std::invalid_argument("'" + path + "' cannot be written: folder '" + folder.string() + "' does not exist");
  if (std::filesystem::is_directory(path, ignored))
    throw std::invalid_argument("'" + path + "' cannot be written: it is a folder");
  // A probe file rather than access(2): root passes access() on read-only file systems. A unique
  // name, so that the probe never meets another writer's temporary file.
  std::string probe = (folder / ".revgan-probe-XXXXXX").string();
  const int   descriptor = ::mkstemp(probe.data());
  if (descriptor < 0)
  {
    throw std::invalid_argument("'" + path + "' cannot be written: folder '" + folder.string() +
                                "' does not accept new files (" + std::strerror(errno) + ")");
  }
  ::close(descriptor);
  ::unlink(probe.c_str());
}

} // namespace revgan
