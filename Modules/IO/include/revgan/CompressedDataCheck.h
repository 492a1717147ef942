#pragma once

#include <string>

namespace revgan
{

/// Refuses an image file whose compressed pixel data end before their stream does, or fail its
/// checksum, before any reader sees them: ITK's readers fill a truncated stream's missing voxels
/// and report nothing. Checked: gzip files (.nii.gz and any *.gz, all members), NRRD with `gzip`
/// encoding (attached data after the header, or a detached `data file`), and MetaImage with
/// `CompressedData = True` (`ElementDataFile = LOCAL` or a separate file). The whole stream is
/// inflated once and thrown away. Other files pass unchecked. Throws std::runtime_error with one
/// line naming the file and the problem.
void
checkCompressedData(const std::string & path);

} // namespace revgan
