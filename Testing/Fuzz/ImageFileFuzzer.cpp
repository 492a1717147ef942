// libFuzzer target: the toolkit's image reading path — header checks, ITK's NIfTI reader, the
// float conversion with its finiteness check and the DTI reader — on arbitrary bytes saved as a
// NIfTI file. Any crash, sanitizer report, leak or allocation beyond libFuzzer's limit is a finding;
// exceptions are the expected answer to bad input.
#include "ImageFiles.h"

#include "itkObject.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace
{

/// Where each input is written for the readers, which take file names.
const std::string &
inputPath()
{
  static const std::string path =
    (std::filesystem::temp_directory_path() / ("revgan-fuzz-image-" + std::to_string(::getpid()) + ".nii")).string();
  return path;
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int *, char ***)
{
  itk::Object::GlobalWarningDisplayOff(); // ITK's readers warn on stderr about odd headers
  inputPath(); // constructed before the handler is registered, so destroyed after it runs
  std::atexit(
    []
    {
      std::error_code ignored;
      std::filesystem::remove(inputPath(), ignored);
    });
  return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
  const std::string & path = inputPath();
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char *>(data), size);
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
