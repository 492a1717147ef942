// SPDX-License-Identifier: Apache-2.0
// Truncated or corrupted compressed image files are refused with one line naming the file, in
// every format whose pixel data the toolkit reads compressed: NIfTI .nii.gz, NRRD gzip encoding
// (attached and detached data) and MetaImage compressed data (.mha, and .mhd with .zraw).
#include "FileBytes.h"
#include "TemporaryFolder.h"
#include "revgan/ImageFiles.h"

#include "itkImage.h"
#include "itkImageFileWriter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace
{

using Volume = itk::Image<float, 3>;

/// Values that compress a little (noise on a ramp), so the compressed stream is long.
Volume::Pointer
volume()
{
  auto image = Volume::New();
  image->SetRegions(Volume::SizeType{ { 40, 36, 30 } });
  image->Allocate();
  std::mt19937 random(7);
  float *      data = image->GetBufferPointer();
  for (size_t i = 0; i < image->GetPixelContainer()->Size(); ++i)
    data[i] = static_cast<float>(i % 97) + static_cast<float>(random() % 4);
  return image;
}

using revgan::test::bytesOf;
using revgan::test::writeBytes;

std::string
refusal(const std::string & path)
{
  try
  {
    revgan::inspectImageFile(path);
  }
  catch (const std::exception & error)
  {
    return error.what();
  }
  return "";
}

class CompressedData : public ::testing::TestWithParam<std::string>
{
protected:
  revgan::test::TemporaryFolder folder_{ "revgan-compressed" };
};

TEST_P(CompressedData, IntactFilesPassTruncatedAndCorruptedOnesAreRefused)
{
  const std::string extension = GetParam();
  const std::string intact = folder_.path("intact" + extension);
  itk::WriteImage(volume(), intact, true);
  EXPECT_EQ(refusal(intact), "");
  // The file that holds the compressed stream: the image itself, or the MetaImage's .zraw.
  const bool        detached = extension == ".mhd";
  const std::string stream = detached ? folder_.path("intact.zraw") : intact;
  const std::string bytes = bytesOf(stream);
  ASSERT_GT(bytes.size(), 4000u);

  for (const bool truncate : { true, false })
  {
    std::string changed = bytes;
    if (truncate)
      changed.resize(bytes.size() / 3);
    else
      for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 16; ++i)
        changed[i] = static_cast<char>(changed[i] ^ 0x5a);
    const std::string name = truncate ? "cut" : "corrupt";
    const std::string damaged = folder_.path(name + extension);
    if (detached)
    {
      writeBytes(folder_.path(name + ".zraw"), changed);
      std::string header = bytesOf(intact);
      header.replace(header.find("intact.zraw"), 11, name + ".zraw");
      writeBytes(damaged, header);
    }
    else
      writeBytes(damaged, changed);
    const std::string message = refusal(damaged);
    EXPECT_NE(message.find("'" + damaged + "'"), std::string::npos) << message;
    EXPECT_NE(message.find(truncate ? "truncated" : "corrupt"), std::string::npos) << name << ": " << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

INSTANTIATE_TEST_SUITE_P(Formats,
                         CompressedData,
                         ::testing::Values(".nii.gz", ".nrrd", ".mha", ".mhd"),
                         [](const auto & info)
                         {
                           std::string name = info.param.substr(1);
                           for (auto & c : name)
                             c = c == '.' ? '_' : c;
                           return name;
                         });

TEST(CompressedDataDetachedNrrd, TruncatedDataFileIsRefused)
{
  revgan::test::TemporaryFolder folder("revgan-compressed-nhdr");
  const std::string             header = folder.path("volume.nhdr");
  itk::WriteImage(volume(), header, true);
  EXPECT_EQ(refusal(header), "");
  for (const auto & entry : std::filesystem::directory_iterator(folder.folder()))
  {
    if (entry.path().extension() == ".gz" || entry.path().filename().string().find(".raw") != std::string::npos)
    {
      std::string bytes = bytesOf(entry.path().string());
      bytes.resize(bytes.size() / 2);
      writeBytes(entry.path().string(), bytes);
    }
  }
  EXPECT_NE(refusal(header).find("truncated"), std::string::npos) << refusal(header);
}

} // namespace
