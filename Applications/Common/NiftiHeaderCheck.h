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

/// Refuses a NIfTI file (.nii, .nii.gz, .hdr/.img; NIfTI-1 or -2) whose header holds a voxel size or orientation
/// value that is NaN, infinite or beyond ±10⁶ (a kilometre in millimetres: no scanner writes
/// that), before ITK reads it. ITK's NIfTI reader hands the orientation to an SVD that never
/// returns for NaN, and overflows to it for values near the float maximum (found by
/// Testing/Fuzz, also behind a wrong header size or magic). Files of other formats pass unchecked. Throws
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
  unsigned char header[540] = {};
  gzFile        file = gzopen(headerPath.c_str(), "rb"); // reads uncompressed files as they are
  if (file == nullptr)
    return; // ITK reports the unreadable file
  const int read = gzread(file, header, sizeof(header));
  gzclose(file);
  if (read < 348)
    return; // too short for any NIfTI header: ITK refuses it

  // NIfTI-2 says so in its header size (540, in either byte order) and stores these fields as
  // doubles; anything else ITK's library may read with the NIfTI-1 layout — whatever its magic
  // or header size say (both were found fooling a stricter test) — with the byte order that makes
  // dim[0] lie in 1…7.
  int32_t size = 0;
  std::memcpy(&size, header, 4);
  const bool nifti2 = size == 540 || size == 0x1C020000;
  if (nifti2 && read < 540)
    return;
  const int  rank = nifti2 ? 0 : header[40] | header[41] << 8;
  const bool swapped = nifti2 ? size != 540 : !(rank >= 1 && rank <= 7);
  // Complex and 128-bit types: ITK 5.2's NIfTI reader writes past its buffer for complex values
  // with a tensor intent (a heap overflow found by Testing/Fuzz); the toolkit reads real images.
  const size_t typeOffset = nifti2 ? 12 : 70;
  const int    datatype =
    swapped ? header[typeOffset] << 8 | header[typeOffset + 1] : header[typeOffset] | header[typeOffset + 1] << 8;
  if (datatype == 32 || datatype == 1536 || datatype == 1792 || datatype == 2048)
    throw std::runtime_error("'" + path + "': NIfTI datatype " + std::to_string(datatype) +
                             " (complex or 128-bit values) is not supported; real-valued images are");
  auto valueAt = [&](size_t offset)
  {
    const size_t  width = nifti2 ? 8 : 4;
    unsigned char bytes[8];
    for (size_t i = 0; i < width; ++i)
      bytes[i] = header[offset + (swapped ? width - 1 - i : i)];
    if (nifti2)
    {
      double value = 0.0;
      std::memcpy(&value, bytes, 8);
      return value;
    }
    float value = 0.0f;
    std::memcpy(&value, bytes, 4);
    return static_cast<double>(value);
  };
  // Offsets (nifti1.h, nifti2.h): pixdim[8], quatern_b … qoffset_z, srow_x, srow_y, srow_z.
  struct Field
  {
    const char * name;
    size_t       offset;
    int          count;
  };
  const Field fields[] = { { "pixdim", nifti2 ? 104u : 76u, 8 },
                           { "quaternion", nifti2 ? 352u : 256u, 6 },
                           { "srow", nifti2 ? 400u : 280u, 12 } };
  for (const Field & field : fields)
  {
    for (int i = 0; i < field.count; ++i)
    {
      const double value = valueAt(field.offset + (nifti2 ? 8 : 4) * static_cast<size_t>(i));
      if (!(std::abs(value) <= 1e6)) // also false for NaN
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
