// SPDX-License-Identifier: Apache-2.0
// Masks and metrics against values computed by hand (and, for SSIM, by an independent
// pure-Python implementation of the same definition).
#include "itkImage.h"
#include "itkImageRegionIterator.h"
#include "itkRevGANImageMetrics.h"
#include "itkRevGANInteriorMaskImageFilter.h"
#include "itkVectorImage.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{

using Mask2D = itk::Image<unsigned char, 2>;
using Mask3D = itk::Image<unsigned char, 3>;
using Float2D = itk::Image<float, 2>;

template<typename TImage>
typename TImage::Pointer
filledImage(const typename TImage::SizeType & size, typename TImage::PixelType value)
{
  auto image = TImage::New();
  image->SetRegions(size);
  image->Allocate();
  image->FillBuffer(value);
  return image;
}

template<typename TImage>
size_t
countNonzero(const TImage * image)
{
  size_t count = 0;
  for (itk::ImageRegionConstIterator<TImage> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
    count += it.Get() != 0 ? 1 : 0;
  return count;
}

TEST(RevGANInteriorMask, ErodesByTheBoxNeighbourhood)
{
  auto mask = filledImage<Mask3D>({ { 9, 9, 9 } }, 0);
  for (itk::IndexValueType z = 1; z < 8; ++z)
    for (itk::IndexValueType y = 1; y < 8; ++y)
      for (itk::IndexValueType x = 1; x < 8; ++x)
        mask->SetPixel({ { x, y, z } }, 255); // a 7×7×7 cube
  auto filter = itk::RevGANInteriorMaskImageFilter<Mask3D>::New();
  filter->SetInput(mask);
  filter->Update(); // radius 2: 5×5×5 neighbourhoods
  EXPECT_EQ(countNonzero(filter->GetOutput()), 27u);
  EXPECT_EQ(filter->GetOutput()->GetPixel({ { 4, 4, 4 } }), 1);
  EXPECT_EQ(filter->GetOutput()->GetPixel({ { 3, 3, 3 } }), 1);
  EXPECT_EQ(filter->GetOutput()->GetPixel({ { 2, 4, 4 } }), 0);
  filter->SetRadius(1);
  filter->Update();
  EXPECT_EQ(countNonzero(filter->GetOutput()), 125u);
}

TEST(RevGANInteriorMask, OutsideTheImageCountsAsOutsideTheMask)
{
  auto mask = filledImage<Mask2D>({ { 5, 5 } }, 1);
  auto filter = itk::RevGANInteriorMaskImageFilter<Mask2D>::New();
  filter->SetInput(mask);
  filter->SetRadius(1);
  filter->Update();
  EXPECT_EQ(countNonzero(filter->GetOutput()), 9u);
}

// Full 5×5 mask; interior (radius 1) is the central 3×3. Prediction 2 inside, 4 on the ring,
// reference 0: RMSE total √((9·4 + 16·16)/25), interior 2; MAE total (9·2 + 16·4)/25, interior 2.
TEST(RevGANErrorStatistics, MatchesHandComputedValues)
{
  auto reference = filledImage<Float2D>({ { 5, 5 } }, 0.0f);
  auto prediction = filledImage<Float2D>({ { 5, 5 } }, 4.0f);
  for (itk::IndexValueType y = 1; y < 4; ++y)
    for (itk::IndexValueType x = 1; x < 4; ++x)
      prediction->SetPixel({ { x, y } }, 2.0f);
  auto       mask = filledImage<Mask2D>({ { 5, 5 } }, 1);
  const auto statistics =
    itk::ComputeRevGANErrorStatistics(prediction.GetPointer(), reference.GetPointer(), mask.GetPointer(), 1);
  EXPECT_EQ(statistics.voxelsTotal, 25u);
  EXPECT_EQ(statistics.voxelsInterior, 9u);
  EXPECT_NEAR(statistics.rmseTotal, std::sqrt(292.0 / 25.0), 1e-12);
  EXPECT_NEAR(statistics.rmseInterior, 2.0, 1e-12);
  EXPECT_NEAR(statistics.maeTotal, 82.0 / 25.0, 1e-12);
  EXPECT_NEAR(statistics.maeInterior, 2.0, 1e-12);

  // Two components (p, −p): every component term is as above, so the figures are the same.
  using Vector2D = itk::VectorImage<float, 2>;
  auto vectorPrediction = Vector2D::New();
  auto vectorReference = Vector2D::New();
  for (auto * image : { vectorPrediction.GetPointer(), vectorReference.GetPointer() })
  {
    image->SetRegions(itk::Size<2>{ { 5, 5 } });
    image->SetNumberOfComponentsPerPixel(2);
    image->Allocate();
  }
  itk::ImageRegionConstIterator<Float2D> source(prediction, prediction->GetLargestPossibleRegion());
  itk::ImageRegionIterator<Vector2D>     p(vectorPrediction, vectorPrediction->GetLargestPossibleRegion());
  itk::ImageRegionIterator<Vector2D>     r(vectorReference, vectorReference->GetLargestPossibleRegion());
  for (; !source.IsAtEnd(); ++source, ++p, ++r)
  {
    Vector2D::PixelType value(2), zero(2);
    value[0] = source.Get();
    value[1] = -source.Get();
    zero.Fill(0.0f);
    p.Set(value);
    r.Set(zero);
  }
  const auto vectorStatistics = itk::ComputeRevGANErrorStatistics(
    vectorPrediction.GetPointer(), vectorReference.GetPointer(), mask.GetPointer(), 1);
  EXPECT_NEAR(vectorStatistics.rmseTotal, std::sqrt(292.0 / 25.0), 1e-12);
  EXPECT_NEAR(vectorStatistics.maeInterior, 2.0, 1e-12);

  // Only masked voxels count.
  mask->FillBuffer(0);
  mask->SetPixel({ { 0, 0 } }, 1);
  const auto one =
    itk::ComputeRevGANErrorStatistics(prediction.GetPointer(), reference.GetPointer(), mask.GetPointer(), 1);
  EXPECT_EQ(one.voxelsTotal, 1u);
  EXPECT_NEAR(one.rmseTotal, 4.0, 1e-12);
  EXPECT_TRUE(std::isnan(one.rmseInterior));
}

TEST(RevGANErrorStatistics, MismatchesAreErrors)
{
  auto a = filledImage<Float2D>({ { 5, 5 } }, 0.0f);
  auto b = filledImage<Float2D>({ { 5, 4 } }, 0.0f);
  auto mask = filledImage<Mask2D>({ { 5, 5 } }, 1);
  EXPECT_THROW(itk::ComputeRevGANErrorStatistics(a.GetPointer(), b.GetPointer(), mask.GetPointer()),
               itk::ExceptionObject);
  mask->FillBuffer(0);
  EXPECT_THROW(itk::ComputeRevGANErrorStatistics(a.GetPointer(), a.GetPointer(), mask.GetPointer()),
               itk::ExceptionObject);
}

TEST(RevGANPSNR, MatchesTheDefinition)
{
  auto a = filledImage<Float2D>({ { 8, 8 } }, 10.0f);
  auto b = filledImage<Float2D>({ { 8, 8 } }, 11.0f);
  EXPECT_NEAR(itk::ComputeRevGANPSNR(a.GetPointer(), b.GetPointer(), 255.0), 20.0 * std::log10(255.0), 1e-9);
  EXPECT_TRUE(std::isinf(itk::ComputeRevGANPSNR(a.GetPointer(), a.GetPointer(), 255.0)));
}

TEST(RevGANSSIM, MatchesIndependentValues)
{
  // Constant images 100 and 50: SSIM = (2·100·50 + C1) / (100² + 50² + C1), C1 = (0.01·255)².
  auto         a = filledImage<Float2D>({ { 12, 12 } }, 100.0f);
  auto         b = filledImage<Float2D>({ { 12, 12 } }, 50.0f);
  const double c1 = std::pow(2.55, 2);
  EXPECT_NEAR(itk::ComputeRevGANSSIM(a.GetPointer(), b.GetPointer(), 255.0), (10000.0 + c1) / (12500.0 + c1), 1e-9);
  EXPECT_NEAR(itk::ComputeRevGANSSIM(a.GetPointer(), a.GetPointer(), 255.0), 1.0, 1e-12);

  // Patterned 12×12 images; reference value from a pure-Python implementation of Wang et al.
  for (itk::IndexValueType y = 0; y < 12; ++y)
    for (itk::IndexValueType x = 0; x < 12; ++x)
    {
      const float value = static_cast<float>((x * 7 + y * 3) % 11 * 10);
      a->SetPixel({ { x, y } }, value);
      b->SetPixel({ { x, y } }, value * 0.8f + static_cast<float>((x + y) % 3) * 5.0f);
    }
  EXPECT_NEAR(itk::ComputeRevGANSSIM(a.GetPointer(), b.GetPointer(), 255.0), 0.9596765597644137, 1e-6);
  auto tiny = filledImage<Float2D>({ { 10, 12 } }, 0.0f);
  EXPECT_THROW(itk::ComputeRevGANSSIM(tiny.GetPointer(), tiny.GetPointer(), 1.0), itk::ExceptionObject);
}

// reference 0 0 1 / 1 2 2, prediction 0 1 1 / 1 2 0.
TEST(RevGANSegmentationScores, MatchHandComputedValues)
{
  auto                reference = filledImage<Mask2D>({ { 3, 2 } }, 0);
  auto                prediction = filledImage<Mask2D>({ { 3, 2 } }, 0);
  const unsigned char r[6] = { 0, 0, 1, 1, 2, 2 };
  const unsigned char p[6] = { 0, 1, 1, 1, 2, 0 };
  for (itk::IndexValueType i = 0; i < 6; ++i)
  {
    reference->SetPixel({ { i % 3, i / 3 } }, r[i]);
    prediction->SetPixel({ { i % 3, i / 3 } }, p[i]);
  }
  const auto scores = itk::ComputeRevGANSegmentationScores(prediction.GetPointer(), reference.GetPointer(), 3);
  EXPECT_NEAR(scores.pixelAccuracy, 4.0 / 6.0, 1e-12);
  EXPECT_NEAR(scores.classAccuracy[0], 0.5, 1e-12);
  EXPECT_NEAR(scores.classAccuracy[1], 1.0, 1e-12);
  EXPECT_NEAR(scores.classAccuracy[2], 0.5, 1e-12);
  EXPECT_NEAR(scores.classIoU[0], 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(scores.classIoU[1], 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(scores.classIoU[2], 0.5, 1e-12);
  EXPECT_NEAR(scores.meanClassAccuracy, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(scores.meanIoU, 0.5, 1e-12);
  EXPECT_THROW(itk::ComputeRevGANSegmentationScores(prediction.GetPointer(), reference.GetPointer(), 2),
               itk::ExceptionObject);
  try
  {
    itk::ComputeRevGANSegmentationScores(prediction.GetPointer(), reference.GetPointer(), 0);
    ADD_FAILURE() << "no classes were accepted";
  }
  catch (const itk::ExceptionObject & error)
  {
    EXPECT_NE(std::string(error.GetDescription()).find("at least one class, got 0"), std::string::npos)
      << error.GetDescription();
  }
}

} // namespace
