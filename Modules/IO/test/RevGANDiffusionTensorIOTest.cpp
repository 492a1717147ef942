// SPDX-License-Identifier: Apache-2.0
#include "itkRevGANDiffusionTensorIO.h"

#include "TemporaryFolder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace
{

// ITK components (xx, xy, xz, yy, yz, zz) are NIfTI's stored components (0, 1, 3, 2, 4, 5):
// NIfTI keeps the lower triangle row by row (Dxx, Dxy, Dyy, Dxz, Dyz, Dzz).
constexpr std::array<int, 6> kNiftiComponentOfItk{ 0, 1, 3, 2, 4, 5 };

double
fixtureValue(int niftiComponent, int voxel)
{
  return 100.0 * (niftiComponent + 1) + voxel;
}

class RevGANDiffusionTensorIO : public ::testing::Test
{
protected:
  std::string
  path(const std::string & name) const
  {
    return temporary_.path(name);
  }
  static int
  fixture(const std::string & command, const std::string & file)
  {
    return std::system((std::string(REVGAN_NIFTI_FIXTURE) + " " + command + " '" + file + "'").c_str());
  }

  revgan::test::TemporaryFolder temporary_{ "revgan-dti" };
};

// A file written by niftilib alone, read by our reader: proves the order on read.
TEST_F(RevGANDiffusionTensorIO, ReadsNiftiLowerTriangleIntoItkOrder)
{
  const std::string file = path("fixture.nii");
  ASSERT_EQ(fixture("write", file), 0);
  const auto image = itk::ReadRevGANTensorImage(file);
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<3>{ { 3, 4, 5 } }));
  int voxel = 0;
  for (itk::ImageRegionConstIterator<itk::RevGANTensorImage> it(image, image->GetLargestPossibleRegion());
       !it.IsAtEnd();
       ++it, ++voxel)
  {
    for (unsigned int c = 0; c < 6; ++c)
      ASSERT_EQ(it.Get()[c], fixtureValue(kNiftiComponentOfItk[c], voxel)) << "component " << c << " voxel " << voxel;
  }
}

// A file written by our writer, checked by niftilib alone: proves the order on write.
TEST_F(RevGANDiffusionTensorIO, WritesItkTensorsAsNiftiLowerTriangle)
{
  auto image = itk::RevGANTensorImage::New();
  image->SetRegions(itk::Size<3>{ { 3, 4, 5 } });
  image->Allocate();
  int voxel = 0;
  for (itk::ImageRegionIterator<itk::RevGANTensorImage> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd();
       ++it, ++voxel)
  {
    itk::RevGANTensorImage::PixelType tensor;
    for (unsigned int c = 0; c < 6; ++c)
      tensor[c] = static_cast<float>(fixtureValue(kNiftiComponentOfItk[c], voxel));
    it.Set(tensor);
  }
  const std::string file = path("written.nii");
  itk::WriteRevGANImageAtomically(image.GetPointer(), file, false);
  EXPECT_EQ(fixture("check", file), 0);
  EXPECT_FALSE(std::filesystem::exists(path(".written.partial.nii")));
}

TEST_F(RevGANDiffusionTensorIO, FourDimensionalVolumesNeedAnExplicitOrder)
{
  using VolumesType = itk::Image<float, 4>;
  auto volumes = VolumesType::New();
  volumes->SetRegions(itk::Size<4>{ { 2, 2, 2, 6 } });
  volumes->Allocate();
  for (itk::IndexValueType k = 0; k < 6; ++k)
    for (itk::IndexValueType v = 0; v < 8; ++v)
      volumes->SetPixel({ { v % 2, (v / 2) % 2, v / 4, k } },
                        static_cast<float>(fixtureValue(static_cast<int>(k), static_cast<int>(v))));
  const std::string file = path("volumes.nii.gz");
  itk::WriteRevGANImageAtomically(volumes.GetPointer(), file);

  try
  {
    itk::ReadRevGANTensorImage(file);
    FAIL() << "a 4D file without a component order was accepted";
  }
  catch (const itk::ExceptionObject & error)
  {
    EXPECT_NE(std::string(error.GetDescription()).find("holds 6 volumes without a tensor intent"), std::string::npos);
    EXPECT_NE(std::string(error.GetDescription()).find(file), std::string::npos);
  }
  const auto tensors = itk::ReadRevGANTensorImage(file, "xx,xy,yy,xz,yz,zz");
  const auto tensor = tensors->GetPixel({ { 1, 1, 1 } }); // voxel 7
  for (unsigned int c = 0; c < 6; ++c)
    EXPECT_EQ(tensor[c], fixtureValue(kNiftiComponentOfItk[c], 7)) << c;
  EXPECT_THROW(itk::ReadRevGANTensorImage(file, "xx,xy,xz,yy,yz"), itk::ExceptionObject);
  EXPECT_THROW(itk::ReadRevGANTensorImage(file, "xx,xx,xz,yy,yz,zz"), itk::ExceptionObject);
}

TEST_F(RevGANDiffusionTensorIO, OtherFilesAreClearErrors)
{
  using ScalarType = itk::Image<float, 3>;
  auto scalar = ScalarType::New();
  scalar->SetRegions(itk::Size<3>{ { 2, 2, 2 } });
  scalar->Allocate(true);
  const std::string file = path("scalar.nii.gz");
  itk::WriteRevGANImageAtomically(scalar.GetPointer(), file);
  try
  {
    itk::ReadRevGANTensorImage(file);
    FAIL();
  }
  catch (const itk::ExceptionObject & error)
  {
    EXPECT_NE(std::string(error.GetDescription()).find("is not a DTI volume"), std::string::npos)
      << error.GetDescription();
  }
  EXPECT_THROW(itk::ReadRevGANTensorImage(path("missing.nii")), itk::ExceptionObject);
}

TEST_F(RevGANDiffusionTensorIO, FailedWriteLeavesNothingBehind)
{
  auto image = itk::RevGANTensorImage::New();
  image->SetRegions(itk::Size<3>{ { 2, 2, 2 } });
  image->Allocate();
  const std::string file = path("no-such-folder/out.nii.gz");
  EXPECT_THROW(itk::WriteRevGANImageAtomically(image.GetPointer(), file), itk::ExceptionObject);
  EXPECT_FALSE(std::filesystem::exists(file));
}

} // namespace
