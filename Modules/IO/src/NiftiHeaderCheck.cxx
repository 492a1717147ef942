// SPDX-License-Identifier: Apache-2.0
#include "revgan/NiftiHeaderCheck.h"

#include "FileNameText.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <zlib.h>

namespace revgan
{

namespace
{

/// The first file of `base` + one of `extensions` that exists, or "".
std::string
existingFile(const std::string & base, std::initializer_list<const char *> extensions)
{
  for (const char * extension : extensions)
  {
    std::error_code ignored;
    if (std::filesystem::exists(base + extension, ignored))
      return base + extension;
  }
  return {};
}

/// The 348 bytes of a NIfTI-1 header with niftilib's reading of their byte order.
class NiftiHeaderBytes
{
public:
  /// Reads the header of `path` (a .nii or .nii.gz file, or either file of a .hdr/.img pair, as
  /// niftilib takes them: in either case of the extension); false if `path` is no NIfTI name,
  /// the file is unreadable or too short, or its byte order cannot be decided (ITK refuses those).
  bool
  read(const std::string & path)
  {
    const std::string lower = lowerCase(path);
    headerPath_ = path;
    if (endsWith(lower, ".img") || endsWith(lower, ".img.gz"))
    {
      headerPath_ = existingFile(path.substr(0, lower.rfind(".img")), { ".hdr", ".hdr.gz", ".HDR", ".HDR.gz" });
      if (headerPath_.empty())
        return false;
    }
    else if (!endsWith(lower, ".nii") && !endsWith(lower, ".nii.gz") && !endsWith(lower, ".hdr") &&
             !endsWith(lower, ".hdr.gz"))
      return false;
    gzFile file = gzopen(headerPath_.c_str(), "rb"); // reads uncompressed files as they are
    if (file == nullptr)
      return false;
    const int read = gzread(file, header_, sizeof(header_));
    gzclose(file);
    if (read < static_cast<int>(sizeof(header_)))
      return false;
    // ITK 5.2 reads NIfTI-1 only, and reads the NIfTI-1 layout whatever the header's magic says
    // (found fooling a stricter test). The byte order is decided as niftilib's need_nhdr_swap does:
    // by dim[0] when it is not 0, else by the header size.
    const uint32_t size = littleEndian(0, 4);
    const auto     dim0 = static_cast<int16_t>(littleEndian(40, 2));
    const auto     dim0Swapped = static_cast<int16_t>(byteSwapped(littleEndian(40, 2), 2));
    if (dim0 != 0 ? !(dim0 > 0 && dim0 <= 7) : size != 348)
    {
      swapped_ = true;
      if (dim0 != 0 ? !(dim0Swapped > 0 && dim0Swapped <= 7) : byteSwapped(size, 4) != 348)
        return false; // niftilib refuses the header itself
    }
    return true;
  }

  /// The header file (the .hdr of a pair).
  const std::string &
  headerPath() const
  {
    return headerPath_;
  }

  /// A header of NIfTI-2's size, in either byte order.
  bool
  nifti2Size() const
  {
    return littleEndian(0, 4) == 540 || byteSwapped(littleEndian(0, 4), 4) == 540;
  }

  uint32_t
  fieldAt(size_t offset, size_t width) const
  {
    const uint32_t value = littleEndian(offset, width);
    return swapped_ ? byteSwapped(value, width) : value;
  }

  int16_t
  shortAt(size_t offset) const
  {
    return static_cast<int16_t>(fieldAt(offset, 2));
  }

  float
  floatAt(size_t offset) const
  {
    const uint32_t bits = fieldAt(offset, 4);
    float          value = 0.0f;
    std::memcpy(&value, &bits, 4);
    return value;
  }

private:
  // Values are assembled from bytes, so that the host's own byte order does not matter.
  uint32_t
  littleEndian(size_t offset, size_t width) const
  {
    uint32_t value = 0;
    for (size_t i = 0; i < width; ++i)
      value |= static_cast<uint32_t>(header_[offset + i]) << (8 * i);
    return value;
  }

  static uint32_t
  byteSwapped(uint32_t value, size_t width)
  {
    uint32_t result = 0;
    for (size_t i = 0; i < width; ++i)
      result |= ((value >> (8 * i)) & 0xFF) << (8 * (width - 1 - i));
    return result;
  }

  std::string   headerPath_;
  unsigned char header_[348] = {};
  bool          swapped_{ false };
};

} // namespace

std::optional<NiftiPixelData>
findNiftiPixelData(const std::string & path)
{
  NiftiHeaderBytes header;
  if (!header.read(path) || header.nifti2Size())
    return std::nullopt;
  NiftiPixelData data;
  data.offset = header.floatAt(108); // vox_offset
  const std::string lower = lowerCase(header.headerPath());
  if (endsWith(lower, ".nii") || endsWith(lower, ".nii.gz"))
  {
    data.file = header.headerPath();
    return data;
  }
  // A pair: the .img beside the header, compressed or not, in either case.
  data.file =
    existingFile(header.headerPath().substr(0, lower.rfind(".hdr")), { ".img", ".img.gz", ".IMG", ".IMG.gz" });
  if (data.file.empty())
    data.file = header.headerPath().substr(0, lower.rfind(".hdr")) + ".img";
  return data;
}

void
checkNiftiHeaderValues(const std::string & path)
{
  NiftiHeaderBytes header;
  if (!header.read(path))
    return; // ITK refuses what it cannot read
  if (header.nifti2Size())
    throw std::runtime_error("'" + path +
                             "': NIfTI-2 files are not read by this build's ITK (5.2); convert it to NIfTI-1");
  auto shortAt = [&](size_t offset) { return header.shortAt(offset); };
  auto valueAt = [&](size_t offset) { return header.floatAt(offset); };
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
