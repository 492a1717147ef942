// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANDiffusionTensorIO_h
#define itkRevGANDiffusionTensorIO_h

#include "itkComposeImageFilter.h"
#include "itkDiffusionTensor3D.h"
#include "itkExtractImageFilter.h"
#include "itkImage.h"
#include "itkImageFileReader.h"
#include "itkImageFileWriter.h"
#include "itkImageIOFactory.h"
#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIterator.h"
#include "revgan/AtomicFileWriter.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace itk
{

/** A DTI volume: 6 components per voxel in ITK's upper-triangular order xx, xy, xz, yy, yz, zz. */
using RevGANTensorImage = Image<DiffusionTensor3D<float>, 3>;

/** Order of the 6 volumes of a 4D tensor file that lacks NIfTI's SYMMATRIX intent.
 * `for each stored volume, the ITK component it holds`. */
using RevGANTensorComponentOrder = std::array<unsigned int, 6>;

/** Parses "xx,xy,xz,yy,yz,zz" (upper triangle, row by row: ITK, Slicer) or "xx,xy,yy,xz,yz,zz"
 * (lower triangle, row by row: NIfTI) — or any permutation of the six names. */
inline RevGANTensorComponentOrder
ParseRevGANTensorComponentOrder(const std::string & text)
{
  static const std::array<const char *, 6> names{ "xx", "xy", "xz", "yy", "yz", "zz" };
  RevGANTensorComponentOrder               order{};
  std::array<bool, 6>                      seen{};
  size_t                                   position = 0;
  for (unsigned int volume = 0; volume < 6; ++volume)
  {
    const size_t      comma = text.find(',', position);
    const std::string name = text.substr(position, comma == std::string::npos ? std::string::npos : comma - position);
    unsigned int      component = 6;
    for (unsigned int c = 0; c < 6; ++c)
      component = name == names[c] ? c : component;
    if (component == 6 || seen[component] || (volume < 5) == (comma == std::string::npos))
    {
      itkGenericExceptionMacro(<< "tensor component order '" << text
                               << "' must list xx, xy, xz, yy, yz, zz once each, separated by commas "
                                  "(e.g. xx,xy,xz,yy,yz,zz or xx,xy,yy,xz,yz,zz)");
    }
    seen[component] = true;
    order[volume] = component;
    position = comma + 1;
  }
  return order;
}

/** Reads a DTI volume. A NIfTI file with intent SYMMATRIX and 6 components (or any file ITK reads
 * as a 6-component tensor) is converted by ITK's reader, which maps NIfTI's lower-triangular
 * storage to ITK's order. A 4D file of 6 scalar volumes is accepted only with `componentOrder`
 * naming what each volume holds, because nothing in such a file says so. Errors name the file. */
inline RevGANTensorImage::Pointer
ReadRevGANTensorImage(const std::string & fileName, const std::string & componentOrder = "")
{
  auto io = ImageIOFactory::CreateImageIO(fileName.c_str(), ImageIOFactory::IOFileModeEnum::ReadMode);
  if (!io)
  {
    itkGenericExceptionMacro(<< "'" << fileName << "': missing, unreadable or not an image file ITK can read");
  }
  io->SetFileName(fileName);
  io->ReadImageInformation();
  const unsigned int dimensions = io->GetNumberOfDimensions();
  const unsigned int components = io->GetNumberOfComponents();
  if (dimensions == 3 && components == 6)
  {
    if (!componentOrder.empty())
    {
      itkGenericExceptionMacro(<< "'" << fileName
                               << "' declares its tensor layout itself; a component order may only be given for "
                                  "4D files of 6 scalar volumes");
    }
    return ReadImage<RevGANTensorImage>(fileName);
  }
  if (dimensions == 4 && components == 1 && io->GetDimensions(3) == 6)
  {
    if (componentOrder.empty())
    {
      itkGenericExceptionMacro(<< "'" << fileName
                               << "' holds 6 volumes without a tensor intent: give their component order "
                                  "(e.g. xx,xy,xz,yy,yz,zz)");
    }
    const RevGANTensorComponentOrder order = ParseRevGANTensorComponentOrder(componentOrder);
    using VolumesType = Image<float, 4>;
    const auto                       volumes = ReadImage<VolumesType>(fileName);
    const auto                       region4 = volumes->GetLargestPossibleRegion();
    auto                             tensors = RevGANTensorImage::New();
    RevGANTensorImage::RegionType    region;
    RevGANTensorImage::PointType     origin;
    RevGANTensorImage::SpacingType   spacing;
    RevGANTensorImage::DirectionType direction;
    for (unsigned int d = 0; d < 3; ++d)
    {
      region.SetIndex(d, region4.GetIndex(d));
      region.SetSize(d, region4.GetSize(d));
      origin[d] = volumes->GetOrigin()[d];
      spacing[d] = volumes->GetSpacing()[d];
      for (unsigned int e = 0; e < 3; ++e)
        direction[d][e] = volumes->GetDirection()[d][e];
    }
    tensors->SetRegions(region);
    tensors->SetOrigin(origin);
    tensors->SetSpacing(spacing);
    tensors->SetDirection(direction);
    tensors->Allocate();
    const size_t  voxels = region.GetNumberOfPixels();
    const float * data = volumes->GetBufferPointer();
    size_t        linear = 0;
    for (ImageRegionIterator<RevGANTensorImage> it(tensors, region); !it.IsAtEnd(); ++it, ++linear)
    {
      RevGANTensorImage::PixelType tensor;
      for (unsigned int volume = 0; volume < 6; ++volume)
        tensor[order[volume]] = data[volume * voxels + linear];
      it.Set(tensor);
    }
    return tensors;
  }
  itkGenericExceptionMacro(<< "'" << fileName << "' is not a DTI volume: it has " << dimensions << " dimension(s) and "
                           << components << " component(s) per voxel; expected a 3D file of 6-component tensors "
                           << "(NIfTI intent SYMMATRIX) or a 4D file of 6 volumes");
}

/** Writes an image to a temporary file beside `fileName` (same extension, so ITK picks the same
 * writer), then flushes and renames it with revgan::replaceFileDurably — the guarantee of every
 * file the toolkit writes: a failed write leaves nothing behind, and a crash at any moment leaves
 * the old or the new file. */
template<typename TImage>
void
WriteRevGANImageAtomically(const TImage * image, const std::string & fileName, bool compress = true)
{
  const std::filesystem::path target(fileName);
  std::string                 extension = target.extension().string();
  std::string                 stem = target.stem().string();
  if (extension == ".gz")
  {
    extension = std::filesystem::path(stem).extension().string() + extension;
    stem = std::filesystem::path(stem).stem().string();
  }
  const std::filesystem::path temporary = target.parent_path() / ("." + stem + ".partial" + extension);
  std::error_code             error;
  // Checked first: some ITK writers (NIfTI among them) report an unopenable file on stderr only.
  const std::filesystem::path folder = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  if (!std::filesystem::is_directory(folder, error))
  {
    itkGenericExceptionMacro(<< "'" << fileName << "' cannot be written: folder '" << folder.string()
                             << "' does not exist");
  }
  try
  {
    WriteImage(image, temporary.string(), compress);
  }
  catch (...)
  {
    std::filesystem::remove(temporary, error);
    throw;
  }
  if (!std::filesystem::exists(temporary, error))
  {
    itkGenericExceptionMacro(<< "'" << fileName << "' could not be written (is its folder there and writable?)");
  }
  try
  {
    revgan::replaceFileDurably(temporary.string(), fileName);
  }
  catch (const std::runtime_error & failure)
  {
    itkGenericExceptionMacro(<< failure.what());
  }
}

} // namespace itk

#endif
