// SPDX-License-Identifier: Apache-2.0
// Every pixel a header promises is in the file: in every format and layout the toolkit reads,
// an image whose pixel data are short by half or by one byte is refused before any reader runs,
// in one line naming the file that is short with the bytes it has and the bytes described; a
// missing data file is refused by its name; trailing bytes are accepted and change nothing; and
// what ITK, teem and MetaIO say or print reaches the caller as one plain line.
#include "FileBytes.h"
#include "TemporaryFolder.h"
#include "revgan/ImageFiles.h"
#include "revgan/LibraryMessages.h"

#include "itkImage.h"
#include "itkImageFileWriter.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

namespace
{

struct Layout
{
  const char * name;
  const char * extension;
  bool         compressed;
  /// The pixel data live in a file of their own beside the header.
  bool detached;
};

std::ostream &
operator<<(std::ostream & stream, const Layout & layout)
{
  return stream << layout.name;
}

template<unsigned int D>
typename itk::Image<unsigned char, D>::Pointer
noiseImage()
{
  using ImageType = itk::Image<unsigned char, D>;
  auto                         image = ImageType::New();
  typename ImageType::SizeType size;
  size.Fill(24);
  size[0] = 40;
  image->SetRegions(size);
  image->Allocate();
  std::mt19937 random(3);
  for (size_t i = 0; i < image->GetPixelContainer()->Size(); ++i)
    image->GetBufferPointer()[i] = static_cast<unsigned char>(random() % 200);
  return image;
}

using revgan::test::bytesOf;
using revgan::test::writeBytes;

std::string
refusal(const std::string & path)
{
  try
  {
    const revgan::ImageFileInfo info = revgan::inspectImageFile(path);
    if (info.dimensions == 2)
      revgan::readVectorImage<2>(path, info);
    else
      revgan::readVectorImage<3>(path, info);
  }
  catch (const std::exception & error)
  {
    return error.what();
  }
  return "";
}

std::vector<float>
pixels(const std::string & path)
{
  const revgan::ImageFileInfo info = revgan::inspectImageFile(path);
  if (info.dimensions == 2)
  {
    const auto image = revgan::readVectorImage<2>(path, info);
    return { image->GetBufferPointer(), image->GetBufferPointer() + image->GetPixelContainer()->Size() };
  }
  const auto image = revgan::readVectorImage<3>(path, info);
  return { image->GetBufferPointer(), image->GetBufferPointer() + image->GetPixelContainer()->Size() };
}

class PixelData : public ::testing::TestWithParam<Layout>
{
protected:
  void
  SetUp() override
  {
    const Layout & layout = GetParam();
    header_ = folder_.path(std::string("image") + layout.extension);
    if (std::string(layout.extension) == ".png" || std::string(layout.extension) == ".jpg")
      itk::WriteImage(noiseImage<2>(), header_, layout.compressed);
    else
      itk::WriteImage(noiseImage<3>(), header_, layout.compressed);
    // The file that holds the pixels: the image itself, or the one other file beside it.
    data_ = header_;
    for (const auto & entry : std::filesystem::directory_iterator(folder_.folder()))
    {
      if (entry.path().string() != header_)
        data_ = entry.path().string();
    }
    ASSERT_EQ(data_ != header_, layout.detached) << "files written: " << data_;
    intact_ = bytesOf(data_);
  }

  /// The refusal of the image with its pixel data cut to `size` bytes, restored afterwards.
  std::string
  refusalCutTo(size_t size)
  {
    writeBytes(data_, intact_.substr(0, size));
    const std::string message = refusal(header_);
    writeBytes(data_, intact_);
    return message;
  }

