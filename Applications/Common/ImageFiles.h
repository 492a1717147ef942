#pragma once

#include "itkImageFileReader.h"
#include "itkImageIOFactory.h"
#include "itkRevGANDiffusionTensorIO.h"
#include "itkRevGANImageBuffer.h"
#include "itkVectorImage.h"

#include <fstream>
#include <string>

namespace revgan
{

/// What a file holds, read from its header alone.
struct ImageFileInfo
{
  unsigned int dimensions{ 0 };
  unsigned int components{ 0 };
  /// A 3D file of 6-component symmetric tensors (NIfTI intent SYMMATRIX).
  bool tensor{ false };
};

/// Throws std::runtime_error naming the file if it is missing or not an image ITK can read.
inline ImageFileInfo
inspectImageFile(const std::string & path)
{
  if (!std::ifstream(path).good())
    throw std::runtime_error("'" + path + "': file missing or unreadable");
  auto io = itk::ImageIOFactory::CreateImageIO(path.c_str(), itk::ImageIOFactory::IOFileModeEnum::ReadMode);
  if (!io)
    throw std::runtime_error("'" + path + "': not an image file this toolkit can read (NIfTI, NRRD, MHA, PNG, JPEG)");
  io->SetFileName(path);
  io->ReadImageInformation();
  ImageFileInfo info;
  info.dimensions = io->GetNumberOfDimensions();
  info.components = io->GetNumberOfComponents();
  info.tensor = info.dimensions == 3 && info.components == 6 &&
                (io->GetPixelType() == itk::IOPixelEnum::DIFFUSIONTENSOR3D ||
                 io->GetPixelType() == itk::IOPixelEnum::SYMMETRICSECONDRANKTENSOR);
  return info;
}

/// Any image as a float VectorImage; tensor files come in ITK's component order
/// (xx, xy, xz, yy, yz, zz) through the DTI reader.
template<unsigned int D>
typename itk::VectorImage<float, D>::Pointer
readVectorImage(const std::string & path, const ImageFileInfo & info)
{
  using VectorType = itk::VectorImage<float, D>;
  if constexpr (D == 3)
  {
    if (info.tensor)
    {
      const auto tensors = itk::ReadRevGANTensorImage(path);
      return itk::ConvertRevGANPixels<VectorType>(tensors.GetPointer());
    }
  }
  (void)info;
  return itk::ReadImage<VectorType>(path);
}

/// Writes `image` atomically: as a tensor image when `asTensor` (6 components, 3D), as a scalar
/// image when it has one component, otherwise as a vector image.
template<unsigned int D>
void
writeVectorImage(const itk::VectorImage<float, D> * image, const std::string & path, bool asTensor)
{
  if constexpr (D == 3)
  {
    if (asTensor && image->GetNumberOfComponentsPerPixel() == 6)
    {
      const auto tensors = itk::ConvertRevGANPixels<itk::RevGANTensorImage>(image);
      itk::WriteRevGANImageAtomically(tensors.GetPointer(), path);
      return;
    }
  }
  (void)asTensor;
  if (image->GetNumberOfComponentsPerPixel() == 1)
  {
    const auto scalar = itk::ConvertRevGANPixels<itk::Image<float, D>>(image);
    itk::WriteRevGANImageAtomically(scalar.GetPointer(), path);
    return;
  }
  itk::WriteRevGANImageAtomically(image, path);
}

} // namespace revgan
