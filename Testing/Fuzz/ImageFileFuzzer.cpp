// libFuzzer target: the toolkit's image reading path — header checks, ITK's NIfTI reader, the
// float conversion with its finiteness check and the DTI reader — on arbitrary bytes saved as a
// NIfTI file. Any crash, sanitizer report, leak or allocation beyond libFuzzer's limit is a finding;
// exceptions are the expected answer to bad input.
#include "FuzzInputFile.h"
#include "revgan/ImageFiles.h"

#include "itkObject.h"

#include <cstdint>
#include <string>

extern "C" int
LLVMFuzzerInitialize(int *, char ***)
{
  itk::Object::GlobalWarningDisplayOff(); // ITK's readers warn on stderr about odd headers
  return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
  static const revgan::test::FuzzInputFile input(".nii");
  const std::string &                      path = input.write(data, size);
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
