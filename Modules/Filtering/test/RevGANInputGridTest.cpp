// SPDX-License-Identifier: Apache-2.0
// A super-resolution model's input on its coarse grid (itkRevGANInputGrid.h), on the real brain
// volume of Data/ (KmeansTest_T1UCharRaw.nii.gz, 128×128×62 at 2×2×3 mm): the fine grid of its
// block averages is its own grid, and nearest-neighbour interpolation onto it is the paper's input.
#include "itkImageFileReader.h"
#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIteratorWithIndex.h"
#include "itkRevGANDegradation.h"
#include "itkRevGANInputGrid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace
{

using VolumeType = itk::VectorImage<float, 3>;

VolumeType::Pointer
brainVolume()
{
  const char * folder = std::getenv("REVGAN_DATA_DIR");
  auto         volume = itk::ReadImage<VolumeType>(std::string(folder ? folder : "REVGAN_DATA_DIR-not-set") +
                                           "/KmeansTest_T1UCharRaw.nii.gz");
  // An oblique direction and an origin off zero, so that the geometry is really exercised.
  VolumeType::DirectionType direction;
  const double              angle = 0.3;
  direction.SetIdentity();
  direction[0][0] = std::cos(angle);
  direction[0][1] = -std::sin(angle);
  direction[1][0] = std::sin(angle);
  direction[1][1] = std::cos(angle);
  volume->SetDirection(direction);
  VolumeType::PointType origin;
  origin[0] = -12.5;
  origin[1] = 30.25;
  origin[2] = 7.0;
  volume->SetOrigin(origin);
  return volume;
}

TEST(RevGANInputGrid, TheFineGridOfBlockAveragesIsTheGridTheyCameFrom)
{
  const auto fine = brainVolume();
  const auto coarse = itk::ShrinkRevGANVolume(fine.GetPointer(), 2);
  ASSERT_EQ(coarse->GetLargestPossibleRegion().GetSize(), (VolumeType::SizeType{ { 64, 64, 31 } }));
  const auto grid = itk::RevGANFineGrid<3>(coarse.GetPointer(), { 2, 2, 2 });
  EXPECT_EQ(grid->GetLargestPossibleRegion(), fine->GetLargestPossibleRegion());
  for (unsigned int d = 0; d < 3; ++d)
  {
    EXPECT_NEAR(grid->GetSpacing()[d], fine->GetSpacing()[d], 1e-12) << "axis " << d;
    EXPECT_NEAR(grid->GetOrigin()[d], fine->GetOrigin()[d], 1e-9) << "axis " << d;
  }
  EXPECT_EQ(grid->GetDirection(), fine->GetDirection());
  // Factors of 1 leave an axis alone; a factor of 3 spreads three voxels over one.
  const auto thin = itk::RevGANFineGrid<3>(coarse.GetPointer(), { 3, 1, 1 });
  EXPECT_EQ(thin->GetLargestPossibleRegion().GetSize(), (VolumeType::SizeType{ { 192, 64, 31 } }));
  EXPECT_NEAR(thin->GetSpacing()[0], coarse->GetSpacing()[0] / 3.0, 1e-12);
  itk::Vector<double, 3> step;
  step.Fill(0.0);
  step[0] = coarse->GetSpacing()[0] / 3.0; // (3 − 1)/2 fine voxels of a third of a coarse one
  const auto corner = coarse->GetOrigin() - coarse->GetDirection() * step;
  for (unsigned int d = 0; d < 3; ++d)
    EXPECT_NEAR(thin->GetOrigin()[d], corner[d], 1e-9) << "axis " << d;
  EXPECT_THROW(itk::RevGANFineGrid<3>(coarse.GetPointer(), { 2, 2 }), std::invalid_argument);
  EXPECT_THROW(itk::RevGANFineGrid<3>(coarse.GetPointer(), { 2, 0, 2 }), std::invalid_argument);
}

TEST(RevGANInputGrid, NearestNeighbourOntoTheFineGridIsThePapersInput)
{
  const auto fine = brainVolume();
  const auto coarse = itk::ShrinkRevGANVolume(fine.GetPointer(), 2);
  const auto paper = itk::DegradeRevGANVolume(fine.GetPointer(), 2);
  const auto nearest = itk::RevGANInputOnFineGrid<3>(coarse.GetPointer(), { 2, 2, 2 }, "nearest");
  ASSERT_EQ(nearest->GetLargestPossibleRegion(), paper->GetLargestPossibleRegion());
  itk::ImageRegionConstIterator<VolumeType> a(nearest, nearest->GetLargestPossibleRegion());
  itk::ImageRegionConstIterator<VolumeType> b(paper, paper->GetLargestPossibleRegion());
  size_t                                    differing = 0;
  for (; !a.IsAtEnd(); ++a, ++b)
    differing += a.Get()[0] != b.Get()[0];
  EXPECT_EQ(differing, 0u);
}

TEST(RevGANInputGrid, BSplineAndLinearInterpolationReproduceALinearRamp)
{
  // A ramp along x on the coarse grid of the brain volume: both interpolations give back the ramp
  // at the fine voxel centres away from the border (B-spline's mirror boundary bends it there).
  const auto                                    coarse = itk::ShrinkRevGANVolume(brainVolume().GetPointer(), 2);
  itk::ImageRegionIteratorWithIndex<VolumeType> it(coarse, coarse->GetLargestPossibleRegion());
  for (; !it.IsAtEnd(); ++it)
  {
    itk::VariableLengthVector<float> value(1);
    value[0] = 3.0f * static_cast<float>(it.GetIndex()[0]) + 1.0f;
    it.Set(value);
  }
  for (const std::string interpolation : { "bspline", "linear" })
  {
    const auto fine = itk::RevGANInputOnFineGrid<3>(coarse.GetPointer(), { 2, 2, 2 }, interpolation);
    double     largest = 0.0;
    for (itk::IndexValueType x = 16; x < 112; ++x)
    {
      // Fine voxel x lies at coarse continuous index (x − 0.5) / 2.
      const double expected = 3.0 * (static_cast<double>(x) - 0.5) / 2.0 + 1.0;
      largest = std::max(largest, std::abs(fine->GetPixel({ { x, 60, 30 } })[0] - expected));
    }
    EXPECT_LT(largest, 1e-3) << interpolation;
  }
  EXPECT_THROW(itk::RevGANInputOnFineGrid<3>(coarse.GetPointer(), { 2, 2, 2 }, "sinc"), std::invalid_argument);
}

} // namespace
