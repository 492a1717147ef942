// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace revgan
{

/// The header of a NRRD or MetaImage file, read as text before ITK reads it: its fields in
/// order, the lines that follow a "LIST" data file (the files' names), and where the data of an
/// attached header start. A NRRD header ends with an empty line (a detached .nhdr with the
/// file), a MetaImage header with its ElementDataFile field. Lines are read as the C readers
/// (teem, MetaIO) read them: up to their first NUL byte.
struct TextImageHeader
{
  enum class Format
  {
    Nrrd,
    MetaImage
  };

  /// Field names in lower case ("data file", "elementdatafile"), values trimmed.
  std::vector<std::pair<std::string, std::string>> fields;
  /// The names after a data file field of "LIST" (NRRD: to the end of a detached header;
  /// MetaImage: to the end of the header's lines).
  std::vector<std::string> listedFiles;
  /// Bytes before the data of an attached header.
  double dataOffset{ 0.0 };
  /// False when no end of the header came within its first 8 MiB.
  bool complete{ false };
  /// The first line before the header's end that is not "key = value" (MetaImage) or
  /// "key: value" (NRRD; comments and the magic line aside), 1-based; 0: none.
  size_t malformedLine{ 0 };
  /// The longest line (comments and NRRD key/value pairs aside; a carriage return also ends a
  /// line, NUL bytes count): its number and length.
  size_t longestLine{ 0 };
  size_t longestLineLength{ 0 };

  /// The value of the first field of that (lower-case) name, or "".
  std::string
  field(const std::string & name) const;
};

/// Reads the header of `path` as a file of `format`.
TextImageHeader
readTextImageHeader(const std::string & path, TextImageHeader::Format format);

} // namespace revgan
