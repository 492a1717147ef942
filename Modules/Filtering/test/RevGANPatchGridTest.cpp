// SPDX-License-Identifier: Apache-2.0
#include "itkRevGANImportanceMap.h"
#include "itkRevGANPatchGrid.h"

#include <gtest/gtest.h>

namespace
{

/// How many valid parts cover each position of the axis.
std::vector<int>
coverage(const itk::RevGANPatchAxis & axis, itk::IndexValueType extent)
{
  std::vector<int> count(static_cast<size_t>(extent), 0);
  for (const auto & patch : axis.GetPatches())
  {
    for (auto i = patch.validBegin; i < patch.validEnd; ++i)
      ++count[static_cast<size_t>(i)];
  }
  return count;
}

TEST(RevGANPatchAxis, RegularGridTilesTheAxisExactly)
{
  const itk::RevGANPatchAxis axis(28, 8, 2); // stride 6: starts 0, 6, 12, 18, 20
  const auto &               patches = axis.GetPatches();
  ASSERT_EQ(patches.size(), 5u);
  EXPECT_EQ(patches[1].start, 6);
  EXPECT_EQ(patches.back().start, 20); // moved back to end at the image's end
  EXPECT_EQ(patches[0].validBegin, 0);
  EXPECT_EQ(patches[0].validEnd, 7);
  EXPECT_EQ(patches[1].validBegin, 7);
  EXPECT_EQ(patches.back().validEnd, 28);
  for (const int c : coverage(axis, 28))
    EXPECT_GE(c, 1);
}

TEST(RevGANPatchAxis, ExactMultipleHasNoDoubleCoverage)
{
  const itk::RevGANPatchAxis axis(26, 8, 2); // starts 0, 6, 12, 18
  ASSERT_EQ(axis.GetPatches().size(), 4u);
  for (const int c : coverage(axis, 26))
    EXPECT_EQ(c, 1);
}

TEST(RevGANPatchAxis, ShortAxisGetsOnePatch)
{
  const itk::RevGANPatchAxis axis(5, 8, 2);
  ASSERT_EQ(axis.GetPatches().size(), 1u);
  EXPECT_EQ(axis.GetPatches()[0].start, 0);
  EXPECT_EQ(axis.GetPatches()[0].validEnd, 5);
}

TEST(RevGANPatchAxis, PatchesMeetingARegion)
{
  const itk::RevGANPatchAxis axis(28, 8, 2);
  const auto                 meeting = axis.PatchesMeeting(8, 12);
  ASSERT_EQ(meeting.size(), 1u);
  EXPECT_EQ(meeting[0].start, 6);
  EXPECT_EQ(axis.PatchesMeeting(0, 28).size(), 5u);
}

TEST(RevGANPatchGrid, EveryCombinationOfTheAxesPatchesInITKOrder)
{
  // A 26×5 image at index (10, −3): axis 0 has 4 patches of 8 (stride 6), axis 1 one patch that
  // reaches beyond the image.
  const itk::ImageRegion<2>     image({ { 10, -3 } }, { { 26, 5 } });
  const itk::RevGANPatchGrid<2> grid(image, { { 8, 8 } }, { { 2, 2 } }, image);
  const auto &                  patches = grid.GetPatches();
  ASSERT_EQ(patches.size(), 4u);
  const std::vector<itk::IndexValueType> starts{ 0, 6, 12, 18 };
  for (size_t k = 0; k < patches.size(); ++k)
  {
    EXPECT_EQ(patches[k][0].start, starts[k]); // axis 0 fastest
    EXPECT_EQ(grid.Region(patches[k]), itk::ImageRegion<2>({ { 10 + starts[k], -3 } }, { { 8, 8 } }));
  }
  // Valid parts tile the image; the input the patches read is cropped to it.
  size_t covered = 0;
  for (const auto & patch : patches)
    covered += grid.ValidRegion(patch).GetNumberOfPixels();
  EXPECT_EQ(covered, image.GetNumberOfPixels());
  EXPECT_EQ(grid.InputRegion(), image);

  // A region in the middle: only the patches whose valid parts meet it, and the input they read.
  const itk::ImageRegion<2>     middle({ { 10 + 13, -3 } }, { { 2, 1 } });
  const itk::RevGANPatchGrid<2> part(image, { { 8, 8 } }, { { 2, 2 } }, middle);
  ASSERT_EQ(part.GetPatches().size(), 1u);
  EXPECT_EQ(part.GetPatches()[0][0].start, 12);
  EXPECT_EQ(part.InputRegion(), itk::ImageRegion<2>({ { 22, -3 } }, { { 8, 5 } }));
}

TEST(RevGANPatchGrid, ThreeAxesMultiply)
{
  const itk::ImageRegion<3>     image({ { 0, 0, 0 } }, { { 20, 14, 8 } });
  const itk::RevGANPatchGrid<3> grid(image, { { 8, 8, 8 } }, { { 2, 2, 2 } }, image);
  // 20: starts 0 6 12; 14: 0 6; 8: 0.
  ASSERT_EQ(grid.GetPatches().size(), 6u);
  EXPECT_EQ(grid.GetPatches()[1][0].start, 6);
  EXPECT_EQ(grid.GetPatches()[3][1].start, 6);
  EXPECT_EQ(grid.GetPatches()[3][0].start, 0);
}

TEST(RevGANImportanceMap, ConstantIsOneAndGaussianPeaksAtTheCentre)
{
  const itk::RevGANImportanceMap<2> constant({ { 16, 8 } }, itk::RevGANBlending::Constant);
  EXPECT_EQ(constant.Weight(std::array<int, 2>{ 0, 7 }), 1.0f);
  const itk::RevGANImportanceMap<2> gaussian({ { 16, 8 } }, itk::RevGANBlending::Gaussian);
  const auto &                      axis = gaussian.GetAxisWeights(0);
  ASSERT_EQ(axis.size(), 16u);
  // σ = 16 / 8 = 2 around 7.5; symmetric, largest in the middle.
  EXPECT_NEAR(axis[7], std::exp(-0.5 * 0.25 / 4.0), 1e-6);
  EXPECT_NEAR(axis[0], std::exp(-0.5 * 7.5 * 7.5 / 4.0), 1e-6);
  for (size_t i = 0; i < 8; ++i)
    EXPECT_EQ(axis[i], axis[15 - i]);
  // σ = max(1, 8 / 8) on axis 1; the weight of a position is the product over axes.
  EXPECT_NEAR(gaussian.Weight(std::array<int, 2>{ 7, 0 }), axis[7] * std::exp(-0.5 * 3.5 * 3.5), 1e-6);
}

} // namespace
