// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itkImageFileReader.h"
#include "itkImageIOFactory.h"
#include "itkRevGANDiffusionTensorIO.h"
#include "itkRevGANImageBuffer.h"
#include "itkRevGANNrrdHeader.h"
#include "itkRevGANTensorFrame.h"
#include "itkVectorImage.h"
#include "revgan/AtomicFileWriter.h"
#include "revgan/LibraryMessages.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <string>

namespace revgan
{

/// What a file holds, read from its header alone.
struct ImageFileInfo
{
  /// Number of image axes, as the header gives them.
  unsigned int dimensions{ 0 };
  /// Values per pixel as the toolkit sees them (6 for every kind of tensor file).
  unsigned int components{ 0 };
  /// A 3D file of symmetric tensors: NIfTI intent SYMMATRIX; NRRD 3D-symmetric-matrix,
  /// 3D-masked-symmetric-matrix (ITK drops the mask) or 3D-matrix (9 values, as 3D Slicer writes).
  bool tensor{ false };
  /// Tensors stored as full 3×3 matrices (NRRD 3D-matrix).
  bool fullMatrices{ false };
  /// A NRRD file; `metadata` then holds its header fields and key/value pairs as ITK reads them
  /// (space directions in LPS, the measurement frame converted alike), to be written again with
  /// outputs of the same kind.
  bool nrrd{ false };
  /// The NRRD header fields and key/value pairs (see `nrrd`); empty for other formats.
  itk::MetaDataDictionary metadata;
  /// Voxels per axis.
  std::vector<size_t> size;
};

/// Bytes an image may take as float pixels: the machine's physical memory (a header claiming more
/// is refused before anything is allocated).
double
imageMemoryBudget();

/// Refuses headers that describe no usable image: an empty axis, a spacing that is not positive
/// and finite, or more float pixels than the memory budget. Throws std::runtime_error naming the file and the problem.
void
checkImageHeader(const std::string & path, const itk::ImageIOBase & io);

/// Throws std::runtime_error naming the file if any value of `image` is NaN or infinite.
template<typename TImage>
void
checkFiniteValues(const std::string & path, const TImage * image)
{
  const float * data = image->GetBufferPointer();
  const size_t  count = image->GetPixelContainer()->Size();
  size_t        nonFinite = 0;
  for (size_t i = 0; i < count; ++i)
    nonFinite += std::isfinite(data[i]) ? 0 : 1;
  if (nonFinite > 0)
    throw std::runtime_error("'" + path + "': " + std::to_string(nonFinite) + " of its " + std::to_string(count) +
                             " values are NaN or infinite; the networks need finite input");
}

/// Throws std::runtime_error naming the file if it is missing or not an image ITK can read, or
/// if its header fails checkImageHeader.
ImageFileInfo
inspectImageFile(const std::string & path);

/// Any image as a float VectorImage. Tensors come in ITK's component order (xx, xy, xz, yy, yz,
/// zz) and in the frame of the image axes (itk::RevGANFileFrameToImageAxes): NIfTI stores them so,
/// a NRRD measurement frame is rotated away. Values must be finite (checkFiniteValues).
template<unsigned int D>
typename itk::VectorImage<float, D>::Pointer
readVectorImage(const std::string & path, const ImageFileInfo & info)
{
  using VectorType = itk::VectorImage<float, D>;
  return readingImageFile(
    path,
    [&]
    {
      typename VectorType::Pointer image;
      if constexpr (D == 3)
      {
        if (info.tensor)
        {
          if (info.fullMatrices)
            image = itk::RevGANSymmetricTensorsFromMatrices(itk::ReadImage<VectorType>(path).GetPointer());
          else
            image = itk::ConvertRevGANPixels<VectorType>(itk::ReadRevGANTensorImage(path).GetPointer());
          checkFiniteValues(path, image.GetPointer());
          itk::RotateRevGANTensors(image.GetPointer(),
                                   itk::RevGANFileFrameToImageAxes(info.metadata, image->GetDirection(), path));
          return image;
        }
      }
      image = itk::ReadImage<VectorType>(path);
      checkFiniteValues(path, image.GetPointer());
      return image;
    });
}

/// Refuses an output path before any work: its folder must exist and be writable, the path must
/// not be a folder, and ITK must know how to write its file type.
void
requireWritableImageFile(const std::string & path);

/// Writes `image` atomically, as the kind of file `like` describes (the input it was made from):
/// as a tensor image when `like` holds tensors and `image` has 6 components, as a scalar image
/// when it has one component, otherwise as a vector image. A NRRD output made from a NRRD input
/// keeps the input's header fields and key/value pairs, and tensors go back into the input's
/// measurement frame; other formats get tensors in the image axes.
template<unsigned int D>
void
writeVectorImage(const itk::VectorImage<float, D> * image, const std::string & path, const ImageFileInfo & like)
{
  const bool keepMetadata = like.nrrd && itk::IsRevGANNrrdFile(path);
  if constexpr (D == 3)
  {
    if (like.tensor && image->GetNumberOfComponentsPerPixel() == 6)
    {
      const auto tensors = itk::ConvertRevGANPixels<itk::RevGANTensorImage>(image);
      if (keepMetadata)
      {
        const auto toAxes = itk::RevGANFileFrameToImageAxes(like.metadata, image->GetDirection(), path);
        itk::RotateRevGANTensors(tensors.GetPointer(), itk::Matrix<double, 3, 3>(toAxes.GetTranspose()));
        tensors->SetMetaDataDictionary(like.metadata);
      }
      if (itk::IsRevGANNrrdFile(path))
        itk::SetRevGANMeasurementFrameIfMissing(tensors->GetMetaDataDictionary(), image->GetDirection());
      itk::WriteRevGANImageAtomically(tensors.GetPointer(), path);
      return;
    }
  }
  // Other outputs keep the input's key/value pairs but not what describes diffusion data.
  itk::MetaDataDictionary metadata;
  if (keepMetadata)
  {
    metadata = like.metadata;
    for (const auto & key : like.metadata.GetKeys())
    {
      if (key == itk::RevGANMeasurementFrameKey || key == "modality" || key.rfind("DWMRI_", 0) == 0)
        metadata.Erase(key);
    }
  }
  if (image->GetNumberOfComponentsPerPixel() == 1)
  {
    const auto scalar = itk::ConvertRevGANPixels<itk::Image<float, D>>(image);
    scalar->SetMetaDataDictionary(metadata);
    itk::WriteRevGANImageAtomically(scalar.GetPointer(), path);
    return;
  }
  // The same pixels under another dictionary: a second image object on the one buffer, no copy.
  auto vectors = itk::VectorImage<float, D>::New();
  vectors->CopyInformation(image);
  vectors->SetRegions(image->GetBufferedRegion());
  vectors->SetNumberOfComponentsPerPixel(image->GetNumberOfComponentsPerPixel());
  vectors->SetPixelContainer(
    const_cast<typename itk::VectorImage<float, D>::PixelContainer *>(image->GetPixelContainer()));
  vectors->SetMetaDataDictionary(metadata);
  itk::WriteRevGANImageAtomically(vectors.GetPointer(), path);
}

} // namespace revgan
