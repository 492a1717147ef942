// SPDX-License-Identifier: Apache-2.0
// RevGANErrorMetricsImageFilter as an ITK pipeline sink: the same figures in one pass, in pieces
// streamed from upstream, and with any number of threads; the interior taken from the whole mask.
// Built and linked without LibTorch (target revgan_metrics_tests links RevGAN::Metrics alone).
#include "itkCastImageFilter.h"
#include "itkImage.h"
#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIterator.h"
#include "itkRevGANErrorMetricsImageFilter.h"
#include "itkRevGANImageMetrics.h"
#include "itkVectorImage.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace
{

template<typename TImage>
typename TImage::Pointer
randomImage(const typename TImage::SizeType & size, unsigned int components, unsigned int seed, double scale)
{
  auto image = TImage::New();
  image->SetRegions(size);
  image->SetNumberOfComponentsPerPixel(components);
  image->Allocate();
  std::mt19937                           random(seed);
  std::uniform_real_distribution<double> uniform(0.0, scale);
  auto *                                 data = image->GetBufferPointer();
  for (size_t i = 0; i < image->GetPixelContainer()->Size(); ++i)
    data[i] = static_cast<float>(uniform(random));
  return image;
}

/// A ball of nonzero voxels: an interior that differs from the mask.
template<typename TMask>
typename TMask::Pointer
ballMask(const typename TMask::SizeType & size)
{
  auto mask = TMask::New();
  mask->SetRegions(size);
  mask->Allocate();
  for (itk::ImageRegionIterator<TMask> it(mask, mask->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    double r2 = 0.0;
    for (unsigned int d = 0; d < TMask::ImageDimension; ++d)
    {
      const double offset = (it.GetIndex()[d] - 0.5 * size[d]) / (0.4 * size[d]);
      r2 += offset * offset;
    }
    it.Set(r2 < 1.0 ? 1 : 0);
  }
  return mask;
}

struct Figures
{
  double rmseTotal, rmseInterior, maeTotal, maeInterior, psnr, ssim;
  size_t voxelsTotal, voxelsInterior;
  /// Whether upstream gave the prediction in pieces.
  bool streamed;
};

/// The metrics of `prediction` against `reference` with `pieces` stream divisions and `threads`
/// work units, the prediction coming through a filter whose requests are recorded.
template<typename TImage, typename TMask>
Figures
measure(const TImage * prediction,
        const TImage * reference,
        const TMask *  mask,
        unsigned int   pieces,
        unsigned int   threads)
{
  auto upstream = itk::CastImageFilter<TImage, TImage>::New();
  upstream->SetInput(prediction);
  auto metrics = itk::RevGANErrorMetricsImageFilter<TImage, TMask>::New();
  metrics->SetInput(upstream->GetOutput());
  metrics->SetReferenceImage(reference);
  if (mask)
    metrics->SetMaskImage(mask);
  metrics->SetDataRange(10.0);
  metrics->SetNumberOfStreamDivisions(pieces);
  metrics->SetNumberOfWorkUnits(threads);
  metrics->Update();
  const bool streamed = upstream->GetOutput()->GetBufferedRegion() != upstream->GetOutput()->GetLargestPossibleRegion();
  return { metrics->GetRMSETotal(),   metrics->GetRMSEInterior(),   metrics->GetMAETotal(),
           metrics->GetMAEInterior(), metrics->GetPSNR(),           metrics->GetSSIM(),
           metrics->GetVoxelsTotal(), metrics->GetVoxelsInterior(), streamed };
}

void
expectSame(const Figures & a, const Figures & b)
{
  auto near = [](double x, double y)
  {
    if (std::isnan(x) || std::isnan(y))
      return std::isnan(x) && std::isnan(y);
    return std::abs(x - y) <= 1e-12 * std::max(1.0, std::abs(x));
  };
  EXPECT_TRUE(near(a.rmseTotal, b.rmseTotal)) << a.rmseTotal << " " << b.rmseTotal;
  EXPECT_TRUE(near(a.rmseInterior, b.rmseInterior)) << a.rmseInterior << " " << b.rmseInterior;
  EXPECT_TRUE(near(a.maeTotal, b.maeTotal));
  EXPECT_TRUE(near(a.maeInterior, b.maeInterior));
  EXPECT_TRUE(near(a.psnr, b.psnr));
  EXPECT_TRUE(near(a.ssim, b.ssim)) << a.ssim << " " << b.ssim;
  EXPECT_EQ(a.voxelsTotal, b.voxelsTotal);
  EXPECT_EQ(a.voxelsInterior, b.voxelsInterior);
}

TEST(RevGANErrorMetricsImageFilter, StreamedInPiecesEqualsOnePass3DVectors)
{
  using Vectors = itk::VectorImage<float, 3>;
  using Mask = itk::Image<unsigned char, 3>;
  const Vectors::SizeType size{ { 23, 19, 17 } };
  const auto              prediction = randomImage<Vectors>(size, 6, 1, 10.0);
  const auto              reference = randomImage<Vectors>(size, 6, 2, 10.0);
  const auto              mask = ballMask<Mask>(size);
  const Figures           once = measure(prediction.GetPointer(), reference.GetPointer(), mask.GetPointer(), 1, 1);
  EXPECT_FALSE(once.streamed);
  EXPECT_GT(once.voxelsTotal, once.voxelsInterior);
  EXPECT_GT(once.voxelsInterior, 0u);
  EXPECT_TRUE(std::isnan(once.ssim)); // SSIM is for 2D scalar images
  for (const unsigned int pieces : { 3u, 7u })
  {
    for (const unsigned int threads : { 1u, 4u })
    {
      const Figures streamed =
        measure(prediction.GetPointer(), reference.GetPointer(), mask.GetPointer(), pieces, threads);
      EXPECT_TRUE(streamed.streamed) << pieces << " pieces";
      expectSame(once, streamed);
    }
  }
  // And the one-pass figures are the definition's.
  double squared = 0.0;
  size_t terms = 0;
  for (itk::ImageRegionConstIterator<Mask> m(mask, mask->GetLargestPossibleRegion()); !m.IsAtEnd(); ++m)
  {
    if (!m.Get())
      continue;
    for (unsigned int c = 0; c < 6; ++c, ++terms)
    {
      const double d = static_cast<double>(prediction->GetPixel(m.GetIndex())[c]) -
                       static_cast<double>(reference->GetPixel(m.GetIndex())[c]);
      squared += d * d;
    }
  }
  EXPECT_NEAR(once.rmseTotal, std::sqrt(squared / terms), 1e-9);
}

TEST(RevGANErrorMetricsImageFilter, StreamedSSIMEqualsOnePass2D)
{
  using Scalars = itk::Image<float, 2>;
  using Mask = itk::Image<unsigned char, 2>;
  const Scalars::SizeType size{ { 40, 37 } };
  const auto              reference = randomImage<Scalars>(size, 1, 3, 10.0);
  auto                    prediction = randomImage<Scalars>(size, 1, 4, 1.0);
  for (size_t i = 0; i < prediction->GetPixelContainer()->Size(); ++i)
    prediction->GetBufferPointer()[i] += reference->GetBufferPointer()[i]; // similar, not equal
  const Figures once = measure<Scalars, Mask>(prediction.GetPointer(), reference.GetPointer(), nullptr, 1, 1);
  EXPECT_GT(once.ssim, 0.0);
  EXPECT_LT(once.ssim, 1.0);
  EXPECT_EQ(once.voxelsTotal, 40u * 37u); // no mask: the whole image
  for (const unsigned int pieces : { 2u, 5u, 9u })
  {
    const Figures streamed =
      measure<Scalars, Mask>(prediction.GetPointer(), reference.GetPointer(), nullptr, pieces, 3);
    EXPECT_TRUE(streamed.streamed);
    expectSame(once, streamed);
  }
  // The same image against itself: SSIM 1, errors 0.
  const Figures self = measure<Scalars, Mask>(reference.GetPointer(), reference.GetPointer(), nullptr, 4, 2);
  EXPECT_NEAR(self.ssim, 1.0, 1e-12);
  EXPECT_EQ(self.rmseTotal, 0.0);
}

TEST(RevGANErrorMetricsImageFilter, RefusesAnEmptyMaskAndOtherGrids)
{
  using Scalars = itk::Image<float, 2>;
  using Mask = itk::Image<unsigned char, 2>;
  const auto image = randomImage<Scalars>({ { 12, 12 } }, 1, 5, 1.0);
  auto       empty = Mask::New();
  empty->SetRegions(image->GetLargestPossibleRegion());
  empty->Allocate();
  empty->FillBuffer(0);
  EXPECT_THROW(measure(image.GetPointer(), image.GetPointer(), empty.GetPointer(), 1, 1), itk::ExceptionObject);
  const auto other = randomImage<Scalars>({ { 12, 13 } }, 1, 6, 1.0);
  EXPECT_THROW((measure<Scalars, Mask>(image.GetPointer(), other.GetPointer(), nullptr, 1, 1)), itk::ExceptionObject);
}

// As StatisticsImageFilter's: each figure is also a decorated output, which updates the pipeline
// behind it when it is updated itself, and follows a change upstream.
TEST(RevGANErrorMetricsImageFilter, FiguresAreDecoratedOutputsOfThePipeline)
{
  using Scalars = itk::Image<float, 2>;
  const auto prediction = randomImage<Scalars>({ { 24, 20 } }, 1, 11, 1.0);
  const auto reference = randomImage<Scalars>({ { 24, 20 } }, 1, 12, 1.0);
  auto       upstream = itk::CastImageFilter<Scalars, Scalars>::New();
  upstream->SetInput(prediction);
  auto metrics = itk::RevGANErrorMetricsImageFilter<Scalars>::New();
  metrics->SetInput(upstream->GetOutput());
  metrics->SetReferenceImage(reference);
  metrics->SetMaskImage(ballMask<itk::Image<unsigned char, 2>>({ { 24, 20 } }));
  using RealObject = itk::RevGANErrorMetricsImageFilter<Scalars>::RealObjectType;
  const RealObject::ConstPointer rmse = metrics->GetRMSETotalOutput();
  const RealObject::ConstPointer ssim = metrics->GetSSIMOutput();
  ASSERT_NE(rmse, nullptr);
  EXPECT_EQ(rmse->Get(), 0.0) << "before the first update";
  const_cast<RealObject *>(rmse.GetPointer())->Update(); // the output, not the filter
  const double first = rmse->Get();
  EXPECT_GT(first, 0.0);
  EXPECT_EQ(first, metrics->GetRMSETotal());
  EXPECT_EQ(ssim->Get(), metrics->GetSSIM());
  EXPECT_EQ(metrics->GetVoxelsTotalOutput()->Get(), metrics->GetVoxelsTotal());
  EXPECT_EQ(metrics->GetRMSEInteriorOutput()->Get(), metrics->GetRMSEInterior());

  // Half the prediction's error: the output follows when updated again.
  itk::ImageRegionIterator<Scalars> it(prediction, prediction->GetLargestPossibleRegion());
  for (itk::ImageRegionConstIterator<Scalars> r(reference, reference->GetLargestPossibleRegion()); !it.IsAtEnd();
       ++it, ++r)
    it.Set(0.5f * (it.Get() + r.Get()));
  prediction->Modified();
  const_cast<RealObject *>(rmse.GetPointer())->Update();
  EXPECT_NEAR(rmse->Get(), 0.5 * first, 1e-6 * first);
}

TEST(RevGANErrorMetricsImageFilter, InputsMustLieInOnePlaceUnlessTheCheckIsOff)
{
  using Scalars = itk::Image<float, 2>;
  const auto         prediction = randomImage<Scalars>({ { 16, 16 } }, 1, 8, 1.0);
  auto               moved = randomImage<Scalars>({ { 16, 16 } }, 1, 9, 1.0);
  Scalars::PointType origin;
  origin.Fill(5.0);
  moved->SetOrigin(origin);
  auto metrics = itk::RevGANErrorMetricsImageFilter<Scalars>::New();
  metrics->SetInput(prediction);
  metrics->SetReferenceImage(moved);
  EXPECT_THROW(metrics->Update(), itk::ExceptionObject);
  metrics->CheckGeometryOff();
  EXPECT_NO_THROW(metrics->Update());
  EXPECT_GT(metrics->GetRMSETotal(), 0.0);
}

} // namespace
