#ifndef itkRevGANImageMetrics_h
#define itkRevGANImageMetrics_h

#include "itkImageRegionConstIterator.h"
#include "itkMacro.h"
#include "itkRevGANInteriorMaskImageFilter.h"
#include "itkRevGANPixelAccess.h"

#include <cmath>
#include <limits>
#include <vector>

namespace itk
{

/** Errors of a prediction against a reference over a mask ("total") and over its interior. For
 * multi-component pixels (vectors, tensors) every component of every voxel is one term: RMSE is
 * the root of the mean squared component difference, MAE the mean absolute component difference. */
struct RevGANErrorStatistics
{
  double rmseTotal{ 0.0 };
  double rmseInterior{ 0.0 };
  double maeTotal{ 0.0 };
  double maeInterior{ 0.0 };
  size_t voxelsTotal{ 0 };
  size_t voxelsInterior{ 0 };
};

namespace revgan_detail
{

template<typename TA, typename TB>
void
CheckSameGrid(const TA * a, const TB * b, const char * what)
{
  if (a->GetLargestPossibleRegion() != b->GetLargestPossibleRegion())
  {
    itkGenericExceptionMacro(<< what << " has size " << b->GetLargestPossibleRegion().GetSize()
                             << " but the prediction has " << a->GetLargestPossibleRegion().GetSize());
  }
}

} // namespace revgan_detail

/** RMSE and MAE over `mask` (nonzero voxels) and over its interior (RevGANInteriorMaskImageFilter
 * with `interiorRadius`). Throws itk::ExceptionObject if sizes or component counts differ or the
 * mask is empty. */
template<typename TImage, typename TMask>
RevGANErrorStatistics
ComputeRevGANErrorStatistics(const TImage * prediction,
                             const TImage * reference,
                             const TMask *  mask,
                             unsigned int   interiorRadius = 2)
{
  revgan_detail::CheckSameGrid(prediction, reference, "the reference");
  revgan_detail::CheckSameGrid(prediction, mask, "the mask");
  const unsigned int components = prediction->GetNumberOfComponentsPerPixel();
  if (reference->GetNumberOfComponentsPerPixel() != components)
  {
    itkGenericExceptionMacro(<< "the prediction has " << components << " component(s) per voxel but the reference has "
                             << reference->GetNumberOfComponentsPerPixel());
  }
  auto interiorFilter = RevGANInteriorMaskImageFilter<TMask, Image<unsigned char, TMask::ImageDimension>>::New();
  interiorFilter->SetInput(mask);
  interiorFilter->SetRadius(interiorRadius);
  interiorFilter->Update();

  using Access = RevGANPixelAccess<typename TImage::PixelType>;
  const auto            region = prediction->GetLargestPossibleRegion();
  double                squaredTotal = 0.0, absoluteTotal = 0.0, squaredInterior = 0.0, absoluteInterior = 0.0;
  RevGANErrorStatistics result;
  ImageRegionConstIterator<TImage>                                      p(prediction, region);
  ImageRegionConstIterator<TImage>                                      r(reference, region);
  ImageRegionConstIterator<TMask>                                       m(mask, region);
  ImageRegionConstIterator<Image<unsigned char, TMask::ImageDimension>> i(interiorFilter->GetOutput(), region);
  for (; !p.IsAtEnd(); ++p, ++r, ++m, ++i)
  {
    if (m.Get() == NumericTraits<typename TMask::PixelType>::ZeroValue())
      continue;
    double squared = 0.0, absolute = 0.0;
    for (unsigned int c = 0; c < components; ++c)
    {
      const double difference = static_cast<double>(Access::Get(p.Get(), c)) - Access::Get(r.Get(), c);
      squared += difference * difference;
      absolute += std::abs(difference);
    }
    squaredTotal += squared;
    absoluteTotal += absolute;
    ++result.voxelsTotal;
    if (i.Get() != 0)
    {
      squaredInterior += squared;
      absoluteInterior += absolute;
      ++result.voxelsInterior;
    }
  }
  if (result.voxelsTotal == 0)
  {
    itkGenericExceptionMacro(<< "the mask is empty");
  }
  const double terms = static_cast<double>(result.voxelsTotal) * components;
  result.rmseTotal = std::sqrt(squaredTotal / terms);
  result.maeTotal = absoluteTotal / terms;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double interiorTerms = static_cast<double>(result.voxelsInterior) * components;
  result.rmseInterior = result.voxelsInterior ? std::sqrt(squaredInterior / interiorTerms) : nan;
  result.maeInterior = result.voxelsInterior ? absoluteInterior / interiorTerms : nan;
  return result;
}

/** Peak signal-to-noise ratio in dB: 10·log10(range² / MSE) over all pixels and components. */
template<typename TImage>
double
ComputeRevGANPSNR(const TImage * prediction, const TImage * reference, double dataRange)
{
  revgan_detail::CheckSameGrid(prediction, reference, "the reference");
  using Access = RevGANPixelAccess<typename TImage::PixelType>;
  const unsigned int               components = prediction->GetNumberOfComponentsPerPixel();
  double                           squared = 0.0;
  size_t                           terms = 0;
  ImageRegionConstIterator<TImage> p(prediction, prediction->GetLargestPossibleRegion());
  ImageRegionConstIterator<TImage> r(reference, reference->GetLargestPossibleRegion());
  for (; !p.IsAtEnd(); ++p, ++r)
  {
    for (unsigned int c = 0; c < components; ++c, ++terms)
    {
      const double difference = static_cast<double>(Access::Get(p.Get(), c)) - Access::Get(r.Get(), c);
      squared += difference * difference;
    }
  }
  const double mse = squared / static_cast<double>(terms);
  return mse > 0.0 ? 10.0 * std::log10(dataRange * dataRange / mse) : std::numeric_limits<double>::infinity();
}

/** Mean structural similarity (Wang et al. 2004) of two 2D scalar images: Gaussian window 11×11,
 * σ = 1.5, K1 = 0.01, K2 = 0.03, over the positions where the whole window fits ("valid"), as in
 * the reference implementation. ITK has no such filter; its Gaussian smoothers use a different
 * discrete kernel, which would change the values. */
template<typename TImage>
double
ComputeRevGANSSIM(const TImage * prediction, const TImage * reference, double dataRange)
{
  static_assert(TImage::ImageDimension == 2, "SSIM is defined here for 2D images");
  revgan_detail::CheckSameGrid(prediction, reference, "the reference");
  const auto    size = prediction->GetLargestPossibleRegion().GetSize();
  constexpr int window = 11;
  if (size[0] < window || size[1] < window)
  {
    itkGenericExceptionMacro(<< "SSIM needs images of at least 11×11 pixels, got " << size);
  }
  std::vector<double> kernel(window);
  double              kernelSum = 0.0;
  for (int i = 0; i < window; ++i)
    kernelSum += kernel[i] = std::exp(-0.5 * std::pow((i - window / 2) / 1.5, 2));
  for (auto & k : kernel)
    k /= kernelSum;

  const auto                       width = static_cast<int>(size[0]);
  const auto                       height = static_cast<int>(size[1]);
  std::vector<double>              a(size[0] * size[1]), b(a.size());
  ImageRegionConstIterator<TImage> p(prediction, prediction->GetLargestPossibleRegion());
  ImageRegionConstIterator<TImage> r(reference, reference->GetLargestPossibleRegion());
  for (size_t i = 0; !p.IsAtEnd(); ++p, ++r, ++i)
  {
    a[i] = static_cast<double>(p.Get());
    b[i] = static_cast<double>(r.Get());
  }
  const double c1 = std::pow(0.01 * dataRange, 2);
  const double c2 = std::pow(0.03 * dataRange, 2);
  double       total = 0.0;
  int          count = 0;
  for (int y = 0; y + window <= height; ++y)
  {
    for (int x = 0; x + window <= width; ++x)
    {
      double meanA = 0, meanB = 0, aa = 0, bb = 0, ab = 0;
      for (int j = 0; j < window; ++j)
        for (int i = 0; i < window; ++i)
        {
          const double w = kernel[i] * kernel[j];
          const double va = a[(y + j) * width + x + i];
          const double vb = b[(y + j) * width + x + i];
          meanA += w * va;
          meanB += w * vb;
          aa += w * va * va;
          bb += w * vb * vb;
          ab += w * va * vb;
        }
      const double varA = aa - meanA * meanA, varB = bb - meanB * meanB, cov = ab - meanA * meanB;
      total +=
        ((2 * meanA * meanB + c1) * (2 * cov + c2)) / ((meanA * meanA + meanB * meanB + c1) * (varA + varB + c2));
      ++count;
    }
  }
  return total / count;
}

/** Agreement of two label maps with labels 0 … classes−1. */
struct RevGANSegmentationScores
{
  double pixelAccuracy{ 0.0 };
  /** Per class: correct / reference pixels of the class (NaN for a class absent from the reference). */
  std::vector<double> classAccuracy;
  /** Per class: intersection / union (NaN where both maps lack the class). */
  std::vector<double> classIoU;
  /** Means over the classes that are defined. */
  double meanClassAccuracy{ 0.0 };
  double meanIoU{ 0.0 };
};

template<typename TLabelImage>
RevGANSegmentationScores
ComputeRevGANSegmentationScores(const TLabelImage * prediction, const TLabelImage * reference, unsigned int classes)
{
  revgan_detail::CheckSameGrid(prediction, reference, "the reference");
  std::vector<size_t>                   truePositive(classes, 0), inReference(classes, 0), inPrediction(classes, 0);
  size_t                                correct = 0, total = 0;
  ImageRegionConstIterator<TLabelImage> p(prediction, prediction->GetLargestPossibleRegion());
  ImageRegionConstIterator<TLabelImage> r(reference, reference->GetLargestPossibleRegion());
  for (; !p.IsAtEnd(); ++p, ++r, ++total)
  {
    const auto predicted = static_cast<size_t>(p.Get());
    const auto actual = static_cast<size_t>(r.Get());
    if (predicted >= classes || actual >= classes)
    {
      itkGenericExceptionMacro(<< "label " << std::max(predicted, actual) << " is outside 0…" << classes - 1);
    }
    ++inPrediction[predicted];
    ++inReference[actual];
    if (predicted == actual)
    {
      ++truePositive[actual];
      ++correct;
    }
  }
  RevGANSegmentationScores scores;
  const double             nan = std::numeric_limits<double>::quiet_NaN();
  scores.pixelAccuracy = static_cast<double>(correct) / static_cast<double>(total);
  double accuracySum = 0.0, iouSum = 0.0;
  int    accuracyCount = 0, iouCount = 0;
  for (unsigned int c = 0; c < classes; ++c)
  {
    const size_t unionSize = inReference[c] + inPrediction[c] - truePositive[c];
    scores.classAccuracy.push_back(inReference[c] ? static_cast<double>(truePositive[c]) / inReference[c] : nan);
    scores.classIoU.push_back(unionSize ? static_cast<double>(truePositive[c]) / unionSize : nan);
    if (inReference[c])
    {
      accuracySum += scores.classAccuracy.back();
      ++accuracyCount;
    }
    if (unionSize)
    {
      iouSum += scores.classIoU.back();
      ++iouCount;
    }
  }
  scores.meanClassAccuracy = accuracyCount ? accuracySum / accuracyCount : nan;
  scores.meanIoU = iouCount ? iouSum / iouCount : nan;
  return scores;
}

} // namespace itk

#endif
