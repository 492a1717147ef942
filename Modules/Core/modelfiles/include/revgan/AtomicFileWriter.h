// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace revgan
{

/// Takes `size` bytes at `data` and returns `size` (the signature LibTorch's archives write to).
using ByteSink = std::function<size_t(const void * data, size_t size)>;

/// Writes `path` with the bytes `produce` hands to its sink (which never refuses them; a failed
/// write is reported when `produce` returns): into `path + ".partial"`, flushed to
/// the disk (fsync), then renamed over `path` and the folder flushed. Whatever fails — a full
/// disk, an unwritable folder, `produce` throwing — the temporary file is removed, a file already
/// at `path` is left as it was, and std::runtime_error names `path` and the system's reason.
/// A process killed at any moment leaves either the old or the new file at `path`.
void
writeFileAtomically(const std::string & path, const std::function<void(const ByteSink &)> & produce);

/// The last step of every atomic write in the toolkit, also for files another library wrote (ITK's
/// image writers): flushes the finished `temporary` to the disk (fsync), renames it over `path` and
/// flushes the folder. On failure `temporary` is removed, a file already at `path` is left as it
/// was, and std::runtime_error names `path` and the system's reason.
void
replaceFileDurably(const std::string & temporary, const std::string & path);

/// Flushes the file at `path` to the disk (fsync), for a file that grows instead of being replaced
/// (the loss log). Throws std::runtime_error naming `path` and the system's reason.
void
flushFileToDisk(const std::string & path);

/// Throws std::invalid_argument naming `path` unless a file can be created there: its folder
/// exists and accepts new files. Checked before long work, so that hours of training do not end
/// in an unwritable place.
void
requireWritableLocation(const std::string & path);

} // namespace revgan
