#pragma once

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

} // namespace revgan
