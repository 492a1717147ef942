// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace revgan
{

/// The pixel data of an image file as they are stored, measured before any reader sees them.
struct StoredPixelData
{
  /// The file that holds them, as the header names it: the image itself, its data file, or the
  /// first of several.
  std::string file;
  /// Data files (0: the data are attached to the header).
  size_t dataFiles{ 0 };
  /// Bytes of pixel data from where the header says they start, over all data files; for
  /// compressed data, the bytes they inflate to; for NRRD text encodings, the bytes of the values
  /// teem would read. Negative when not measured here: NRRD's bzip2 encoding (which this build's
  /// teem does not read), and PNG and JPEG, whose structure findPixelData checks instead (every
  /// chunk, and the end marker, present).
  double bytes{ -1.0 };
  /// Whether the pixel data are stored compressed (gzip/zlib), so that `bytes` is their inflated size.
  bool compressed{ false };
};

/// Finds and measures the pixel data of `path` before any reader runs, in every format the
/// toolkit reads: NIfTI (.nii, .nii.gz, .hdr/.img pairs, vox_offset honoured), NRRD (attached or
/// detached, one data file or several by LIST or pattern; raw, gzip, ascii or hex; line and byte
/// skips; kinds of a fixed size against their sizes, and header lines no longer than teem quotes
/// safely), MetaImage (headers of "Key = Value" lines only; LOCAL, one data file, LIST or
/// pattern; HeaderSize; compressed or not), PNG (its chunks to IEND, their CRCs, and the rows its
/// image data inflate to) and JPEG (its segments to the end-of-image marker). Refuses, with one line naming the file: a
/// data file that is missing or unreadable, compressed data that are corrupt or end early, a PNG or JPEG file that ends
/// before its last chunk or marker. Readers read the pixels from where the header says and
/// ignore bytes after them, so trailing bytes are accepted (see Documentation/Reliability.md).
/// Throws std::runtime_error.
StoredPixelData
findPixelData(const std::string & path);

/// Refuses `stored` when it holds fewer bytes than `describedBytes`, the pixels the header of
/// `path` describes (ITK's ImageIOBase::GetImageSizeInBytes()): a short file would otherwise be
/// read with whatever fills the rest (MetaIO), or refused in a library's words (teem, niftilib).
/// The message names the file that is short, the bytes it has and the bytes described.
void
requireAllPixelData(const std::string & path, const StoredPixelData & stored, double describedBytes);

} // namespace revgan
