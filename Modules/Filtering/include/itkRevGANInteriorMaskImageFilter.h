// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANInteriorMaskImageFilter_h
#define itkRevGANInteriorMaskImageFilter_h

#include "itkBinaryErodeImageFilter.h"
#include "itkBinaryThresholdImageFilter.h"
#include "itkFlatStructuringElement.h"
#include "itkImageToImageFilter.h"
#include "itkProgressAccumulator.h"

namespace itk
{

/** \class RevGANInteriorMaskImageFilter
 * \brief The voxels of a mask whose whole (2r+1)^D box neighbourhood lies inside the mask.
 *
 * The paper's "interior" brain region: erosion of the brain mask by a 5×5×5 cube (radius 2).
 * Any nonzero input value counts as inside; the output is 1 inside, 0 outside. Voxels near the
 * image border count as outside the mask beyond it. A mini-pipeline of ITK's
 * BinaryThresholdImageFilter and BinaryErodeImageFilter.
 *
 * \ingroup RevGAN
 */
template<typename TInputImage, typename TOutputImage = TInputImage>
class ITK_TEMPLATE_EXPORT RevGANInteriorMaskImageFilter : public ImageToImageFilter<TInputImage, TOutputImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(RevGANInteriorMaskImageFilter);

  using Self = RevGANInteriorMaskImageFilter;
  using Superclass = ImageToImageFilter<TInputImage, TOutputImage>;
  using Pointer = SmartPointer<Self>;
  using ConstPointer = SmartPointer<const Self>;

  itkNewMacro(Self);
  itkTypeMacro(RevGANInteriorMaskImageFilter, ImageToImageFilter);

  /// The dimension of the mask images.
  static constexpr unsigned int ImageDimension = TInputImage::ImageDimension;
  /// The pixel type of the output mask (1 interior, 0 elsewhere).
  using OutputPixelType = typename TOutputImage::PixelType;

  /** Half-width of the box; 2 gives the paper's 5×5×5 neighbourhood. */
  itkSetMacro(Radius, unsigned int);
  /// Half-width of the box in voxels (default 2).
  itkGetConstMacro(Radius, unsigned int);

protected:
  RevGANInteriorMaskImageFilter() = default;
  ~RevGANInteriorMaskImageFilter() override = default;

  /// Requests the whole input mask, since the erosion near any output region reads beyond it.
  void
  GenerateInputRequestedRegion() override
  {
    Superclass::GenerateInputRequestedRegion();
    // Erosion near the requested region needs the whole neighbourhood; masks are small: take all.
    if (auto * input = const_cast<TInputImage *>(this->GetInput()))
      input->SetRequestedRegionToLargestPossibleRegion();
  }

  /// Binarises the input (nonzero: 1) and erodes it by a box of radius Radius, with voxels beyond the
  /// image border counting as background.
  void
  GenerateData() override
  {
    auto binarize = BinaryThresholdImageFilter<TInputImage, TOutputImage>::New();
    binarize->SetInput(this->GetInput());
    binarize->SetLowerThreshold(NumericTraits<typename TInputImage::PixelType>::ZeroValue());
    binarize->SetUpperThreshold(NumericTraits<typename TInputImage::PixelType>::ZeroValue());
    binarize->SetInsideValue(NumericTraits<OutputPixelType>::ZeroValue());
    binarize->SetOutsideValue(NumericTraits<OutputPixelType>::OneValue());

    using KernelType = FlatStructuringElement<ImageDimension>;
    typename KernelType::RadiusType radius;
    radius.Fill(m_Radius);
    auto erode = BinaryErodeImageFilter<TOutputImage, TOutputImage, KernelType>::New();
    erode->SetInput(binarize->GetOutput());
    erode->SetKernel(KernelType::Box(radius));
    erode->SetForegroundValue(NumericTraits<OutputPixelType>::OneValue());
    erode->SetBackgroundValue(NumericTraits<OutputPixelType>::ZeroValue());
    erode->SetBoundaryToForeground(false);

    auto progress = ProgressAccumulator::New();
    progress->SetMiniPipelineFilter(this);
    progress->RegisterInternalFilter(binarize, 0.1f);
    progress->RegisterInternalFilter(erode, 0.9f);

    erode->GraftOutput(this->GetOutput());
    erode->Update();
    this->GraftOutput(erode->GetOutput());
  }

  void
  PrintSelf(std::ostream & os, Indent indent) const override
  {
    Superclass::PrintSelf(os, indent);
    os << indent << "Radius: " << m_Radius << std::endl;
  }

private:
  unsigned int m_Radius{ 2 };
};

} // namespace itk

#endif
