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
/// returns for NaN, and overflows to it for values near the float maximum (found by
/// Testing/Fuzz, also with a wrong header size). Other files, and NIfTI-2 headers, pass unchecked. Throws
/// std::runtime_error naming the file and the field.
inline void
checkNiftiHeaderValues(const std::string & path)
{
  auto endsWith = [&](const std::string & suffix)
  { return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0; };
  std::string headerPath = path;
  if (endsWith(".img") || endsWith(".img.gz")) // the header of a pair lies beside it
    headerPath = path.substr(0, path.rfind(".img")) + ".hdr";
  else if (!endsWith(".nii") && !endsWith(".nii.gz") && !endsWith(".hdr"))
    return;
  unsigned char header[348];
  gzFile        file = gzopen(headerPath.c_str(), "rb"); // reads uncompressed files as they are
  if (file == nullptr)
    return; // ITK reports the unreadable file
  const int read = gzread(file, header, sizeof(header));
  gzclose(file);
  if (read != static_cast<int>(sizeof(header)))
    return; // too short for NIfTI-1: ITK refuses it

  // Recognised as ITK's NIfTI library does: by the magic, not the header size, and the byte order
  // by dim[0], which lies in 1…7.
  if (std::memcmp(header + 344, "n+1", 4) != 0 && std::memcmp(header + 344, "ni1", 4) != 0)
    return; // not NIfTI-1 (NIfTI-2, or ANALYZE without orientation): ITK decides
  const int  rank = header[40] | header[41] << 8;
  const bool swapped = !(rank >= 1 && rank <= 7);
  auto       floatAt = [&](size_t offset)
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
