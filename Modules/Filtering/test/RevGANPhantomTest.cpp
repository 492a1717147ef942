// SPDX-License-Identifier: Apache-2.0
// The DTI phantom in the real brain's geometry (Data/: KmeansTest_T1UCharRaw.nii.gz and
// KmeansTest_T1RawSkullStrip.nii.gz) and the paper's degradation.
#include "itkImageFileReader.h"
#include "itkImageRegionConstIterator.h"
#include "itkRevGANDTIPhantomImageFilter.h"
#include "itkRevGANDegradation.h"
#include "itkRevGANImageMetrics.h"
#include "itkRevGANInteriorMaskImageFilter.h"
#include "itkSymmetricEigenAnalysis.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace
{

using T1Type = itk::Image<float, 3>;
using MaskType = itk::Image<unsigned char, 3>;
using TensorType = itk::Image<itk::DiffusionTensor3D<float>, 3>;

std::string
dataFile(const std::string & name)
{
  const char * folder = std::getenv("REVGAN_DATA_DIR");
  return std::string(folder ? folder : "REVGAN_DATA_DIR-not-set") + "/" + name;
}

class RevGANPhantom : public ::testing::Test
{
protected:
  void
  SetUp() override
  {
    t1_ = itk::ReadImage<T1Type>(dataFile("KmeansTest_T1UCharRaw.nii.gz"));
    mask_ = itk::ReadImage<MaskType>(dataFile("KmeansTest_T1RawSkullStrip.nii.gz"));
  }
  T1Type::Pointer   t1_;
  MaskType::Pointer mask_;
};

TEST_F(RevGANPhantom, TensorsArePhysicalInsideTheBrainAndZeroOutside)
{
  auto phantom = itk::RevGANDTIPhantomImageFilter<T1Type, MaskType>::New();
  phantom->SetInput(t1_);
  phantom->SetMaskImage(mask_);
  phantom->Update();
  const TensorType * tensors = phantom->GetOutput();
  EXPECT_EQ(tensors->GetLargestPossibleRegion().GetSize(), t1_->GetLargestPossibleRegion().GetSize());
  EXPECT_EQ(tensors->GetOrigin(), t1_->GetOrigin());

  // Inside the brain's interior: physical tensors. Outside the mask the smoothed brain edge fades
  // out within a few voxels; far away the tensor is zero.
  auto interior = itk::RevGANInteriorMaskImageFilter<MaskType>::New();
  interior->SetInput(mask_);
  interior->Update();
  size_t                                    inside = 0, anisotropic = 0, isotropic = 0, outside = 0, outsideNonzero = 0;
  itk::ImageRegionConstIterator<TensorType> it(tensors, tensors->GetLargestPossibleRegion());
  itk::ImageRegionConstIterator<MaskType>   m(mask_, mask_->GetLargestPossibleRegion());
  itk::ImageRegionConstIterator<MaskType>   i(interior->GetOutput(), mask_->GetLargestPossibleRegion());
  for (; !it.IsAtEnd(); ++it, ++m, ++i)
  {
    const auto tensor = it.Get();
    if (m.Get() == 0)
    {
      ++outside;
      outsideNonzero += tensor.GetTrace() != 0.0f ? 1 : 0;
      continue;
    }
    if (i.Get() == 0)
      continue;
    ++inside;
    itk::DiffusionTensor3D<float>::EigenValuesArrayType eigenvalues;
    tensor.ComputeEigenValues(eigenvalues);
    ASSERT_GT(eigenvalues[0], 0.0f);                      // positive definite
    ASSERT_NEAR(tensor.GetTrace() / 3.0, 1.5e-3, 1.5e-3); // mean diffusivity 0.2–3 ·10⁻³ mm²/s
    const double fa = tensor.GetFractionalAnisotropy();
    anisotropic += fa > 0.6 ? 1 : 0; // white matter
    isotropic += fa < 0.05 ? 1 : 0;  // CSF
  }
  EXPECT_EQ(tensors->GetPixel({ { 0, 0, 0 } }).GetTrace(), 0.0f);
  EXPECT_LT(outsideNonzero, outside / 3);
  EXPECT_GT(inside, 10000u);
  EXPECT_GT(anisotropic, inside / 10);
  EXPECT_GT(isotropic, inside / 100);
}

TEST_F(RevGANPhantom, AnySizeCoversTheSameBrain)
{
  auto phantom = itk::RevGANDTIPhantomImageFilter<T1Type, MaskType>::New();
  phantom->SetInput(t1_);
  phantom->SetMaskImage(mask_);
  phantom->SetOutputSize({ { 64, 64, 31 } });
  phantom->Update();
  const TensorType * small = phantom->GetOutput();
  EXPECT_EQ(small->GetLargestPossibleRegion().GetSize(), (itk::Size<3>{ { 64, 64, 31 } }));
  EXPECT_NEAR(small->GetSpacing()[0], 2.0 * t1_->GetSpacing()[0], 1e-9);
  // The brain's centre lies in the brain at both sizes.
  itk::ContinuousIndex<double, 3> centre;
  centre[0] = 63.5;
  centre[1] = 63.5;
  centre[2] = 30.5;
  T1Type::PointType point;
  t1_->TransformContinuousIndexToPhysicalPoint(centre, point);
  TensorType::IndexType index;
  ASSERT_TRUE(small->TransformPhysicalPointToIndex(point, index));
  EXPECT_GT(small->GetPixel(index).GetTrace(), 0.0f);
}

TEST_F(RevGANPhantom, DegradationAveragesBlocksAndRepeatsThem)
{
  auto phantom = itk::RevGANDTIPhantomImageFilter<T1Type, MaskType>::New();
  phantom->SetInput(t1_);
  phantom->SetMaskImage(mask_);
  phantom->Update();
  const auto degraded = itk::DegradeRevGANVolume(phantom->GetOutput());
  EXPECT_EQ(degraded->GetLargestPossibleRegion(), phantom->GetOutput()->GetLargestPossibleRegion());
  EXPECT_EQ(degraded->GetSpacing(), phantom->GetOutput()->GetSpacing());
  // Voxels (2i..2i+1)³ share the mean of their block.
  for (itk::IndexValueType i : { 20, 30, 40 })
  {
    itk::DiffusionTensor3D<double> mean;
    mean.Fill(0.0);
    for (int dz = 0; dz < 2; ++dz)
      for (int dy = 0; dy < 2; ++dy)
        for (int dx = 0; dx < 2; ++dx)
        {
          const auto tensor = phantom->GetOutput()->GetPixel({ { 2 * i + dx, 2 * i + dy, i + dz - (i % 2) } });
          for (unsigned int c = 0; c < 6; ++c)
            mean[c] += tensor[c] / 8.0;
        }
    const auto value = degraded->GetPixel({ { 2 * i + 1, 2 * i, i - (i % 2) + 1 } });
    for (unsigned int c = 0; c < 6; ++c)
      EXPECT_NEAR(value[c], mean[c], 1e-9) << "block " << i << " component " << c;
  }
  // The degradation loses detail: the error against the original is clearly nonzero.
  const auto statistics =
    itk::ComputeRevGANErrorStatistics(degraded.GetPointer(), phantom->GetOutput(), mask_.GetPointer());
  EXPECT_GT(statistics.rmseTotal, 1e-5);
  std::cout << "degraded vs original phantom: RMSE total " << statistics.rmseTotal << ", interior "
            << statistics.rmseInterior << " (mm^2/s)\n";
}

} // namespace
