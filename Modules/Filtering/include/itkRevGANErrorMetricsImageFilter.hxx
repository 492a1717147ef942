// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANErrorMetricsImageFilter_hxx
#define itkRevGANErrorMetricsImageFilter_hxx

#include "itkRevGANErrorMetricsImageFilter.h"

#include "itkImageRegionConstIterator.h"
#include "itkRevGANPixelAccess.h"
#include "itkRevGANStructuralSimilarity.h"

#include <cmath>
#include <limits>

namespace itk
{

template<typename TImage, typename TMaskImage>
bool
RevGANErrorMetricsImageFilter<TImage, TMaskImage>::ComputesSSIM() const
{
  return ImageDimension == 2 && this->GetInput()->GetNumberOfComponentsPerPixel() == 1;
}

template<typename TImage, typename TMaskImage>
void
RevGANErrorMetricsImageFilter<TImage, TMaskImage>::GenerateNthInputRequestedRegion(unsigned int piece)
{
  Superclass::GenerateNthInputRequestedRegion(piece);
  if (this->ComputesSSIM())
  {
    // A piece holds the windows that start in it; they reach 10 pixels further.
    for (auto * image : { const_cast<TImage *>(this->GetInput()), const_cast<TImage *>(this->GetReferenceImage()) })
    {
      RegionType region = image->GetRequestedRegion();
      for (unsigned int d = 0; d < ImageDimension; ++d)
        region.SetSize(d, region.GetSize(d) + RevGANStructuralSimilarity::Window - 1);
      region.Crop(image->GetLargestPossibleRegion());
      image->SetRequestedRegion(region);
    }
  }
}

template<typename TImage, typename TMaskImage>
void
RevGANErrorMetricsImageFilter<TImage, TMaskImage>::BeforeStreamedGenerateData()
{
  Superclass::BeforeStreamedGenerateData();
  m_Sums = Sums{};
}

template<typename TImage, typename TMaskImage>
void
RevGANErrorMetricsImageFilter<TImage, TMaskImage>::ThreadedStreamedGenerateData(const RegionType & region)
{
  using Access = RevGANPixelAccess<typename TImage::PixelType>;
  const TImage *                   prediction = this->GetInput();
  const TImage *                   reference = this->GetReferenceImage();
  const unsigned int               components = prediction->GetNumberOfComponentsPerPixel();
  Sums                             sums;
  ImageRegionConstIterator<TImage> p(prediction, region);
  ImageRegionConstIterator<TImage> r(reference, region);
  for (; !p.IsAtEnd(); ++p, ++r)
  {
    double squared = 0.0, absolute = 0.0;
    for (unsigned int c = 0; c < components; ++c)
    {
      const double difference =
        static_cast<double>(Access::Get(p.Get(), c)) - static_cast<double>(Access::Get(r.Get(), c));
      squared += difference * difference;
      absolute += std::abs(difference);
    }
    sums.squaredAll += squared;
    ++sums.voxelsAll;
    const auto where = this->GetVoxelRegion(p.GetIndex());
    if (where == Superclass::VoxelRegion::Outside)
      continue;
    sums.squaredTotal += squared;
    sums.absoluteTotal += absolute;
    ++sums.voxelsTotal;
    if (where == Superclass::VoxelRegion::Interior)
    {
      sums.squaredInterior += squared;
      sums.absoluteInterior += absolute;
      ++sums.voxelsInterior;
    }
  }
  if (this->ComputesSSIM())
  {
    const auto                 whole = prediction->GetLargestPossibleRegion();
    RevGANStructuralSimilarity ssim(m_DataRange);
    for (ImageRegionConstIterator<TImage> start(prediction, region); !start.IsAtEnd(); ++start)
    {
      const auto index = start.GetIndex();
      bool       fits = true;
      for (unsigned int d = 0; d < ImageDimension; ++d)
        fits = fits && index[d] + RevGANStructuralSimilarity::Window <=
                         whole.GetIndex(d) + static_cast<IndexValueType>(whole.GetSize(d));
      if (!fits)
        continue;
      sums.ssim += ssim.AtWindow(
        [&](int x, int y) {
          return static_cast<double>(Access::Get(prediction->GetPixel({ { index[0] + x, index[1] + y } }), 0));
        },
        [&](int x, int y) {
          return static_cast<double>(Access::Get(reference->GetPixel({ { index[0] + x, index[1] + y } }), 0));
        });
      ++sums.windows;
    }
  }
  const std::lock_guard<std::mutex> lock(m_Mutex);
  m_Sums.squaredTotal += sums.squaredTotal;
  m_Sums.absoluteTotal += sums.absoluteTotal;
  m_Sums.squaredInterior += sums.squaredInterior;
  m_Sums.absoluteInterior += sums.absoluteInterior;
  m_Sums.squaredAll += sums.squaredAll;
  m_Sums.ssim += sums.ssim;
  m_Sums.voxelsTotal += sums.voxelsTotal;
  m_Sums.voxelsInterior += sums.voxelsInterior;
  m_Sums.voxelsAll += sums.voxelsAll;
  m_Sums.windows += sums.windows;
}

template<typename TImage, typename TMaskImage>
void
RevGANErrorMetricsImageFilter<TImage, TMaskImage>::AfterStreamedGenerateData()
{
  Superclass::AfterStreamedGenerateData();
  if (m_Sums.voxelsTotal == 0)
  {
    itkExceptionMacro(<< "the mask is empty");
  }
  const double components = this->GetInput()->GetNumberOfComponentsPerPixel();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double terms = static_cast<double>(m_Sums.voxelsTotal) * components;
  const double interiorTerms = static_cast<double>(m_Sums.voxelsInterior) * components;
  m_VoxelsTotal = m_Sums.voxelsTotal;
  m_VoxelsInterior = m_Sums.voxelsInterior;
  m_RMSETotal = std::sqrt(m_Sums.squaredTotal / terms);
  m_MAETotal = m_Sums.absoluteTotal / terms;
  m_RMSEInterior = m_VoxelsInterior ? std::sqrt(m_Sums.squaredInterior / interiorTerms) : nan;
  m_MAEInterior = m_VoxelsInterior ? m_Sums.absoluteInterior / interiorTerms : nan;
  const double mse = m_Sums.squaredAll / (static_cast<double>(m_Sums.voxelsAll) * components);
  m_PSNR = mse > 0.0 ? 10.0 * std::log10(m_DataRange * m_DataRange / mse) : std::numeric_limits<double>::infinity();
  m_SSIM = m_Sums.windows ? m_Sums.ssim / static_cast<double>(m_Sums.windows) : nan;
}

template<typename TImage, typename TMaskImage>
void
RevGANErrorMetricsImageFilter<TImage, TMaskImage>::PrintSelf(std::ostream & os, Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "DataRange: " << m_DataRange << '\n'
     << indent << "RMSETotal: " << m_RMSETotal << '\n'
     << indent << "RMSEInterior: " << m_RMSEInterior << '\n'
     << indent << "MAETotal: " << m_MAETotal << '\n'
     << indent << "MAEInterior: " << m_MAEInterior << '\n'
     << indent << "PSNR: " << m_PSNR << '\n'
     << indent << "SSIM: " << m_SSIM << '\n'
     << indent << "VoxelsTotal: " << m_VoxelsTotal << '\n'
     << indent << "VoxelsInterior: " << m_VoxelsInterior << std::endl;
}

} // namespace itk

#endif
