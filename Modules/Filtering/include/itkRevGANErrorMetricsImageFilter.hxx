// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANErrorMetricsImageFilter_hxx
#define itkRevGANErrorMetricsImageFilter_hxx

#include "itkRevGANErrorMetricsImageFilter.h"

#include "itkImageRegionConstIterator.h"
#include "itkImageRegionConstIteratorWithIndex.h"
#include "itkRevGANPixelAccess.h"
#include "itkRevGANStructuralSimilarity.h"

#include <cmath>
#include <limits>
#include <vector>

namespace itk
{

template<typename TImage, typename TMaskImage>
RevGANErrorMetricsImageFilter<TImage, TMaskImage>::RevGANErrorMetricsImageFilter()
{
  // Zero until the first Update(), as the figures read before it always were.
  Self::SetRMSETotal(0.0);
  Self::SetRMSEInterior(0.0);
  Self::SetMAETotal(0.0);
  Self::SetMAEInterior(0.0);
  Self::SetPSNR(0.0);
  Self::SetSSIM(0.0);
  Self::SetVoxelsTotal(0);
  Self::SetVoxelsInterior(0);
}

template<typename TImage, typename TMaskImage>
DataObject::Pointer
RevGANErrorMetricsImageFilter<TImage, TMaskImage>::MakeOutput(const ProcessObject::DataObjectIdentifierType & name)
{
  if (name == "VoxelsTotal" || name == "VoxelsInterior")
    return CountObjectType::New().GetPointer();
  if (name == "RMSETotal" || name == "RMSEInterior" || name == "MAETotal" || name == "MAEInterior" || name == "PSNR" ||
      name == "SSIM")
    return RealObjectType::New().GetPointer();
  return Superclass::MakeOutput(name);
}

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
  const TImage *                           prediction = this->GetInput();
  const TImage *                           reference = this->GetReferenceImage();
  const unsigned int                       components = prediction->GetNumberOfComponentsPerPixel();
  Sums                                     sums;
  ImageRegionConstIterator<TImage>         p(prediction, region);
  ImageRegionConstIterator<TImage>         r(reference, region);
  typename Superclass::VoxelRegionIterator voxelRegion(*this, region);
  for (; !p.IsAtEnd(); ++p, ++r, ++voxelRegion)
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
    const auto where = voxelRegion.Get();
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
    // The windows that start in `region` reach Window − 1 pixels further: that block of both images
    // is read once with region iterators, and each window takes its pixels from the copies.
    const RegionType whole = prediction->GetLargestPossibleRegion();
    RegionType       block = region;
    for (unsigned int d = 0; d < ImageDimension; ++d)
      block.SetSize(d, region.GetSize(d) + RevGANStructuralSimilarity::Window - 1);
    block.Crop(whole);
    const auto copyOf = [&block](const TImage * image)
    {
      std::vector<double> values;
      values.reserve(block.GetNumberOfPixels());
      for (ImageRegionConstIterator<TImage> pixel(image, block); !pixel.IsAtEnd(); ++pixel)
        values.push_back(static_cast<double>(Access::Get(pixel.Get(), 0)));
      return values;
    };
    const std::vector<double>  predicted = copyOf(prediction);
    const std::vector<double>  referenced = copyOf(reference);
    const IndexValueType       width = static_cast<IndexValueType>(block.GetSize(0));
    RevGANStructuralSimilarity ssim(m_DataRange);
    for (ImageRegionConstIteratorWithIndex<TImage> start(prediction, region); !start.IsAtEnd(); ++start)
    {
      const auto index = start.GetIndex();
      bool       fits = true;
      for (unsigned int d = 0; d < ImageDimension; ++d)
        fits = fits && index[d] + RevGANStructuralSimilarity::Window <=
                         whole.GetIndex(d) + static_cast<IndexValueType>(whole.GetSize(d));
      if (!fits)
        continue;
      const IndexValueType corner = (index[0] - block.GetIndex(0)) + (index[1] - block.GetIndex(1)) * width;
      sums.ssim += ssim.AtWindow([&](int x, int y) { return predicted[corner + y * width + x]; },
                                 [&](int x, int y) { return referenced[corner + y * width + x]; });
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
  const bool   interior = m_Sums.voxelsInterior > 0;
  this->SetVoxelsTotal(m_Sums.voxelsTotal);
  this->SetVoxelsInterior(m_Sums.voxelsInterior);
  this->SetRMSETotal(std::sqrt(m_Sums.squaredTotal / terms));
  this->SetMAETotal(m_Sums.absoluteTotal / terms);
  this->SetRMSEInterior(interior ? std::sqrt(m_Sums.squaredInterior / interiorTerms) : nan);
  this->SetMAEInterior(interior ? m_Sums.absoluteInterior / interiorTerms : nan);
  const double mse = m_Sums.squaredAll / (static_cast<double>(m_Sums.voxelsAll) * components);
  this->SetPSNR(mse > 0.0 ? 10.0 * std::log10(m_DataRange * m_DataRange / mse)
                          : std::numeric_limits<double>::infinity());
  this->SetSSIM(m_Sums.windows ? m_Sums.ssim / static_cast<double>(m_Sums.windows) : nan);
}

template<typename TImage, typename TMaskImage>
void
RevGANErrorMetricsImageFilter<TImage, TMaskImage>::PrintSelf(std::ostream & os, Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "DataRange: " << m_DataRange << '\n'
     << indent << "RMSETotal: " << this->GetRMSETotal() << '\n'
     << indent << "RMSEInterior: " << this->GetRMSEInterior() << '\n'
     << indent << "MAETotal: " << this->GetMAETotal() << '\n'
     << indent << "MAEInterior: " << this->GetMAEInterior() << '\n'
     << indent << "PSNR: " << this->GetPSNR() << '\n'
     << indent << "SSIM: " << this->GetSSIM() << '\n'
     << indent << "VoxelsTotal: " << this->GetVoxelsTotal() << '\n'
     << indent << "VoxelsInterior: " << this->GetVoxelsInterior() << std::endl;
}

} // namespace itk

#endif
