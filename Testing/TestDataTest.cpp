// SPDX-License-Identifier: Apache-2.0
// The real test data obtained by Data/fetch-test-data.sh: present, readable by ITK, and shaped as
// the rest of the test suite assumes.
#include <gtest/gtest.h>
#include <itkImage.h>
#include <itkImageFileReader.h>
#include <itkImageRegionConstIterator.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace
{

std::string
dataFile(const std::string & name)
{
  const char * folder = std::getenv("REVGAN_DATA_DIR");
  if (folder == nullptr || *folder == '\0')
  {
    ADD_FAILURE() << "REVGAN_DATA_DIR is not set; run the tests through ctest";
    return name;
  }
  const std::string path = std::string(folder) + "/" + name;
  EXPECT_TRUE(std::ifstream(path).good()) << "test data file missing: " << path << " (run Data/fetch-test-data.sh)";
  return path;
}

template<typename TImage>
typename TImage::Pointer
read(const std::string & name)
{
  return itk::ReadImage<TImage>(dataFile(name));
}

/// Whitespace-separated numbers; strtod also reads the "nan" that dipy writes for the direction
/// of a b=0 volume, which operator>> would not.
std::vector<double>
numbersIn(const std::string & name)
{
  std::ifstream       file(dataFile(name));
  std::vector<double> numbers;
  for (std::string token; file >> token;)
    numbers.push_back(std::strtod(token.c_str(), nullptr));
  return numbers;
}

TEST(TestData, BrainSlicesAreARealT1PdPairOfTheSameSize)
{
  using ImageType = itk::Image<unsigned char, 2>;
  const auto t1 = read<ImageType>("BrainT1Slice.png");
  const auto pd = read<ImageType>("BrainProtonDensitySlice.png");
  const auto size = t1->GetLargestPossibleRegion().GetSize();
  EXPECT_EQ(size, pd->GetLargestPossibleRegion().GetSize());
  EXPECT_GE(size[0], 100u);
  EXPECT_GE(size[1], 100u);
  // Real images: not constant.
  unsigned char low = 255, high = 0;
  for (itk::ImageRegionConstIterator<ImageType> it(t1, t1->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    low = std::min(low, it.Get());
    high = std::max(high, it.Get());
  }
  EXPECT_GT(high - low, 100);
}

TEST(TestData, BrainVolumeAndMaskMatch)
{
  using VolumeType = itk::Image<float, 3>;
  const auto volume = read<VolumeType>("KmeansTest_T1UCharRaw.nii.gz");
  const auto mask = read<VolumeType>("KmeansTest_T1RawSkullStrip.nii.gz");
  const auto size = volume->GetLargestPossibleRegion().GetSize();
  EXPECT_EQ(size[0], 128u);
  EXPECT_EQ(size[1], 128u);
  EXPECT_EQ(size[2], 62u);
  EXPECT_EQ(size, mask->GetLargestPossibleRegion().GetSize());
  size_t inside = 0;
  for (itk::ImageRegionConstIterator<VolumeType> it(mask, mask->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
    inside += it.Get() > 0 ? 1 : 0;
  EXPECT_GT(inside, 10000u); // a brain, not an empty mask
}

TEST(TestData, DiffusionScanHasOneVolumePerGradient)
{
  using DwiType = itk::Image<float, 4>;
  const auto dwi = read<DwiType>("small_64D.nii");
  const auto size = dwi->GetLargestPossibleRegion().GetSize();
  const auto bvalues = numbersIn("small_64D.bval");
  const auto bvectors = numbersIn("small_64D.bvec");
  ASSERT_FALSE(bvalues.empty());
  EXPECT_EQ(size[3], bvalues.size());
  EXPECT_EQ(bvectors.size(), 3 * bvalues.size());
  EXPECT_EQ(bvalues[0], 0.0); // a b=0 volume first, then diffusion weightings near b=1000
  EXPECT_NEAR(bvalues[1], 1000.0, 20.0);
  std::cout << "small_64D: " << size << ", " << bvalues.size() << " gradients\n";
}

} // namespace
