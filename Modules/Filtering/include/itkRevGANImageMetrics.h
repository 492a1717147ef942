// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANImageMetrics_h
#define itkRevGANImageMetrics_h

#include "itkImageRegionConstIterator.h"
#include "itkMacro.h"
#include "itkRevGANErrorMetricsImageFilter.h"
#include "itkRevGANPixelAccess.h"
#include "itkRevGANStructuralSimilarity.h"

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
  /// RMSE over the mask, in the images' intensity units.
  double rmseTotal{ 0.0 };
  /// RMSE over the mask's interior; NaN when the interior is empty.
  double rmseInterior{ 0.0 };
  /// MAE over the mask, in the images' intensity units.
  double maeTotal{ 0.0 };
  /// MAE over the mask's interior; NaN when the interior is empty.
  double maeInterior{ 0.0 };
  /// Voxels in the mask.
  size_t voxelsTotal{ 0 };
  /// Voxels in the mask's interior.
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
 * with `interiorRadius`), in one call: RevGANErrorMetricsImageFilter for whole images in memory,
 * voxel by voxel (the caller decides whether the images must lie in the same place).
 * Throws itk::ExceptionObject if sizes or component counts differ or the mask is empty. */
template<typename TImage, typename TMask>
RevGANErrorStatistics
ComputeRevGANErrorStatistics(const TImage * prediction,
                             const TImage * reference,
                             const TMask *  mask,
                             unsigned int   interiorRadius = 2)
{
  auto metrics = RevGANErrorMetricsImageFilter<TImage, TMask>::New();
  metrics->SetInput(prediction);
  metrics->SetReferenceImage(reference);
  metrics->SetMaskImage(mask);
  metrics->SetInteriorRadius(interiorRadius);
  metrics->CheckGeometryOff();
  metrics->Update();
  RevGANErrorStatistics result;
  result.rmseTotal = metrics->GetRMSETotal();
  result.rmseInterior = metrics->GetRMSEInterior();
  result.maeTotal = metrics->GetMAETotal();
  result.maeInterior = metrics->GetMAEInterior();
  result.voxelsTotal = metrics->GetVoxelsTotal();
  result.voxelsInterior = metrics->GetVoxelsInterior();
  return result;
}

namespace revgan_detail
{

/** The metrics of two whole images in memory, voxel by voxel. */
template<typename TImage>
typename RevGANErrorMetricsImageFilter<TImage>::Pointer
WholeImageMetrics(const TImage * prediction, const TImage * reference, double dataRange)
{
  auto metrics = RevGANErrorMetricsImageFilter<TImage>::New();
  metrics->SetInput(prediction);
  metrics->SetReferenceImage(reference);
  metrics->SetDataRange(dataRange);
  metrics->CheckGeometryOff();
  metrics->Update();
  return metrics;
}

} // namespace revgan_detail

/** PSNR over the whole image for intensities spanning `dataRange` (255 for 8-bit images). */
template<typename TImage>
double
ComputeRevGANPSNR(const TImage * prediction, const TImage * reference, double dataRange)
{
  return revgan_detail::WholeImageMetrics(prediction, reference, dataRange)->GetPSNR();
}

/** Mean SSIM of two 2D scalar images (RevGANStructuralSimilarity) over the positions where the
 * whole window fits ("valid"). */
template<typename TImage>
double
ComputeRevGANSSIM(const TImage * prediction, const TImage * reference, double dataRange)
{
  static_assert(TImage::ImageDimension == 2, "SSIM is defined here for 2D images");
  const auto size = prediction->GetLargestPossibleRegion().GetSize();
  if (size[0] < RevGANStructuralSimilarity::Window || size[1] < RevGANStructuralSimilarity::Window)
  {
    itkGenericExceptionMacro(<< "SSIM needs images of at least 11×11 pixels, got " << size);
  }
  return revgan_detail::WholeImageMetrics(prediction, reference, dataRange)->GetSSIM();
}

/** Agreement of two label maps with labels 0 … classes−1. */
struct RevGANSegmentationScores
{
  /// Fraction of all pixels whose predicted label equals the reference label.
  double pixelAccuracy{ 0.0 };
  /** Per class: correct / reference pixels of the class (NaN for a class absent from the reference). */
  std::vector<double> classAccuracy;
  /** Per class: intersection / union (NaN where both maps lack the class). */
  std::vector<double> classIoU;
  /** Means over the classes that are defined. */
  double meanClassAccuracy{ 0.0 };
  /// Mean of classIoU over the classes present in either map (NaN if none).
  double meanIoU{ 0.0 };
};

/// Pixel accuracy, per-class accuracy and IoU, and their means, of the label map `prediction` against
/// `reference` (same size) with labels 0 … `classes`−1. Throws itk::ExceptionObject if the sizes differ or a
/// label is out of range.
template<typename TLabelImage>
RevGANSegmentationScores
ComputeRevGANSegmentationScores(const TLabelImage * prediction, const TLabelImage * reference, unsigned int classes)
{
  revgan_detail::CheckSameGrid(prediction, reference, "the reference");
  if (classes == 0)
  {
    itkGenericExceptionMacro(<< "segmentation scores need at least one class, got 0");
  }
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
