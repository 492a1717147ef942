// SPDX-License-Identifier: Apache-2.0
// revgan-figure: one PNG with the same slice of several volumes side by side (for DTI, their
// fractional anisotropy) followed by the error map of the last volume against a reference.
#include "ApplicationMain.h"
#include "CommandLineModule.h"
#include "ModuleDescriptions.h"
#include "ProgressPrinter.h"
#include "revgan/ImageFiles.h"

#include "itkExtractImageFilter.h"
#include "itkImageFileWriter.h"
#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIterator.h"
#include "itkTileImageFilter.h"

#include <cmath>
#include <iostream>
#include <sstream>

namespace
{

using VectorVolume = itk::VectorImage<float, 3>;
using Slice = itk::Image<float, 2>;
using PngSlice = itk::Image<unsigned char, 2>;

/// Fractional anisotropy of an ITK-order tensor (xx, xy, xz, yy, yz, zz), or the value itself.
float
displayValue(const VectorVolume::PixelType & pixel)
{
  if (pixel.GetSize() != 6)
    return pixel[0];
  itk::DiffusionTensor3D<double> tensor;
  for (unsigned int c = 0; c < 6; ++c)
    tensor[c] = pixel[c];
  return tensor.GetTrace() > 0.0 ? static_cast<float>(tensor.GetFractionalAnisotropy()) : 0.0f;
}

/// The slice through `z` of `volume`, as display values (or, with `reference`, the error norm);
/// DTI display values are zero where `mask` (the reference) has no tensor.
Slice::Pointer
sliceOf(const VectorVolume * volume,
        itk::IndexValueType  z,
        const VectorVolume * reference = nullptr,
        const VectorVolume * mask = nullptr)
{
  const auto size = volume->GetLargestPossibleRegion().GetSize();
  auto       slice = Slice::New();
  slice->SetRegions(itk::Size<2>{ { size[0], size[1] } });
  slice->Allocate();
  for (itk::IndexValueType y = 0; y < static_cast<itk::IndexValueType>(size[1]); ++y)
    for (itk::IndexValueType x = 0; x < static_cast<itk::IndexValueType>(size[0]); ++x)
    {
      const VectorVolume::IndexType index{ { x, y, z } };
      float                         value = displayValue(volume->GetPixel(index));
      if (mask && displayValue(mask->GetPixel(index)) == 0.0f && mask->GetPixel(index).GetSize() == 6)
        value = 0.0f; // FA of the tiny tensors a network leaves outside the brain is noise
      if (reference)
      {
        double squared = 0.0;
        for (unsigned int c = 0; c < volume->GetNumberOfComponentsPerPixel(); ++c)
          squared += std::pow(volume->GetPixel(index)[c] - reference->GetPixel(index)[c], 2);
        value = static_cast<float>(std::sqrt(squared));
      }
      slice->SetPixel({ { x, y } }, value);
    }
  return slice;
}

/// Maps [0, high] to [0, 255] (high: the panels' common maximum, or the error map's own).
PngSlice::Pointer
toPng(const Slice * slice, double high)
{
  auto png = PngSlice::New();
  png->SetRegions(slice->GetLargestPossibleRegion());
  png->Allocate();
  itk::ImageRegionConstIterator<Slice> in(slice, slice->GetLargestPossibleRegion());
  itk::ImageRegionIterator<PngSlice>   out(png, png->GetLargestPossibleRegion());
  for (; !in.IsAtEnd(); ++in, ++out)
    out.Set(static_cast<unsigned char>(std::clamp(255.0 * in.Get() / std::max(high, 1e-30), 0.0, 255.0)));
  return png;
}

double
maximumOf(const Slice * slice)
{
  double high = 0.0;
  for (itk::ImageRegionConstIterator<Slice> it(slice, slice->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
    high = std::max(high, static_cast<double>(it.Get()));
  return high;
}

} // namespace

int
main(int argc, char ** argv)
{
  return revgan::runApplication(
    "revgan-figure",
    [&]
    {
      revgan::CommandLineModule module = revgan::describeFigure();
      if (!module.parse(argc, argv))
        return 0;
      revgan::requireWritableImageFile(module.text("output"));
      std::vector<std::string> files;
      std::stringstream        list(module.text("volumes"));
      for (std::string file; std::getline(list, file, ',');)
        files.push_back(file);
      revgan::ProgressPrinter            progress("revgan-figure", "drawing " + module.text("output"));
      std::vector<VectorVolume::Pointer> volumes;
      for (const auto & file : files)
      {
        const auto info = revgan::inspectImageFile(file);
        if (info.dimensions != 3)
          throw std::invalid_argument("'" + file + "' is not a 3D volume");
        volumes.push_back(revgan::readVectorImage<3>(file, info));
        progress.update(0.8 * static_cast<double>(volumes.size()) / static_cast<double>(files.size() + 1));
      }
      const auto referenceInfo = revgan::inspectImageFile(module.text("reference"));
      const auto reference = revgan::readVectorImage<3>(module.text("reference"), referenceInfo);
      const auto size = reference->GetLargestPossibleRegion().GetSize();
      for (const auto & volume : volumes)
      {
        if (volume->GetLargestPossibleRegion().GetSize() != size ||
            volume->GetNumberOfComponentsPerPixel() != reference->GetNumberOfComponentsPerPixel())
          throw std::invalid_argument("all volumes must match the reference '" + module.text("reference") +
                                      "' in size and components");
      }
      if (volumes.empty())
        throw std::invalid_argument("--volumes is empty");
      const int64_t requested = module.integer("slice");
      if (requested >= static_cast<int64_t>(size[2]))
        throw std::invalid_argument("--slice " + std::to_string(requested) + " is beyond the " +
                                    std::to_string(size[2]) + " slices");
      const itk::IndexValueType z = requested < 0 ? static_cast<itk::IndexValueType>(size[2] / 2) : requested;

      std::vector<Slice::Pointer> panels;
      double                      high = 0.0;
      for (const auto & volume : volumes)
      {
        panels.push_back(sliceOf(volume, z, nullptr, reference));
        high = std::max(high, maximumOf(panels.back()));
      }
      const Slice::Pointer error = sliceOf(volumes.back(), z, reference);

      auto                           tile = itk::TileImageFilter<PngSlice, PngSlice>::New();
      std::vector<PngSlice::Pointer> pngs;
      for (const auto & panel : panels)
        pngs.push_back(toPng(panel, high));
      pngs.push_back(toPng(error, maximumOf(error)));
      for (unsigned int i = 0; i < pngs.size(); ++i)
        tile->SetInput(i, pngs[i]);
      itk::FixedArray<unsigned int, 2> layout;
      layout[0] = static_cast<unsigned int>(pngs.size());
      layout[1] = 1;
      tile->SetLayout(layout);
      tile->Update();
      itk::WriteRevGANImageAtomically(tile->GetOutput(), module.text("output"), false);
      std::cout << "wrote " << module.text("output") << ": slice " << z << ", panels: volumes in the given order, then "
                << "the error norm of the last against the reference (scaled to its own maximum " << maximumOf(error)
                << ")" << std::endl;
      return 0;
    });
}
