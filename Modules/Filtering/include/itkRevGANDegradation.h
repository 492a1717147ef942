#ifndef itkRevGANDegradation_h
#define itkRevGANDegradation_h

#include "itkBinShrinkImageFilter.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"

namespace itk
{

/** The paper's low-resolution input for super-resolution: the volume is downsampled by `factor`
 * (each factor^D block averaged, by ITK's BinShrinkImageFilter) and brought back to the original
 * grid by nearest-neighbour resampling, so that input and target have the same size. */
template<typename TImage>
typename TImage::Pointer
DegradeRevGANVolume(const TImage * image, unsigned int factor = 2)
{
  auto shrink = BinShrinkImageFilter<TImage, TImage>::New();
  shrink->SetInput(image);
  shrink->SetShrinkFactors(factor);

  auto upsample = ResampleImageFilter<TImage, TImage>::New();
  upsample->SetInput(shrink->GetOutput());
  upsample->SetInterpolator(NearestNeighborInterpolateImageFunction<TImage, double>::New());
  upsample->SetOutputParametersFromImage(image);
  upsample->Update();
  return upsample->GetOutput();
}

} // namespace itk

#endif
