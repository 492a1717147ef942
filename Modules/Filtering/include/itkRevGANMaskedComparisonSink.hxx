// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANMaskedComparisonSink_hxx
#define itkRevGANMaskedComparisonSink_hxx

#include "itkRevGANMaskedComparisonSink.h"

#include "itkRevGANInteriorMaskImageFilter.h"

namespace itk
{

template<typename TImage, typename TMaskImage>
RevGANMaskedComparisonSink<TImage, TMaskImage>::RevGANMaskedComparisonSink()
{
  Self::AddRequiredInputName("ReferenceImage");
  Self::AddOptionalInputName("MaskImage");
}

template<typename TImage, typename TMaskImage>
void
RevGANMaskedComparisonSink<TImage, TMaskImage>::VerifyInputInformation() ITKv5_CONST
{
  if (m_CheckGeometry)
    Superclass::VerifyInputInformation();
  const TImage * prediction = this->GetInput();
  const TImage * reference = this->GetReferenceImage();
  if (reference->GetLargestPossibleRegion() != prediction->GetLargestPossibleRegion())
  {
    itkExceptionMacro(<< "the reference has size " << reference->GetLargestPossibleRegion().GetSize()
                      << " but the prediction has " << prediction->GetLargestPossibleRegion().GetSize());
  }
  if (reference->GetNumberOfComponentsPerPixel() != prediction->GetNumberOfComponentsPerPixel())
  {
    itkExceptionMacro(<< "the prediction has " << prediction->GetNumberOfComponentsPerPixel()
                      << " component(s) per voxel but the reference has "
                      << reference->GetNumberOfComponentsPerPixel());
  }
  const TMaskImage * mask = this->GetMaskImage();
  if (mask && mask->GetLargestPossibleRegion() != prediction->GetLargestPossibleRegion())
  {
    itkExceptionMacro(<< "the mask has size " << mask->GetLargestPossibleRegion().GetSize()
                      << " but the prediction has " << prediction->GetLargestPossibleRegion().GetSize());
  }
}

template<typename TImage, typename TMaskImage>
void
RevGANMaskedComparisonSink<TImage, TMaskImage>::GenerateNthInputRequestedRegion(unsigned int piece)
{
  Superclass::GenerateNthInputRequestedRegion(piece);
  // The interior of a piece depends on the mask around it: erode the mask whole, once.
  if (auto * mask = const_cast<TMaskImage *>(this->GetMaskImage()))
    mask->SetRequestedRegionToLargestPossibleRegion();
}

template<typename TImage, typename TMaskImage>
void
RevGANMaskedComparisonSink<TImage, TMaskImage>::BeforeStreamedGenerateData()
{
  Superclass::BeforeStreamedGenerateData();
  m_Interior = nullptr;
}

template<typename TImage, typename TMaskImage>
void
RevGANMaskedComparisonSink<TImage, TMaskImage>::StreamedGenerateData(unsigned int piece)
{
  if (!m_Interior && this->GetMaskImage())
  {
    using InteriorType = Image<unsigned char, ImageDimension>;
    auto interior = RevGANInteriorMaskImageFilter<TMaskImage, InteriorType>::New();
    interior->SetInput(this->GetMaskImage());
    interior->SetRadius(m_InteriorRadius);
    interior->Update();
    m_Interior = interior->GetOutput();
    m_Interior->DisconnectPipeline();
  }
  Superclass::StreamedGenerateData(piece);
}

template<typename TImage, typename TMaskImage>
void
RevGANMaskedComparisonSink<TImage, TMaskImage>::AfterStreamedGenerateData()
{
  Superclass::AfterStreamedGenerateData();
  m_Interior = nullptr;
}

template<typename TImage, typename TMaskImage>
RevGANMaskedComparisonSink<TImage, TMaskImage>::VoxelRegionIterator::VoxelRegionIterator(const Self &       sink,
                                                                                         const RegionType & region)
{
  if (const TMaskImage * mask = sink.GetMaskImage())
  {
    m_HasMask = true;
    m_Mask = ImageRegionConstIterator<TMaskImage>(mask, region);
    m_Interior = ImageRegionConstIterator<Image<unsigned char, ImageDimension>>(sink.m_Interior, region);
  }
}

template<typename TImage, typename TMaskImage>
auto
RevGANMaskedComparisonSink<TImage, TMaskImage>::VoxelRegionIterator::Get() const -> VoxelRegion
{
  if (!m_HasMask)
    return VoxelRegion::Interior;
  if (m_Mask.Get() == 0)
    return VoxelRegion::Outside;
  return m_Interior.Get() != 0 ? VoxelRegion::Interior : VoxelRegion::MaskOnly;
}

template<typename TImage, typename TMaskImage>
auto
RevGANMaskedComparisonSink<TImage, TMaskImage>::VoxelRegionIterator::operator++() -> VoxelRegionIterator &
{
  if (m_HasMask)
  {
    ++m_Mask;
    ++m_Interior;
  }
  return *this;
}

template<typename TImage, typename TMaskImage>
void
RevGANMaskedComparisonSink<TImage, TMaskImage>::PrintSelf(std::ostream & os, Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "InteriorRadius: " << m_InteriorRadius << '\n'
     << indent << "CheckGeometry: " << m_CheckGeometry << std::endl;
}

} // namespace itk

#endif
