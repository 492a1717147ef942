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

/// Refuses a NIfTI file (.nii, .nii.gz, .hdr/.img) whose header holds a voxel size or orientation
/// value that is NaN, infinite or beyond ±10⁶ (a kilometre in millimetres: no scanner writes
/// that), before ITK reads it. ITK's NIfTI reader hands the orientation to an SVD that never
/// returns for NaN, and overflows to it for values near the float maximum (found by
/// Testing/Fuzz, also behind a wrong header size or magic). Also refuses what ITK 5.2 cannot read
/// safely: complex datatypes and NIfTI-2. Files of other formats pass unchecked. Throws
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
  unsigned char header[348] = {};
  gzFile        file = gzopen(headerPath.c_str(), "rb"); // reads uncompressed files as they are
  if (file == nullptr)
    return; // ITK reports the unreadable file
  const int read = gzread(file, header, sizeof(header));
  gzclose(file);
  if (read < static_cast<int>(sizeof(header)))
    return; // too short for a NIfTI-1 header: ITK refuses it

  // ITK 5.2 reads NIfTI-1 only, and reads the NIfTI-1 layout whatever the header's size or magic
  // say (both were found fooling a stricter test), with the byte order that makes dim[0] lie in
  // 1…7. A NIfTI-2 header (size 540) would be read as garbage: refused by name.
  int32_t size = 0;
  std::memcpy(&size, header, 4);
  if (size == 540 || size == 0x1C020000)
    throw std::runtime_error("'" + path +
                             "': NIfTI-2 files are not read by this build's ITK (5.2); convert it to NIfTI-1");
  const int  rank = header[40] | header[41] << 8;
  const bool swapped = !(rank >= 1 && rank <= 7);
  auto       shortAt = [&](size_t offset)
  {
    const int value = swapped ? header[offset] << 8 | header[offset + 1] : header[offset] | header[offset + 1] << 8;
    return static_cast<int16_t>(value);
  };
  // Complex and 128-bit types: ITK 5.2's NIfTI reader writes past its buffer for complex values
  // with a tensor intent (a heap overflow found by Testing/Fuzz); the toolkit reads real images.
  const int datatype = shortAt(70);
  if (datatype == 32 || datatype == 1536 || datatype == 1792 || datatype == 2048)
    throw std::runtime_error("'" + path + "': NIfTI datatype " + std::to_string(datatype) +
                             " (complex or 128-bit values) is not supported; real-valued images are");
  // A symmetric-matrix intent (1005): ITK 5.2 reads 3×3 tensors, six values per voxel, whatever
  // dim[5] says; other counts corrupt its heap (found by Testing/Fuzz).
  const int components = shortAt(40) >= 5 ? shortAt(50) : 1;
  if (shortAt(68) == 1005 && components != 6)
    throw std::runtime_error("'" + path + "': a NIfTI symmetric-matrix (tensor) image needs 6 values per voxel in " +
                             "dim[5], not " + std::to_string(components));
  auto valueAt = [&](size_t offset)
  {
    unsigned char bytes[4];
    for (size_t i = 0; i < 4; ++i)
      bytes[i] = header[offset + (swapped ? 3 - i : i)];
    float value = 0.0f;
    std::memcpy(&value, bytes, 4);
    return value;
  };
  // Offsets (nifti1.h): pixdim[8], quatern_b … qoffset_z, srow_x, srow_y, srow_z.
  struct Field
  {
    const char * name;
    size_t       offset;
    int          count;
  };
  const Field fields[] = { { "pixdim", 76, 8 }, { "quaternion", 256, 6 }, { "srow", 280, 12 } };
  for (const Field & field : fields)
  {
    for (int i = 0; i < field.count; ++i)
    {
      const float value = valueAt(field.offset + 4 * static_cast<size_t>(i));
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
