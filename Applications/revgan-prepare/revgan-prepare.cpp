// SPDX-License-Identifier: Apache-2.0
// revgan-prepare: makes training and test data — DWI → DTI, the paper's low-resolution input, the
// DTI phantom in a real brain's geometry, sub-volumes, and Pix2pix "A|B" pairs split in two.
#include "ApplicationMain.h"
#include "CommandLineModule.h"
#include "ModuleDescriptions.h"
#include "ProgressPrinter.h"
#include "revgan/ImageFiles.h"

#include "itkRegionOfInterestImageFilter.h"
#include "itkRevGANDTIPhantomImageFilter.h"
#include "itkRevGANDegradation.h"
#include "itkRevGANDiffusionWeightedToTensor.h"
#include "itkRevGANInputGrid.h"
#include "revgan/TensorFitting.h"
#include "revgan/ThreadConfiguration.h"
#include <algorithm>
#include <filesystem>

namespace
{

void
require(const revgan::CommandLineModule & module, std::initializer_list<const char *> names)
{
  for (const char * name : names)
  {
    if (!module.has(name))
      throw std::invalid_argument("--task " + module.text("task") + " needs --" + name);
  }
}

template<unsigned int D>
void
crop(const revgan::CommandLineModule & module, const revgan::ImageFileInfo & info)
{
  const auto image = revgan::readVectorImage<D>(module.text("input"), info);
  const auto start = module.integers("start");
  const auto extent = module.integers("extent");
  if (start.size() != D || extent.size() != D)
    throw std::invalid_argument("--start and --extent need " + std::to_string(D) + " values for '" +
                                module.text("input") + "'");
  typename itk::VectorImage<float, D>::RegionType region;
  for (unsigned int d = 0; d < D; ++d)
  {
    region.SetIndex(d, image->GetLargestPossibleRegion().GetIndex(d) + start[d]);
    region.SetSize(d, static_cast<itk::SizeValueType>(extent[d]));
  }
  if (!image->GetLargestPossibleRegion().IsInside(region))
    throw std::invalid_argument("--start/--extent reach outside '" + module.text("input") + "' of size " +
                                [&]
                                {
                                  std::ostringstream s;
                                  s << image->GetLargestPossibleRegion().GetSize();
                                  return s.str();
                                }());
  auto roi = itk::RegionOfInterestImageFilter<itk::VectorImage<float, D>, itk::VectorImage<float, D>>::New();
  roi->SetInput(image);
  roi->SetRegionOfInterest(region);
  roi->Update();
  revgan::writeVectorImage<D>(roi->GetOutput(), module.text("output"), info);
}

template<unsigned int D>
void
resample(const revgan::CommandLineModule & module, const revgan::ImageFileInfo & info)
{
  const auto referenceInfo = revgan::inspectImageFile(module.text("reference"));
  if (referenceInfo.dimensions != D)
    throw std::invalid_argument("'" + module.text("reference") + "' is not " + std::to_string(D) + "D like '" +
                                module.text("input") + "'");
  const auto image = revgan::readVectorImage<D>(module.text("input"), info);
  // Only the reference's grid is needed: read its header, not its pixels.
  auto reference = itk::ImageFileReader<itk::Image<float, D>>::New();
  reference->SetFileName(module.text("reference"));
  revgan::readingImageFile(module.text("reference"), [&] { reference->UpdateOutputInformation(); });
  revgan::writeVectorImage<D>(
    itk::InterpolateRevGANImage<D>(image.GetPointer(), reference->GetOutput(), module.text("interpolation"))
      .GetPointer(),
    module.text("output"),
    info);
}

/// degrade (the paper's input on the original grid) or shrink (the block averages on the coarse grid).
template<unsigned int D>
void
lowerResolution(const revgan::CommandLineModule & module, const revgan::ImageFileInfo & info)
{
  const auto factor = static_cast<unsigned int>(module.integer("factor"));
  const auto image = revgan::readVectorImage<D>(module.text("input"), info);
  const auto lowered = module.text("task") == "shrink" ? itk::ShrinkRevGANVolume(image.GetPointer(), factor)
                                                       : itk::DegradeRevGANVolume(image.GetPointer(), factor);
  revgan::writeVectorImage<D>(lowered.GetPointer(), module.text("output"), info);
}

/// Splits one Pix2pix A|B image into its left (A) and right (B) halves.
void
splitPair(const std::string & input, const std::string & outputA, const std::string & outputB)
{
  const auto info = revgan::inspectImageFile(input);
  if (info.dimensions != 2)
    throw std::invalid_argument("'" + input + "' must be a 2D A|B image");
  const auto image = revgan::readVectorImage<2>(input, info);
  const auto size = image->GetLargestPossibleRegion().GetSize();
  if (size[0] % 2 != 0)
    throw std::invalid_argument("'" + input + "' has an odd width " + std::to_string(size[0]) +
                                ": an A|B image is two images of equal width side by side");
  for (int half = 0; half < 2; ++half)
  {
    itk::ImageRegion<2> region = image->GetLargestPossibleRegion();
    region.SetSize(0, size[0] / 2);
    region.SetIndex(0, region.GetIndex(0) + half * static_cast<itk::IndexValueType>(size[0] / 2));
    auto roi = itk::RegionOfInterestImageFilter<itk::VectorImage<float, 2>, itk::VectorImage<float, 2>>::New();
    roi->SetInput(image);
    roi->SetRegionOfInterest(region);
    roi->Update();
    // Both halves share the A half's position, so that they overlay as a pair.
    roi->GetOutput()->SetOrigin(image->GetOrigin());
    revgan::writeVectorImage<2>(roi->GetOutput(), half == 0 ? outputA : outputB, info);
  }
}

/// A folder of A|B images into two folders of A and B images (NIfTI, same names).
void
splitPairFolder(const std::string & input, const std::string & outputA, const std::string & outputB)
{
  std::vector<std::filesystem::path> files;
  for (const auto & entry : std::filesystem::directory_iterator(input))
  {
    if (entry.is_regular_file())
      files.push_back(entry.path());
  }
  if (files.empty())
    throw std::invalid_argument("folder '" + input + "' holds no files");
  std::sort(files.begin(), files.end());
  std::filesystem::create_directories(outputA);
  std::filesystem::create_directories(outputB);
  for (const auto & file : files)
  {
    std::string stem = file.filename().string();
    stem = stem.substr(0, stem.find('.'));
    splitPair(file.string(), outputA + "/" + stem + ".nii.gz", outputB + "/" + stem + ".nii.gz");
  }
}

/// Each slice of a volume along its third axis as a 2D image in the folder `output` (made if
/// missing), named slice-000.nii.gz, slice-001.nii.gz, …: the slice's pixels on the slice's own
/// plane — the volume's in-plane spacing, the identity direction and origin 0 in coordinates along
/// the volume's first two axes (a slice of an oblique or coronal volume has no orientation in 2D of
/// its own) — so that the slices of volumes on one grid (an image, its mask) pair as 2D images, and
/// a coarse slice made from them (--task shrink) keeps its place on that plane. Values per pixel
/// are kept (tensors become 6-component vectors: a slice has no third axis to hold their frame).
void
extractSlices(const std::string & input, const revgan::ImageFileInfo & info, const std::string & output)
{
  if (info.dimensions != 3)
    throw std::invalid_argument("'" + input + "' is " + std::to_string(info.dimensions) +
                                "D; slices are taken from 3D volumes");
  std::error_code error;
  std::filesystem::create_directories(output, error);
  if (!std::filesystem::is_directory(output))
    throw std::invalid_argument("'" + output + "' is not a folder that can be made (" + error.message() + ")");
  const auto volume = revgan::readVectorImage<3>(input, info);
  using SliceType = itk::VectorImage<float, 2>;
  const auto             size = volume->GetLargestPossibleRegion().GetSize();
  const unsigned int     components = volume->GetNumberOfComponentsPerPixel();
  const size_t           sliceValues = size[0] * size[1] * components;
  SliceType::SpacingType spacing;
  spacing[0] = volume->GetSpacing()[0];
  spacing[1] = volume->GetSpacing()[1];
  revgan::ImageFileInfo like = info;
  like.tensor = false;
  like.nrrd = false;
  const size_t digits = std::max<size_t>(3, std::to_string(size[2] - 1).size());
  for (size_t z = 0; z < size[2]; ++z)
  {
    auto slice = SliceType::New();
    slice->SetRegions(SliceType::SizeType{ { size[0], size[1] } });
    slice->SetNumberOfComponentsPerPixel(components);
    slice->Allocate();
    std::copy_n(volume->GetBufferPointer() + z * sliceValues, sliceValues, slice->GetBufferPointer());
    slice->SetSpacing(spacing);
    std::string number = std::to_string(z);
    number.insert(0, digits - number.size(), '0');
    revgan::writeVectorImage<2>(slice.GetPointer(), output + "/slice-" + number + ".nii.gz", like);
  }
}

/// Tensors fitted to a diffusion-weighted scan: a NRRD as 3D Slicer writes it (gradients and
/// b-value in its header, in its measurement frame), or a 4D NIfTI with --bval and --bvec.
void
fitTensors(const revgan::CommandLineModule & module)
{
  const std::string input = module.text("input");
  const auto        info = revgan::inspectImageFile(input);
  if (!revgan::holdsGradientsInHeader(info))
    require(module, { "bval", "bvec" });
  const auto tensors = revgan::fitTensorsToScan(
    input, info, module.has("bval") ? module.text("bval") : "", module.has("bvec") ? module.text("bvec") : "");
  revgan::ImageFileInfo like = info;
  like.tensor = true;
  revgan::writeVectorImage<3>(tensors.GetPointer(), module.text("output"), like);
}

int
prepare(const revgan::CommandLineModule & module)
{
  const std::string task = module.text("task");
  const bool        intoFolders =
    (task == "split-pair" && std::filesystem::is_directory(module.text("input"))) || task == "slices";
  if (!intoFolders)
  {
    revgan::requireWritableImageFile(module.text("output"));
    if (task == "split-pair")
    {
      require(module, { "output-b" });
      revgan::requireWritableImageFile(module.text("output-b"));
    }
  }
  revgan::ProgressPrinter progress("revgan-prepare", task + ": " + module.text("output"));
  if (task == "dti")
  {
    require(module, { "input" });
    fitTensors(module);
    return 0;
  }
  if (task == "phantom")
  {
    require(module, { "t1", "mask" });
    using T1Type = itk::Image<float, 3>;
    using MaskType = itk::Image<unsigned char, 3>;
    for (const char * name : { "t1", "mask" })
    {
      if (revgan::inspectImageFile(module.text(name)).dimensions != 3)
        throw std::invalid_argument("'" + module.text(name) + "' must be a 3D volume");
    }
    auto phantom = itk::RevGANDTIPhantomImageFilter<T1Type, MaskType>::New();
    phantom->SetInput(
      revgan::readingImageFile(module.text("t1"), [&] { return itk::ReadImage<T1Type>(module.text("t1")); }));
    phantom->SetMaskImage(
      revgan::readingImageFile(module.text("mask"), [&] { return itk::ReadImage<MaskType>(module.text("mask")); }));
    if (module.has("size"))
    {
      const auto size = module.integers("size");
      if (size.size() != 3)
        throw std::invalid_argument("--size needs 3 values (x,y,z)");
      phantom->SetOutputSize({ { static_cast<itk::SizeValueType>(size[0]),
                                 static_cast<itk::SizeValueType>(size[1]),
                                 static_cast<itk::SizeValueType>(size[2]) } });
    }
    phantom->Update();
    itk::WriteRevGANImageAtomically(phantom->GetOutput(), module.text("output"));
    return 0;
  }
  require(module, { "input" });
  if (task == "split-pair")
  {
    require(module, { "output-b" });
    if (std::filesystem::is_directory(module.text("input")))
      splitPairFolder(module.text("input"), module.text("output"), module.text("output-b"));
    else
      splitPair(module.text("input"), module.text("output"), module.text("output-b"));
    return 0;
  }
  const auto info = revgan::inspectImageFile(module.text("input"));
  if (info.dimensions != 2 && info.dimensions != 3)
    throw std::invalid_argument("'" + module.text("input") + "' is " + std::to_string(info.dimensions) +
                                "D; 2D and 3D images are supported");
  if (task == "degrade" || task == "shrink")
  {
    info.dimensions == 2 ? lowerResolution<2>(module, info) : lowerResolution<3>(module, info);
    return 0;
  }
  if (task == "resample")
  {
    require(module, { "reference" });
    info.dimensions == 2 ? resample<2>(module, info) : resample<3>(module, info);
    return 0;
  }
  if (task == "slices")
  {
    extractSlices(module.text("input"), info, module.text("output"));
    return 0;
  }
  if (task == "crop")
  {
    require(module, { "start", "extent" });
    info.dimensions == 2 ? crop<2>(module, info) : crop<3>(module, info);
    return 0;
  }
  throw std::logic_error("unhandled task " + task);
}

} // namespace

int
main(int argc, char ** argv)
{
  return revgan::runApplication("revgan-prepare",
                                [&]
                                {
                                  revgan::CommandLineModule module = revgan::describePrepare();
                                  if (!module.parse(argc, argv))
                                    return 0;
                                  revgan::configureThreads(static_cast<int>(module.integer("threads")));
                                  return prepare(module);
                                });
}
