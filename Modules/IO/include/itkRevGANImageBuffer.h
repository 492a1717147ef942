// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANImageBuffer_h
#define itkRevGANImageBuffer_h

#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIterator.h"
#include "itkMacro.h"
#include "itkRevGANPixelAccess.h"
#include "revgan/ImageBuffer.h"

namespace itk
{

/** The whole buffered image as a revgan::ImageBuffer: shape (components, size[D−1], …, size[0])
 * — ITK's axis 0 (x) is the fastest, as the network's last axis. */
template<typename TImage>
revgan::ImageBuffer
ImageToRevGANBuffer(const TImage * image)
{
  const auto          region = image->GetBufferedRegion();
  const unsigned int  channels = image->GetNumberOfComponentsPerPixel();
  revgan::ImageBuffer buffer;
  buffer.shape.push_back(channels);
  for (unsigned int d = TImage::ImageDimension; d-- > 0;)
    buffer.shape.push_back(static_cast<int64_t>(region.GetSize(d)));
  const size_t pixels = region.GetNumberOfPixels();
  buffer.data.resize(pixels * channels);
  size_t linear = 0;
  for (ImageRegionConstIterator<TImage> it(image, region); !it.IsAtEnd(); ++it, ++linear)
  {
    const auto pixel = it.Get();
    for (unsigned int c = 0; c < channels; ++c)
      buffer.data[c * pixels + linear] = RevGANPixelAccess<typename TImage::PixelType>::Get(pixel, c);
  }
  return buffer;
}

/** An image with the geometry of `reference` holding `buffer` (shaped as ImageToRevGANBuffer
 * makes it). Throws itk::ExceptionObject if the sizes do not match. */
template<typename TImage, typename TReference>
typename TImage::Pointer
RevGANBufferToImage(const revgan::ImageBuffer & buffer, const TReference * reference)
{
  const auto region = reference->GetLargestPossibleRegion();
  bool       matches = buffer.shape.size() == TImage::ImageDimension + 1;
  for (unsigned int d = 0; matches && d < TImage::ImageDimension; ++d)
    matches = buffer.shape[TImage::ImageDimension - d] == static_cast<int64_t>(region.GetSize(d));
  if (!matches || buffer.data.size() != static_cast<size_t>(buffer.channels() * buffer.pixels()))
  {
    itkGenericExceptionMacro(<< "image buffer does not match the reference image's size " << region.GetSize());
  }
  auto image = TImage::New();
  image->CopyInformation(reference);
  image->SetRegions(region);
  image->SetNumberOfComponentsPerPixel(static_cast<unsigned int>(buffer.channels()));
  image->Allocate();
  const auto   channels = static_cast<unsigned int>(buffer.channels());
  const size_t pixels = region.GetNumberOfPixels();
  size_t       linear = 0;
  for (ImageRegionIterator<TImage> it(image, region); !it.IsAtEnd(); ++it, ++linear)
  {
    typename TImage::PixelType pixel{};
    RevGANPixelAccess<typename TImage::PixelType>::SetLength(pixel, channels);
    for (unsigned int c = 0; c < channels; ++c)
      RevGANPixelAccess<typename TImage::PixelType>::Set(pixel, c, buffer.data[c * pixels + linear]);
    it.Set(pixel);
  }
  return image;
}

/** A copy of `image` with another pixel type of the same number of components (e.g. a
 * DiffusionTensor3D image as a 6-component VectorImage, or a 1-component VectorImage as a scalar
 * image); components keep their order, geometry is kept. */
template<typename TOutput, typename TInput>
typename TOutput::Pointer
ConvertRevGANPixels(const TInput * image)
{
  const auto         region = image->GetBufferedRegion();
  const unsigned int channels = image->GetNumberOfComponentsPerPixel();
  auto               output = TOutput::New();
  output->CopyInformation(image);
  output->SetRegions(region);
  output->SetNumberOfComponentsPerPixel(channels);
  output->Allocate();
  if (output->GetNumberOfComponentsPerPixel() != channels)
  {
    itkGenericExceptionMacro(<< "cannot convert an image of " << channels << " component(s) per pixel to one of "
                             << output->GetNumberOfComponentsPerPixel());
  }
  ImageRegionConstIterator<TInput> in(image, region);
  ImageRegionIterator<TOutput>     out(output, region);
  for (; !in.IsAtEnd(); ++in, ++out)
  {
    typename TOutput::PixelType pixel{};
    RevGANPixelAccess<typename TOutput::PixelType>::SetLength(pixel, channels);
    for (unsigned int c = 0; c < channels; ++c)
      RevGANPixelAccess<typename TOutput::PixelType>::Set(
        pixel, c, RevGANPixelAccess<typename TInput::PixelType>::Get(in.Get(), c));
    out.Set(pixel);
  }
  return output;
}

} // namespace itk

#endif
