// SPDX-License-Identifier: Apache-2.0
// DWI → DTI on the real diffusion scan of Data/ (dipy's small_64D) and on a synthetic scan with a
// known tensor.
#include "itkFlipImageFilter.h"
#include "itkImageFileReader.h"
#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIterator.h"
#include "itkRevGANDiffusionWeightedToTensor.h"
#include "vnl/algo/vnl_determinant.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

namespace
{

using DwiType = itk::Image<float, 4>;

std::string
dataFile(const std::string & name)
{
  const char * folder = std::getenv("REVGAN_DATA_DIR");
  return std::string(folder ? folder : "REVGAN_DATA_DIR-not-set") + "/" + name;
}

TEST(RevGANDiffusionWeightedToTensor, RecoversAKnownTensorFromItsSignal)
{
  const auto scheme = itk::ReadRevGANDiffusionScheme(dataFile("small_64D.bval"), dataFile("small_64D.bvec"));
  // D in ITK order xx, xy, xz, yy, yz, zz (mm²/s); S = S0 · exp(−b gᵀ D g).
  const double D[6] = { 1.6e-3, 0.2e-3, -0.1e-3, 0.5e-3, 0.05e-3, 0.4e-3 };
  auto         dwi = DwiType::New();
  dwi->SetRegions(itk::Size<4>{ { 2, 2, 1, scheme.bValues.size() } });
  dwi->Allocate();
  for (itk::IndexValueType v = 0; v < static_cast<itk::IndexValueType>(scheme.bValues.size()); ++v)
  {
    const auto & g = scheme.directions[static_cast<size_t>(v)];
    const double quadratic = D[0] * g[0] * g[0] + D[3] * g[1] * g[1] + D[5] * g[2] * g[2] +
                             2 * (D[1] * g[0] * g[1] + D[2] * g[0] * g[2] + D[4] * g[1] * g[2]);
    const double signal = scheme.bValues[static_cast<size_t>(v)] < 50
                            ? 1000.0
                            : 1000.0 * std::exp(-scheme.bValues[static_cast<size_t>(v)] * quadratic);
    for (itk::IndexValueType y = 0; y < 2; ++y)
      for (itk::IndexValueType x = 0; x < 2; ++x)
        dwi->SetPixel({ { x, y, 0, v } }, static_cast<float>(signal));
  }
  const auto tensors = itk::ReconstructRevGANTensors(dwi.GetPointer(), scheme);
  const auto tensor = tensors->GetPixel({ { 1, 1, 0 } });
  for (unsigned int c = 0; c < 6; ++c)
    EXPECT_NEAR(tensor[c], D[c], 2e-6) << "component " << c;
}

TEST(RevGANDiffusionWeightedToTensor, RealScanGivesPlausibleTensors)
{
  const auto scheme = itk::ReadRevGANDiffusionScheme(dataFile("small_64D.bval"), dataFile("small_64D.bvec"));
  EXPECT_EQ(scheme.bValues.size(), 65u);
  EXPECT_EQ(scheme.directions[0][0], 0.0); // "nan nan nan" of the b=0 volume
  const auto dwi = itk::ReadImage<DwiType>(dataFile("small_64D.nii"));
  const auto tensors = itk::ReconstructRevGANTensors(dwi.GetPointer(), scheme);
  const auto size = dwi->GetLargestPossibleRegion().GetSize();
  EXPECT_EQ(tensors->GetLargestPossibleRegion().GetSize(), (itk::Size<3>{ { size[0], size[1], size[2] } }));

  // Voxels with signal: positive definite with a tissue-like mean diffusivity.
  size_t voxels = 0, physical = 0;
  for (itk::ImageRegionConstIterator<itk::Image<itk::DiffusionTensor3D<float>, 3>> it(
         tensors, tensors->GetLargestPossibleRegion());
       !it.IsAtEnd();
       ++it)
  {
    const auto index = it.GetIndex();
    if (dwi->GetPixel({ { index[0], index[1], index[2], 0 } }) < 50.0f)
      continue;
    ++voxels;
    itk::DiffusionTensor3D<float>::EigenValuesArrayType eigenvalues;
    it.Get().ComputeEigenValues(eigenvalues);
    const double md = it.Get().GetTrace() / 3.0;
    physical += eigenvalues[0] > 0.0f && md > 1e-4 && md < 4e-3 ? 1 : 0;
  }
  std::cout << physical << " of " << voxels << " voxels with signal have positive definite tensors with MD in "
            << "[0.1, 4]e-3 mm^2/s\n";
  ASSERT_GT(voxels, 100u);
  EXPECT_GT(physical, voxels * 8 / 10);
}

// The real scan stored the other way round along x (voxels mirrored, direction column negated: the
// same anatomy, a positive determinant) with the same .bvec, as FSL's convention has it: the tensors
// are the same in physical space, so along the mirrored axes Dxy and Dxz change sign and nothing else.
TEST(RevGANDiffusionWeightedToTensor, BvecsFollowFslsConventionInEitherHandedness)
{
  const auto read = itk::ReadRevGANDiffusionScheme(dataFile("small_64D.bval"), dataFile("small_64D.bvec"));
  const auto dwi = itk::ReadImage<DwiType>(dataFile("small_64D.nii"));
  const auto region = dwi->GetLargestPossibleRegion();
  const auto last = static_cast<itk::IndexValueType>(region.GetSize()[0]) - 1;
  // Flipped in place (not about the origin): ITK negates the direction's x column and moves the
  // origin to the last voxel, so every voxel keeps its physical position.
  auto flip = itk::FlipImageFilter<DwiType>::New();
  flip->SetInput(dwi);
  itk::FlipImageFilter<DwiType>::FlipAxesArrayType alongX(false);
  alongX[0] = true;
  flip->SetFlipAxes(alongX);
  flip->FlipAboutOriginOff();
  flip->Update();
  const DwiType::Pointer mirrored = flip->GetOutput();
  const auto             direction = mirrored->GetDirection();
  DwiType::PointType     a, b;
  dwi->TransformIndexToPhysicalPoint({ { 3, 5, 2, 0 } }, a);
  mirrored->TransformIndexToPhysicalPoint({ { last - 3, 5, 2, 0 } }, b);
  ASSERT_LT(a.EuclideanDistanceTo(b), 1e-6) << "the mirrored copy must hold the same anatomy";
  const auto determinant = [](const DwiType::DirectionType & m)
  { return vnl_determinant(m.GetVnlMatrix().extract(3, 3)); };
  ASSERT_LT(determinant(dwi->GetDirection()), 0.0) << "small_64D is stored radiologically";
  ASSERT_GT(determinant(mirrored->GetDirection()), 0.0);

  EXPECT_EQ(itk::RevGANFslSchemeInImageAxes(read, dwi->GetDirection()).directions, read.directions);
  const auto tensors =
    itk::ReconstructRevGANTensors(dwi.GetPointer(), itk::RevGANFslSchemeInImageAxes(read, dwi->GetDirection()));
  const auto fsl =
    itk::ReconstructRevGANTensors(mirrored.GetPointer(), itk::RevGANFslSchemeInImageAxes(read, direction));
  const auto plain = itk::ReconstructRevGANTensors(mirrored.GetPointer(), read);
  // Components xx, xy, xz, yy, yz, zz; a mirror along x negates xy and xz.
  const std::array<double, 6> mirror{ 1, -1, -1, 1, 1, 1 };
  double                      worstFsl = 0.0, worstPlain = 0.0, largestOffDiagonal = 0.0;
  for (itk::ImageRegionConstIterator<itk::Image<itk::DiffusionTensor3D<float>, 3>> it(
         tensors, tensors->GetLargestPossibleRegion());
       !it.IsAtEnd();
       ++it)
  {
    auto index = it.GetIndex();
    index[0] = last - index[0];
    for (unsigned int c = 0; c < 6; ++c)
    {
      const double expected = mirror[c] * it.Get()[c];
      worstFsl = std::max(worstFsl, std::abs(fsl->GetPixel(index)[c] - expected));
      worstPlain = std::max(worstPlain, std::abs(plain->GetPixel(index)[c] - expected));
    }
    largestOffDiagonal = std::max({ largestOffDiagonal, std::abs(double(it.Get()[1])), std::abs(double(it.Get()[2])) });
  }
  ASSERT_GT(largestOffDiagonal, 1e-4) << "the scan must have tensors whose sign a mirror shows";
  EXPECT_LT(worstFsl, 1e-3 * largestOffDiagonal);
  // Read as plain image axes, the mirrored scan's Dxy and Dxz come out with the wrong sign.
  EXPECT_GT(worstPlain, 0.5 * largestOffDiagonal);
}

TEST(RevGANDiffusionWeightedToTensor, InconsistentSchemesAreErrors)
{
  EXPECT_THROW(itk::ReadRevGANDiffusionScheme(dataFile("small_64D.bval"), dataFile("small_64D.bval")),
               itk::ExceptionObject);
  EXPECT_THROW(itk::ReadRevGANDiffusionScheme(dataFile("missing.bval"), dataFile("small_64D.bvec")),
               itk::ExceptionObject);
  auto dwi = DwiType::New();
  dwi->SetRegions(itk::Size<4>{ { 2, 2, 1, 3 } });
  dwi->Allocate(true);
  const auto scheme = itk::ReadRevGANDiffusionScheme(dataFile("small_64D.bval"), dataFile("small_64D.bvec"));
  EXPECT_THROW(itk::ReconstructRevGANTensors(dwi.GetPointer(), scheme), itk::ExceptionObject);
}

} // namespace
