#include "revgan/NiftiHeaderCheck.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <zlib.h>

namespace revgan
{

void
checkNiftiHeaderValues(const std::string & path)
{
  // Extensions as niftilib takes them: in either case, the header of an .img pair beside it.
  std::string lower = path;
  std::transform(lower.begin(),
                 lower.end(),
                 lower.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  auto endsWith = [&](const std::string & suffix)
  { return lower.size() >= suffix.size() && lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0; };
  std::string headerPath = path;
  if (endsWith(".img") || endsWith(".img.gz"))
  {
    const std::string base = path.substr(0, lower.rfind(".img"));
    for (const char * extension : { ".hdr", ".hdr.gz", ".HDR", ".HDR.gz" })
    {
      std::error_code ignored;
      if (std::filesystem::exists(base + extension, ignored))
      {
        headerPath = base + extension;
        break;
      }
    }
  }
  else if (!endsWith(".nii") && !endsWith(".nii.gz") && !endsWith(".hdr") && !endsWith(".hdr.gz"))
    return;
  unsigned char header[348] = {};
  gzFile        file = gzopen(headerPath.c_str(), "rb"); // reads uncompressed files as they are
  if (file == nullptr)
    return; // ITK reports the unreadable file
  const int read = gzread(file, header, sizeof(header));
  gzclose(file);
  if (read < static_cast<int>(sizeof(header)))
    return; // too short for a NIfTI-1 header: ITK refuses it

  // ITK 5.2 reads NIfTI-1 only, and reads the NIfTI-1 layout whatever the header's magic says
  // (found fooling a stricter test). The byte order is decided as niftilib's need_nhdr_swap does:
  // by dim[0] when it is not 0, else by the header size. Values are assembled from bytes, so
  // that the host's own byte order does not matter.
  auto littleEndian = [&](size_t offset, size_t width)
  {
    uint32_t value = 0;
    for (size_t i = 0; i < width; ++i)
      value |= static_cast<uint32_t>(header[offset + i]) << (8 * i);
    return value;
  };
  auto byteSwapped = [](uint32_t value, size_t width)
  {
    uint32_t result = 0;
    for (size_t i = 0; i < width; ++i)
      result |= ((value >> (8 * i)) & 0xFF) << (8 * (width - 1 - i));
    return result;
  };
  const uint32_t size = littleEndian(0, 4);
  const auto     dim0 = static_cast<int16_t>(littleEndian(40, 2));
  const auto     dim0Swapped = static_cast<int16_t>(byteSwapped(littleEndian(40, 2), 2));
  bool           swapped = false;
  if (dim0 != 0 ? !(dim0 > 0 && dim0 <= 7) : size != 348)
  {
    swapped = true;
    if (dim0 != 0 ? !(dim0Swapped > 0 && dim0Swapped <= 7) : byteSwapped(size, 4) != 348)
      return; // niftilib refuses the header itself
  }
  if (size == 540 || byteSwapped(size, 4) == 540)
    throw std::runtime_error("'" + path +
                             "': NIfTI-2 files are not read by this build's ITK (5.2); convert it to NIfTI-1");
  auto fieldAt = [&](size_t offset, size_t width)
  {
    const uint32_t value = littleEndian(offset, width);
    return swapped ? byteSwapped(value, width) : value;
  };
  auto shortAt = [&](size_t offset) { return static_cast<int16_t>(fieldAt(offset, 2)); };
  // Complex and 128-bit types: ITK 5.2's NIfTI reader writes past its buffer for complex values
  // with a tensor intent (a heap overflow found by Testing/Fuzz); the toolkit reads real images.
  const int datatype = shortAt(70);
  if (datatype == 32 || datatype == 1536 || datatype == 1792 || datatype == 2048)
    throw std::runtime_error("'" + path + "': NIfTI datatype " + std::to_string(datatype) +
                             " (complex or 128-bit values) is not supported; real-valued images are");
  // A symmetric-matrix intent (1005): ITK 5.2 reads 3×3 tensors, six values per voxel, whatever
  // dim[5] says; other counts corrupt its heap (found by Testing/Fuzz).
  const int components = shortAt(40) >= 5 ? shortAt(50) : 1;
  const int intent = shortAt(68);
  if (intent == 1005 && components != 6)
    throw std::runtime_error("'" + path + "': a NIfTI symmetric-matrix (tensor) image needs 6 values per voxel in " +
                             "dim[5], not " + std::to_string(components));
  auto valueAt = [&](size_t offset)
  {
    const uint32_t bits = fieldAt(offset, 4);
    float          value = 0.0f;
    std::memcpy(&value, &bits, 4);
    return value;
  };
  // Scaled integers with several values per voxel (RGB, RGBA, a vector or tensor intent): ITK 5.2
  // converts them to float into a buffer sized for one value per voxel and then copies all of them,
  // past its end (heap overflows found by Testing/Fuzz). Whether it scales is decided as its
  // MustRescale does: a slope of 0 means 1, and a slope of 1 with no intercept means no scaling.
  const bool severalValues =
    datatype == 128 || datatype == 2304 || ((intent == 1005 || intent == 1007) && components > 1);
  const bool   integerValues = datatype != 16 && datatype != 64;
  const double epsilon = std::numeric_limits<double>::epsilon();
  double       slope = valueAt(112);
  const double intercept = valueAt(116);
  if (std::abs(slope) < epsilon)
    slope = 1.0;
  // (The first test is false for a NaN slope, with which ITK does not scale either.)
  const bool scaled = std::abs(slope) > epsilon && (std::abs(slope - 1.0) > epsilon || std::abs(intercept) > epsilon);
  if (severalValues && integerValues && scaled)
  {
    std::ostringstream message;
    message << "'" << path << "': NIfTI integer values (datatype " << datatype
            << ") with several per voxel and scaling (scl_slope " << slope << ", scl_inter " << intercept
            << ") are not read correctly by this build's ITK (5.2); store them as float or unscaled";
    throw std::runtime_error(message.str());
  }
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
