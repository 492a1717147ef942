// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>

namespace revgan
{

/// Refuses a NIfTI file (.nii, .nii.gz, .hdr/.img) whose header holds a voxel size or orientation
/// value that is NaN, infinite or beyond ±10⁶ (a kilometre in millimetres: no scanner writes
/// that), before ITK reads it. ITK's NIfTI reader hands the orientation to an SVD that never
/// returns for NaN, and overflows to it for values near the float maximum (found by
/// Testing/Fuzz, also behind a wrong header size or magic). Also refuses what ITK 5.2 cannot read
/// safely: complex datatypes and NIfTI-2. Files of other formats pass unchecked. Throws
/// std::runtime_error naming the file and the field.
void
checkNiftiHeaderValues(const std::string & path);

/// Where a NIfTI-1 image keeps its pixels: the .nii file itself, or the .img file of a .hdr/.img
/// pair (compressed or not; the name it would have when it is missing), from the header's
/// vox_offset on.
struct NiftiPixelData
{
  /// Path of the file that holds the pixels.
  std::string file;
  /// Byte offset of the pixels in `file`: the header's vox_offset (stored as a float).
  double offset{ 0.0 };
};

/// The pixel data of `path` as its NIfTI-1 header places them; none when `path` is no NIfTI file
/// or its header cannot be read (ITK's reader then refuses it).
std::optional<NiftiPixelData>
findNiftiPixelData(const std::string & path);

} // namespace revgan
