#pragma once

#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string>

namespace revgan
{

/// Refuses a NIfTI-1 file (.nii, .nii.gz, .hdr) whose header holds a voxel size or orientation
/// value that is NaN, infinite or beyond ±10⁶ (a kilometre in millimetres: no scanner writes
/// that), before ITK reads it. ITK's NIfTI reader hands the orientation to an SVD that never
/// returns for NaN, and overflows to it for values near the float maximum (both found by
/// Testing/Fuzz). Other files, and NIfTI-2 headers, pass unchecked. Throws std::runtime_error
/// naming the file and the field.
inline void
checkNiftiHeaderValues(const std::string & path)
{
  auto endsWith = [&](const std::string & suffix)
  { return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0; };
  if (!endsWith(".nii") && !endsWith(".nii.gz") && !endsWith(".hdr"))
    return;
  unsigned char header[348];
  gzFile        file = gzopen(path.c_str(), "rb"); // reads uncompressed files as they are
  if (file == nullptr)
    return; // ITK reports the unreadable file
  const int read = gzread(file, header, sizeof(header));
  gzclose(file);
  if (read != static_cast<int>(sizeof(header)))
    return; // too short for NIfTI-1: ITK refuses it

  int32_t size = 0;
  std::memcpy(&size, header, 4);
  const bool swapped = size == 0x5C010000; // 348 in the other byte order
  if (size != 348 && !swapped)
    return; // NIfTI-2 (540) or not NIfTI: ITK decides
  auto floatAt = [&](size_t offset)
  {
    unsigned char bytes[4];
    std::memcpy(bytes, header + offset, 4);
    if (swapped)
      std::swap(bytes[0], bytes[3]), std::swap(bytes[1], bytes[2]);
    float value = 0.0f;
    std::memcpy(&value, bytes, 4);
    return value;
  };
  // Offsets of the NIfTI-1 header (nifti1.h): pixdim[8] at 76, quatern_b … qoffset_z at 256,
  // srow_x, srow_y, srow_z at 280.
  struct Field
  {
    const char * name;
    size_t       offset;
    int          count;
  };
  for (const Field & field : { Field{ "pixdim", 76, 8 }, Field{ "quaternion", 256, 6 }, Field{ "srow", 280, 12 } })
  {
    for (int i = 0; i < field.count; ++i)
    {
      const float value = floatAt(field.offset + 4 * static_cast<size_t>(i));
      if (!(std::abs(value) <= 1e6f)) // also false for NaN
      {
        std::ostringstream message;
        message << "'" << path << "': the NIfTI header's " << field.name << "[" << i << "] is " << value
                << "; voxel sizes and orientation must be finite and within ±1e6";
        throw std::runtime_error(message.str());
      }
    }
  }
}

} // namespace revgan