  revgan::test::TemporaryFolder folder_{ "revgan-pixel-data" };
  std::string                   header_, data_, intact_;
};

TEST_P(PixelData, IntactFilesRead)
{
  EXPECT_EQ(refusal(header_), "");
}

TEST_P(PixelData, ShortDataAreRefusedNamingTheShortFileAndTheBytes)
{
  for (const size_t size : { intact_.size() / 2, intact_.size() - 1 })
  {
    const std::string message = refusalCutTo(size);
    ASSERT_FALSE(message.empty()) << "pixel data cut to " << size << " of " << intact_.size() << " bytes were read";
    EXPECT_EQ(message.rfind("'" + header_ + "': ", 0), 0u) << message;
    EXPECT_NE(message.find("truncated"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    if (GetParam().detached)
    {
      EXPECT_NE(message.find("'" + std::filesystem::path(data_).filename().string() + "'"), std::string::npos)
        << message;
    }
    // Uncompressed raw data: the bytes there and the bytes described, exactly.
    if (!GetParam().compressed && std::string(GetParam().extension) != ".png" &&
        std::string(GetParam().extension) != ".jpg")
    {
      const size_t described = 40 * 24 * 24;
      const size_t headerBytes = intact_.size() - described;
      EXPECT_NE(message.find(" " + std::to_string(size - headerBytes) + " bytes of pixel data"), std::string::npos)
        << message;
      EXPECT_NE(message.find("describes " + std::to_string(described) + " bytes"), std::string::npos) << message;
    }
  }
}

class DetachedPixelData : public PixelData
{
};

TEST_P(DetachedPixelData, AMissingDataFileIsRefusedByItsName)
{
  std::filesystem::remove(data_);
  const std::string message = refusal(header_);
  EXPECT_EQ(message,
            "'" + header_ + "': its data file '" + std::filesystem::path(data_).filename().string() +
              "' cannot be opened (No such file or directory)");
}

TEST_P(PixelData, TrailingBytesAreIgnored)
{
  const std::vector<float> intact = pixels(header_);
  writeBytes(data_, intact_ + std::string(100, '\x7f'));
  EXPECT_EQ(refusal(header_), "");
  EXPECT_EQ(pixels(header_), intact);
}

INSTANTIATE_TEST_SUITE_P(Formats,
                         PixelData,
                         ::testing::Values(Layout{ "nii", ".nii", false, false },
                                           Layout{ "nii_gz", ".nii.gz", true, false },
                                           Layout{ "nifti_pair", ".hdr", false, true },
                                           Layout{ "nrrd_raw", ".nrrd", false, false },
                                           Layout{ "nrrd_gzip", ".nrrd", true, false },
                                           Layout{ "nhdr_raw", ".nhdr", false, true },
                                           Layout{ "nhdr_gzip", ".nhdr", true, true },
                                           Layout{ "mha_raw", ".mha", false, false },
                                           Layout{ "mha_compressed", ".mha", true, false },
                                           Layout{ "mhd_raw", ".mhd", false, true },
                                           Layout{ "mhd_compressed", ".mhd", true, true },
                                           Layout{ "png", ".png", true, false },
                                           Layout{ "jpeg", ".jpg", true, false }),
                         [](const auto & info) { return std::string(info.param.name); });

INSTANTIATE_TEST_SUITE_P(Formats,
                         DetachedPixelData,
                         ::testing::Values(Layout{ "nifti_pair", ".hdr", false, true },
                                           Layout{ "nhdr_raw", ".nhdr", false, true },
                                           Layout{ "nhdr_gzip", ".nhdr", true, true },
                                           Layout{ "mhd_raw", ".mhd", false, true },
                                           Layout{ "mhd_compressed", ".mhd", true, true }),
                         [](const auto & info) { return std::string(info.param.name); });

TEST(JpegData, ADamagedTableIsRefusedWithLibjpegsWordsBeforeItkReadsTheFile)
{
  // A JPEG whose segments are all in place but whose quantization table names table 15 (there are
  // four): ITK's JPEG reader jumped to a null address on such damage (found by Testing/Fuzz).
  revgan::test::TemporaryFolder folder("revgan-jpeg");
  const std::string             path = folder.path("table.jpg");
  itk::WriteImage(noiseImage<2>(), path);
  std::string  bytes = bytesOf(path);
  const size_t table = bytes.find("\xFF\xDB");
  ASSERT_NE(table, std::string::npos);
  bytes[table + 4] = '\x0F'; // precision 0, table 15
  writeBytes(path, bytes);
  EXPECT_EQ(refusal(path), "'" + path + "': a damaged JPEG file (Bogus DQT index 15)");
}

TEST(NrrdKinds, AnAxisOfAFixedSizeKindWithAnotherSizeIsRefusedBeforeTeemReadsIt)
{
  // teem refuses it as well, but leaked its state doing so (found by Testing/Fuzz).
  revgan::test::TemporaryFolder folder("revgan-nrrd-kinds");
  const std::string             path = folder.path("tensors.nrrd");
  writeBytes(path,
             "NRRD0004\ntype: float\ndimension: 4\nspace: left-posterior-superior\nsizes: 5 2 2 2\n"
             "kinds: 3D-symmetric-matrix space space space\nendian: little\nencoding: raw\n\n" +
               std::string(5 * 8 * 4, '\0'));
  EXPECT_EQ(refusal(path),
            "'" + path + "': its axis 0 is of kind 3d-symmetric-matrix, which has 6 values, but its size is 5");
}

TEST(NrrdHeader, FieldsTeemLeaksOnAreRefusedBeforeTeemReadsThem)
{
  // teem refuses these headers as well, but leaked what it had parsed (found by Testing/Fuzz).
  revgan::test::TemporaryFolder folder("revgan-nrrd-fields");
  const std::string             path = folder.path("image.nrrd"), data(24, '\0');
  auto                          header = [](const std::string & before, const std::string & after)
  { return "NRRD0004\ntype: uchar\n" + before + "dimension: 3\nsizes: 4 3 2\n" + after + "encoding: raw\n\n"; };
  for (const char * field : { "kinds: domain domain domain", "centers: cell cell cell", "data file: s%02d.raw 1 2 1" })
  {
    writeBytes(path, header(std::string(field) + "\n", "") + data);
    const std::string key(field, std::strchr(field, ':'));
    EXPECT_EQ(refusal(path),
              "'" + path + "': its NRRD field \"" + key +
                "\" comes before \"dimension\", which teem, which reads NRRD, needs first");
    // After the dimension, the same fields are read (the numbered files exist).
    writeBytes(path, header("", std::string(field) + "\n") + data);
    writeBytes(folder.path("s01.raw"), std::string(12, '\1'));
    writeBytes(folder.path("s02.raw"), std::string(12, '\2'));
    EXPECT_EQ(refusal(path), "") << field;
  }
  for (const char * field : { "labels", "units", "space units" })
  {
    const std::string space = std::string(field) == "space units" ? "space: left-posterior-superior\n" : "";
    writeBytes(path, header(space, std::string(field) + ": \"x\" \"y\" \"z\n") + data);
    EXPECT_EQ(refusal(path),
              "'" + path + "': its NRRD field \"" + field + "\" has a quoted string without its closing quote");
    writeBytes(path, header(space, std::string(field) + ": \"x\" \"say \\\"y\\\"\" \"z\"\n") + data);
    EXPECT_EQ(refusal(path), "") << field;
  }
}

TEST(MetaImageHeader, ALineWithoutEqualsOrNoDataFileLineIsRefusedBeforeMetaIOReadsIt)
{
  // MetaIO leaked the fields it had parsed on such headers (found by Testing/Fuzz).
  revgan::test::TemporaryFolder folder("revgan-metaimage-header");
  const std::string             broken = folder.path("broken.mha"), endless = folder.path("endless.mha");
  writeBytes(broken,
             "ObjectType = Image\nNDims = 2\nDimSize 2 2\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n\1\2\3\4");
  writeBytes(endless, "ObjectType = Image\nNDims = 2\nDimSize = 2 2\nElementType = MET_UCHAR\n");
  EXPECT_EQ(refusal(broken),
            "'" + broken + "': not a MetaImage header this toolkit reads: its line 3 is not 'Key = Value'");
  EXPECT_EQ(refusal(endless),
            "'" + endless + "': not a MetaImage header this toolkit reads: no 'ElementDataFile = …' line ends it");
}

TEST(NrrdTextData, AsciiAndHexValuesAreCountedBeforeTeemReadsThem)
{
  // teem refuses short text data itself, but inside its data reader, where ITK's NRRD reader
  // leaks teem's state: the values are counted first (2 x 3 shorts: 12 bytes described).
  revgan::test::TemporaryFolder folder("revgan-nrrd-text");
  const std::string             header = "NRRD0004\ntype: short\ndimension: 2\nsizes: 2 3\nendian: little\nencoding: ";
  const std::string             ascii = folder.path("ascii.nrrd"), hex = folder.path("hex.nrrd");
  writeBytes(ascii, header + "ascii\n\n1 2, 3\n4 5 6\n");
  writeBytes(hex, header + "hex\n\n0100 0200 0300\n0400 0500 0600\n");
  EXPECT_EQ(refusal(ascii), "");
  EXPECT_EQ(refusal(hex), "");
  EXPECT_EQ(pixels(ascii), (std::vector<float>{ 1, 2, 3, 4, 5, 6 }));
  writeBytes(ascii, header + "ascii\n\n1 2 3 4 five 6\n");
  writeBytes(hex, header + "hex\n\n0100 0200 0300 04\n");
  EXPECT_EQ(refusal(ascii),
            "'" + ascii + "': it holds 8 bytes of pixel data where its header describes 12 bytes: the " +
              "file is truncated, or the header is wrong");
  EXPECT_NE(refusal(hex).find("it holds 7 bytes of pixel data where its header describes 12 bytes"), std::string::npos)
    << refusal(hex);
}

TEST(LibraryMessages, ItkTeemAndMetaIOWordsBecomeOnePlainLine)
{
  EXPECT_EQ(revgan::plainLibraryMessage(
              "./Modules/IO/NRRD/src/itkNrrdImageIO.cxx:292:\nitk::ERROR: NrrdImageIO(0x5589406eeca0): "
              "ReadImageInformation: Error reading det.nhdr: [nrrd] nrrdLoad: trouble reading \"det.nhdr\"\n[nrrd] "
              "nrrdRead: trouble\n[nrrd] _nrrdFormatNRRD_read: [nrrd] _nrrdEncodingRaw_read: fread got only 65536 "
              "4-sized things, not 131072 (50% of expected)\n"),
            "fread got only 65536 4-sized things, not 131072 (50% of expected)");
  EXPECT_EQ(revgan::plainLibraryMessage("/usr/include/ITK-5.2/itkImageFileReader.hxx:131:\nITK ERROR: "
                                        "ImageFileReader(0x7ffd1234abcd): Could not create IO object for reading"),
            "Could not create IO object for reading");
  EXPECT_EQ(revgan::readingErrorMessage("t.mha",
                                        "Error while reading file: t.mha",
                                        "MetaImage: M_ReadElementsData: data not read completely\n   ideal = 8 : "
                                        "actual = 4\n"),
            "'t.mha': cannot be read: Error while reading file: t.mha (ideal = 8 : actual = 4)");
  // LibTorch's errors without the backtrace c10::Error::what() appends.
  EXPECT_EQ(revgan::plainLibraryMessage(
              "Given groups=1, weight of size [16, 16, 3, 3, 3], expected input[2, 4, 14, 14, 14] to have 16 "
              "channels, but got 4 channels instead\nException raised from check_shape_forward at "
              "../aten/src/ATen/native/Convolution.cpp:621 (most recent call first):\nframe #0: "
              "c10::Error::Error(c10::SourceLocation, std::string) + 0x9e (0x7f2d in /lib/libc10.so)\n"),
            "Given groups=1, weight of size [16, 16, 3, 3, 3], expected input[2, 4, 14, 14, 14] to have 16 channels, "
            "but got 4 channels instead");
  // The toolkit's own refusals pass unchanged.
  EXPECT_EQ(revgan::readingErrorMessage("a.nii", "'a.nii': 3 of its 8 values are NaN or infinite", ""),
            "'a.nii': 3 of its 8 values are NaN or infinite");
}

TEST(LibraryMessages, ABrokenNrrdHeaderIsRefusedInOneLineWithoutTeemsChain)
{
  revgan::test::TemporaryFolder folder("revgan-library-messages");
  const std::string             path = folder.path("broken.nrrd");
  writeBytes(path, "NRRD0004\ntype: float\ndimension: 3\nsizes: 4 4\nencoding: raw\n\n" + std::string(256, '\0'));
  const std::string message = refusal(path);
  EXPECT_EQ(message.rfind("'" + path + "': ", 0), 0u) << message;
  for (const char * noise : { "[nrrd]", "0x", ".cxx:", "\n", "itk::ERROR" })
    EXPECT_EQ(message.find(noise), std::string::npos) << noise << " in: " << message;
}

} // namespace
