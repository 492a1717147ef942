// SPDX-License-Identifier: Apache-2.0
#include "revgan/ImageFiles.h"

#include "revgan/JpegDataCheck.h"
#include "revgan/LibraryMessages.h"
#include "revgan/NiftiHeaderCheck.h"
#include "revgan/PixelDataCheck.h"
#include "revgan/PngHeaderCheck.h"

#include "itkImageIOFactory.h"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace revgan
{

double
imageMemoryBudget()
{
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long pageSize = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && pageSize > 0 ? static_cast<double>(pages) * static_cast<double>(pageSize) : 64.0 * (1ull << 30);
}

void
checkImageHeader(const std::string & path, const itk::ImageIOBase & io)
{
  double pixels = 1.0;
  for (unsigned int d = 0; d < io.GetNumberOfDimensions(); ++d)
  {
    if (io.GetDimensions(d) == 0)
      throw std::runtime_error("'" + path + "': axis " + std::to_string(d) + " has no pixels");
    const double spacing = io.GetSpacing(d);
    if (!(spacing > 0.0) || !std::isfinite(spacing))
    {
      std::ostringstream message;
      message << "'" << path << "': spacing of axis " << d << " is " << spacing << "; it must be positive";
      throw std::runtime_error(message.str());
    }
    pixels *= static_cast<double>(io.GetDimensions(d));
  }
  const double bytes = pixels * std::max(1u, io.GetNumberOfComponents()) * sizeof(float);
  if (bytes > imageMemoryBudget())
  {
    std::ostringstream message;
    message << std::fixed << std::setprecision(1) << "'" << path << "': the header describes " << bytes / (1ull << 30)
            << " GiB of float pixels, more than this machine's memory (" << imageMemoryBudget() / (1ull << 30)
            << " GiB)";
    throw std::runtime_error(message.str());
  }
}

ImageFileInfo
inspectImageFile(const std::string & path)
{
  if (!std::ifstream(path).good())
    throw std::runtime_error("'" + path + "': file missing or unreadable");
  // Checks that must come before ITK opens the file at all: choosing a reader (CreateImageIO)
  // already has ITK's PNG and JPEG readers parse the file's header, without working error handling.
  checkNiftiHeaderValues(path);
  checkPngHeader(path);
  // Every pixel the header promises must be in the file before a reader runs: MetaIO reads a short
  // file without failing, and the others refuse it in their own words.
  const StoredPixelData stored = findPixelData(path);
  checkJpegData(path);
  // teem's header parsing, once through the toolkit's own call: ITK's NRRD reader leaks teem's
  // state when teem refuses a header (found by Testing/Fuzz), and the header's kinds are needed below.
  const bool            nrrd = itk::IsRevGANNrrdFile(path);
  itk::RevGANNrrdHeader nrrdHeader;
  if (nrrd)
    nrrdHeader = readingImageFile(path, [&] { return itk::ReadRevGANNrrdHeader(path); });
  auto io = readingImageFile(
    path,
    [&] { return itk::ImageIOFactory::CreateImageIO(path.c_str(), itk::ImageIOFactory::IOFileModeEnum::ReadMode); });
  if (!io)
    throw std::runtime_error("'" + path + "': not an image file this toolkit can read (NIfTI, NRRD, MHA, PNG, JPEG)");
  io->SetFileName(path);
  readingImageFile(path, [&] { io->ReadImageInformation(); });
  checkImageHeader(path, *io);
  requireAllPixelData(path, stored, static_cast<double>(io->GetImageSizeInBytes()));
  ImageFileInfo info;
  info.dimensions = io->GetNumberOfDimensions();
  info.components = io->GetNumberOfComponents();
  for (unsigned int d = 0; d < info.dimensions; ++d)
    info.size.push_back(io->GetDimensions(d));
  info.tensor = info.dimensions == 3 && info.components == 6 &&
                (io->GetPixelType() == itk::IOPixelEnum::DIFFUSIONTENSOR3D ||
                 io->GetPixelType() == itk::IOPixelEnum::SYMMETRICSECONDRANKTENSOR);
  info.nrrd = nrrd;
  if (info.nrrd)
  {
    info.metadata = io->GetMetaDataDictionary();
    const itk::RevGANNrrdHeader & header = nrrdHeader;
    if (header.rangeKind == "3D-matrix")
    {
      if (info.dimensions != 3 || header.rangeSize != 9)
        throw std::runtime_error("'" + path + "': a 3D-matrix axis needs 9 values per voxel of a 3D volume");
      info.tensor = true;
      info.fullMatrices = true;
      info.components = 6;
    }
  }
  return info;
}

void
requireWritableImageFile(const std::string & path)
{
  requireWritableLocation(path);
  if (!itk::ImageIOFactory::CreateImageIO(path.c_str(), itk::ImageIOFactory::IOFileModeEnum::WriteMode))
    throw std::invalid_argument("'" + path +
                                "': not an image file type this toolkit can write (use .nii.gz, .nrrd, .mha, .png)");
}

} // namespace revgan
