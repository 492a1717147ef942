// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANDegradation_h
#define itkRevGANDegradation_h

#include "itkBinShrinkImageFilter.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"

namespace itk
{

/** The low-resolution acquisition the paper simulates: each factor^D block of the volume averaged
 * (ITK's BinShrinkImageFilter), on the coarse grid, whose voxel centres are the blocks' centres. */
template<typename TImage>
typename TImage::Pointer
ShrinkRevGANVolume(const TImage * image, unsigned int factor = 2)
{
  auto shrink = BinShrinkImageFilter<TImage, TImage>::New();
  shrink->SetInput(image);
  shrink->SetShrinkFactors(factor);
  shrink->Update();
  return shrink->GetOutput();
}

/** The paper's low-resolution input for super-resolution: the volume is downsampled by `factor`
 * (ShrinkRevGANVolume) and brought back to the original grid by nearest-neighbour resampling, so
 * that input and target have the same size. */
template<typename TImage>
typename TImage::Pointer
DegradeRevGANVolume(const TImage * image, unsigned int factor = 2)
{
  auto upsample = ResampleImageFilter<TImage, TImage>::New();
  upsample->SetInput(ShrinkRevGANVolume(image, factor));
  upsample->SetInterpolator(NearestNeighborInterpolateImageFunction<TImage, double>::New());
  upsample->SetOutputParametersFromImage(image);
  upsample->Update();
  return upsample->GetOutput();
}

} // namespace itk

#endif
