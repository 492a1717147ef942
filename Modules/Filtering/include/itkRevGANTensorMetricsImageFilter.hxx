// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANTensorMetricsImageFilter_hxx
#define itkRevGANTensorMetricsImageFilter_hxx

#include "itkRevGANTensorMetricsImageFilter.h"

#include "itkImageRegionConstIterator.h"
#include "itkRevGANPixelAccess.h"
#include "itkRevGANTensorMeasures.h"

#include <cmath>
#include <limits>

namespace itk
{

template<typename TImage, typename TMaskImage>
RevGANTensorMetricsImageFilter<TImage, TMaskImage>::RevGANTensorMetricsImageFilter()
{
  Self::SetTotal(RevGANTensorErrors{});
  Self::SetInterior(RevGANTensorErrors{});
}

template<typename TImage, typename TMaskImage>
DataObject::Pointer
RevGANTensorMetricsImageFilter<TImage, TMaskImage>::MakeOutput(const ProcessObject::DataObjectIdentifierType & name)
{
  if (name == "Total" || name == "Interior")
    return ErrorsObjectType::New().GetPointer();
  return Superclass::MakeOutput(name);
}

template<typename TImage, typename TMaskImage>
void
RevGANTensorMetricsImageFilter<TImage, TMaskImage>::Sums::Add(const Sums & other)
{
  for (unsigned int m = 0; m < 4; ++m)
  {
    squared[m] += other.squared[m];
    absolute[m] += other.absolute[m];
  }
  angle += other.angle;
  logEuclidean += other.logEuclidean;
  voxels += other.voxels;
  angleVoxels += other.angleVoxels;
  logEuclideanVoxels += other.logEuclideanVoxels;
  nonPositiveDefinite += other.nonPositiveDefinite;
}

template<typename TImage, typename TMaskImage>
RevGANTensorErrors
RevGANTensorMetricsImageFilter<TImage, TMaskImage>::Sums::Errors() const
{
  const double       nan = std::numeric_limits<double>::quiet_NaN();
  const auto         mean = [nan](double sum, SizeValueType count) { return count ? sum / count : nan; };
  RevGANTensorErrors errors;
  double *           rmse[4] = { &errors.faRMSE, &errors.mdRMSE, &errors.adRMSE, &errors.rdRMSE };
  double *           mae[4] = { &errors.faMAE, &errors.mdMAE, &errors.adMAE, &errors.rdMAE };
  for (unsigned int m = 0; m < 4; ++m)
  {
    *rmse[m] = std::sqrt(mean(squared[m], voxels));
    *mae[m] = mean(absolute[m], voxels);
  }
  errors.angularErrorMean = mean(angle, angleVoxels);
  errors.logEuclideanMean = mean(logEuclidean, logEuclideanVoxels);
  errors.nonPositiveDefiniteFraction = mean(static_cast<double>(nonPositiveDefinite), voxels);
  errors.voxels = voxels;
  errors.voxelsAboveFAThreshold = angleVoxels;
  errors.voxelsBothPositiveDefinite = logEuclideanVoxels;
  return errors;
}

template<typename TImage, typename TMaskImage>
void
RevGANTensorMetricsImageFilter<TImage, TMaskImage>::VerifyInputInformation() ITKv5_CONST
{
  Superclass::VerifyInputInformation();
  const unsigned int components = this->GetInput()->GetNumberOfComponentsPerPixel();
  if (components != 6)
  {
    itkExceptionMacro(<< "the images have " << components
                      << " component(s) per voxel; diffusion tensors have 6 (xx, xy, xz, yy, yz, zz)");
  }
}

template<typename TImage, typename TMaskImage>
void
RevGANTensorMetricsImageFilter<TImage, TMaskImage>::BeforeStreamedGenerateData()
{
  Superclass::BeforeStreamedGenerateData();
  m_TotalSums = Sums{};
  m_InteriorSums = Sums{};
}

template<typename TImage, typename TMaskImage>
void
RevGANTensorMetricsImageFilter<TImage, TMaskImage>::ThreadedStreamedGenerateData(const RegionType & region)
{
  using Access = RevGANPixelAccess<typename TImage::PixelType>;
  const auto measure = [](const typename TImage::PixelType & pixel)
  {
    double values[6];
    for (unsigned int c = 0; c < 6; ++c)
      values[c] = Access::Get(pixel, c);
    return RevGANTensorMeasures::Of(values);
  };
  Sums                                     total, interior;
  ImageRegionConstIterator<TImage>         p(this->GetInput(), region);
  ImageRegionConstIterator<TImage>         r(this->GetReferenceImage(), region);
  typename Superclass::VoxelRegionIterator voxelRegion(*this, region);
  for (; !p.IsAtEnd(); ++p, ++r, ++voxelRegion)
  {
    const auto where = voxelRegion.Get();
    if (where == Superclass::VoxelRegion::Outside)
      continue;
    const RevGANTensorMeasures predicted = measure(p.Get());
    const RevGANTensorMeasures reference = measure(r.Get());
    Sums                       voxel;
    const double               differences[4] = { predicted.fractionalAnisotropy - reference.fractionalAnisotropy,
                                                  predicted.meanDiffusivity - reference.meanDiffusivity,
                                                  predicted.axialDiffusivity - reference.axialDiffusivity,
                                                  predicted.radialDiffusivity - reference.radialDiffusivity };
    for (unsigned int m = 0; m < 4; ++m)
    {
      voxel.squared[m] = differences[m] * differences[m];
      voxel.absolute[m] = std::abs(differences[m]);
    }
    voxel.voxels = 1;
    if (reference.fractionalAnisotropy > m_FAThreshold)
    {
      voxel.angle = RevGANTensorMeasures::AngleBetweenPrincipalDirections(predicted, reference);
      voxel.angleVoxels = 1;
    }
    if (predicted.positiveDefinite && reference.positiveDefinite)
    {
      voxel.logEuclidean = RevGANTensorMeasures::LogEuclideanDistance(predicted, reference);
      voxel.logEuclideanVoxels = 1;
    }
    voxel.nonPositiveDefinite = predicted.positiveDefinite ? 0 : 1;
    total.Add(voxel);
    if (where == Superclass::VoxelRegion::Interior)
      interior.Add(voxel);
  }
  const std::lock_guard<std::mutex> lock(m_Mutex);
  m_TotalSums.Add(total);
  m_InteriorSums.Add(interior);
}

template<typename TImage, typename TMaskImage>
void
RevGANTensorMetricsImageFilter<TImage, TMaskImage>::AfterStreamedGenerateData()
{
  Superclass::AfterStreamedGenerateData();
  if (m_TotalSums.voxels == 0)
  {
    itkExceptionMacro(<< "the mask is empty");
  }
  this->SetTotal(m_TotalSums.Errors());
  this->SetInterior(m_InteriorSums.Errors());
}

template<typename TImage, typename TMaskImage>
void
RevGANTensorMetricsImageFilter<TImage, TMaskImage>::PrintSelf(std::ostream & os, Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "FAThreshold: " << m_FAThreshold << '\n';
  os << indent << "Total: " << this->GetTotal() << '\n' << indent << "Interior: " << this->GetInterior() << '\n';
}

} // namespace itk

#endif
