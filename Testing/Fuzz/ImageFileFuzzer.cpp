// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the toolkit's image reading path — header and pixel-data checks, ITK's
// readers, the float conversion with its finiteness check and the DTI reader — on arbitrary bytes
// saved as an image file of the format and layout their first bytes announce:
//   - NIfTI (.nii; .nii.gz when gzip's magic comes first; a .hdr/.img pair when the header's magic
//     is "ni1", the 348 header bytes in image.hdr and the rest in image.img),
//   - NRRD ("NRRD…": .nrrd, or .nhdr with a data file), MetaImage ("ObjectType…" or "NDims…":
//     .mha, or .mhd with a data file), PNG and JPEG by their signatures.
// A header with a data file ends at a line "revgan-fuzz-data"; the bytes after it are written to
// "data.raw" beside it, the name the corpus's headers give. Any crash, sanitizer report, leak or
// allocation beyond libFuzzer's limit is a finding; exceptions are the expected answer to bad input.
#include "revgan/ImageFiles.h"

#include "itkObject.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace
{

/// The folder of this process's input files, emptied before each input and removed at exit.
class FuzzInputFolder
{
public:
  FuzzInputFolder()
    : folder_(std::filesystem::temp_directory_path() / ("revgan-fuzz-image-" + std::to_string(::getpid())))
  {
    std::filesystem::create_directories(folder_);
  }
  ~FuzzInputFolder()
  {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
  FuzzInputFolder(const FuzzInputFolder &) = delete;
  FuzzInputFolder &
  operator=(const FuzzInputFolder &) = delete;

  /// Writes one input as its image file (and data file); returns the image file's path.
  std::string
  write(const uint8_t * data, size_t size) const
  {
    for (const auto & entry : std::filesystem::directory_iterator(folder_))
      std::filesystem::remove(entry.path());
    const std::string bytes(reinterpret_cast<const char *>(data), size);
    const std::string marker = "\nrevgan-fuzz-data\n";
    const size_t      split = bytes.find(marker);
    const bool        detached = split != std::string::npos;
    std::string       header = detached ? bytes.substr(0, split + 1) : bytes;
    std::string       rest = detached ? bytes.substr(split + marker.size()) : std::string();
    auto              startsWith = [&](const char * prefix, size_t length)
    { return header.size() >= length && std::memcmp(header.data(), prefix, length) == 0; };
    std::string name = "image.nii";
    if (startsWith("NRRD", 4))
      name = detached ? "image.nhdr" : "image.nrrd";
    else if (startsWith("ObjectType", 10) || startsWith("NDims", 5))
      name = detached ? "image.mhd" : "image.mha";
    else if (startsWith("\x89PNG\r\n\x1a\n", 8))
      name = "image.png";
    else if (startsWith("\xFF\xD8\xFF", 3))
      name = "image.jpg";
    else if (startsWith("\x1f\x8b", 2))
      name = "image.nii.gz";
    else if (!detached && header.size() >= 348 && std::memcmp(header.data() + 344, "ni1", 4) == 0)
    {
      name = "image.hdr";
      rest = header.substr(348);
      header.resize(348);
      writeFile("image.img", rest);
      return writeFile(name, header);
    }
    if (detached)
      writeFile("data.raw", rest);
    return writeFile(name, header);
  }

private:
  std::string
  writeFile(const std::string & name, const std::string & bytes) const
  {
    const std::string path = (folder_ / name).string();
    std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
  }

  std::filesystem::path folder_;
};

} // namespace

extern "C" int
LLVMFuzzerInitialize(int *, char ***)
{
  itk::Object::GlobalWarningDisplayOff(); // ITK's readers warn on stderr about odd headers
  return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
  static const FuzzInputFolder input;
  const std::string            path = input.write(data, size);
  try
  {
    const revgan::ImageFileInfo info = revgan::inspectImageFile(path);
    if (info.dimensions == 2)
      revgan::readVectorImage<2>(path, info);
    else if (info.dimensions == 3)
      revgan::readVectorImage<3>(path, info);
    if (info.dimensions >= 3)
      itk::ReadRevGANTensorImage(path); // the DTI reader takes 3D tensor and 4D six-volume files
  }
  catch (const std::exception &)
  {
    // Refused with a message: what bad input should get.
  }
  return 0;
}
