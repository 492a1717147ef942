// SPDX-License-Identifier: Apache-2.0
// The preparation steps a script needs, as revgan-prepare does them: block averages (shrink,
// degrade), resampling onto another image's grid, the DTI phantom and tensors fitted to a
// diffusion-weighted scan. The same library calls as the program.
#include "Bindings.h"
#include "NumpyImages.h"

#include "itkRevGANDTIPhantomImageFilter.h"
#include "itkRevGANDegradation.h"
#include "itkRevGANInputGrid.h"
#include "revgan/ImageFiles.h"
#include "revgan/TensorFitting.h"

#include <pybind11/stl.h>

#include <optional>

namespace revgan::python
{

namespace py = pybind11;

namespace
{

/// An image's pixels and geometry as the Python layer gives them back.
template<unsigned int D>
py::tuple
asResult(typename itk::VectorImage<float, D>::Pointer image)
{
  return py::make_tuple(arrayOnImage<D>(image), geometryOf<D>(image.GetPointer()));
}

template<unsigned int D>
py::tuple
lowerResolution(const FloatArray & array, const Geometry & geometry, unsigned int factor, bool keepGrid)
{
  const auto                                   image = imageOnArray<D>(array, geometry, "the image");
  typename itk::VectorImage<float, D>::Pointer lowered;
  {
    py::gil_scoped_release unlocked;
    lowered = keepGrid ? itk::DegradeRevGANVolume(image.GetPointer(), factor)
                       : itk::ShrinkRevGANVolume(image.GetPointer(), factor);
  }
  return asResult<D>(lowered);
}

template<unsigned int D>
py::tuple
resampleOnto(const FloatArray &          array,
             const Geometry &            geometry,
             const std::vector<size_t> & size,
             const Geometry &            gridGeometry,
             const std::string &         interpolation)
{
  const auto image = imageOnArray<D>(array, geometry, "the image");
  // The reference's grid alone: an image without pixels.
  auto                                                 grid = itk::Image<unsigned char, D>::New();
  typename itk::Image<unsigned char, D>::SizeType      extent;
  typename itk::Image<unsigned char, D>::SpacingType   spacing;
  typename itk::Image<unsigned char, D>::PointType     origin;
  typename itk::Image<unsigned char, D>::DirectionType direction;
  for (unsigned int d = 0; d < D; ++d)
  {
    extent[d] = size.at(d);
    spacing[d] = gridGeometry.spacing.at(d);
    origin[d] = gridGeometry.origin.at(d);
    for (unsigned int e = 0; e < D; ++e)
      direction[d][e] = gridGeometry.direction.at(d * D + e);
  }
  grid->SetRegions(extent);
  grid->SetSpacing(spacing);
  grid->SetOrigin(origin);
  grid->SetDirection(direction);
  typename itk::VectorImage<float, D>::Pointer resampled;
  {
    py::gil_scoped_release unlocked;
    resampled = itk::InterpolateRevGANImage<D>(image.GetPointer(), grid.GetPointer(), interpolation);
  }
  return asResult<D>(resampled);
}

} // namespace

void
bindPreparation(py::module_ & module)
{
  module.def(
    "_lower_resolution",
    [](const FloatArray & array, const Geometry & geometry, unsigned int factor, bool keepGrid)
    {
      if (factor < 1)
        throw std::invalid_argument("the factor must be at least 1");
      return array.ndim() == 3 ? lowerResolution<2>(array, geometry, factor, keepGrid)
                               : lowerResolution<3>(array, geometry, factor, keepGrid);
    },
    py::arg("array"),
    py::arg("geometry"),
    py::arg("factor"),
    py::arg("keep_grid"));

  module.def(
    "_resample",
    [](const FloatArray &          array,
       const Geometry &            geometry,
       const std::vector<size_t> & size,
       const Geometry &            grid,
       const std::string &         interpolation)
    {
      if (size.size() + 1 != static_cast<size_t>(array.ndim()))
        throw std::invalid_argument("the reference must have the image's dimension");
      return array.ndim() == 3 ? resampleOnto<2>(array, geometry, size, grid, interpolation)
                               : resampleOnto<3>(array, geometry, size, grid, interpolation);
    },
    py::arg("array"),
    py::arg("geometry"),
    py::arg("size"),
    py::arg("grid"),
    py::arg("interpolation"));

  module.def(
    "_phantom",
    [](const FloatArray &                                     t1,
       const Geometry &                                       geometry,
       const py::array_t<unsigned char, py::array::c_style> & mask,
       const std::optional<std::vector<size_t>> &             size)
    {
      const auto t1Vectors = imageOnArray<3>(t1, geometry, "the T1 volume");
      if (t1Vectors->GetNumberOfComponentsPerPixel() != 1)
        throw std::invalid_argument("the T1 volume must have one component per voxel");
      if (mask.ndim() != 3 || mask.shape(0) != t1.shape(0) || mask.shape(1) != t1.shape(1) ||
          mask.shape(2) != t1.shape(2))
        throw std::invalid_argument("the brain mask must have the T1 volume's size");
      auto scalarT1 = itk::ConvertRevGANPixels<itk::Image<float, 3>>(t1Vectors.GetPointer());
      auto maskImage = itk::Image<unsigned char, 3>::New();
      maskImage->CopyInformation(scalarT1);
      maskImage->SetRegions(scalarT1->GetLargestPossibleRegion());
      maskImage->GetPixelContainer()->SetImportPointer(
        const_cast<unsigned char *>(mask.data()), static_cast<itk::SizeValueType>(mask.size()), false);
      auto phantom = itk::RevGANDTIPhantomImageFilter<itk::Image<float, 3>, itk::Image<unsigned char, 3>>::New();
      phantom->SetInput(scalarT1);
      phantom->SetMaskImage(maskImage);
      if (size)
      {
        if (size->size() != 3)
          throw std::invalid_argument("size needs 3 values (x, y, z)");
        phantom->SetOutputSize({ { (*size)[0], (*size)[1], (*size)[2] } });
      }
      itk::VectorImage<float, 3>::Pointer tensors;
      {
        py::gil_scoped_release unlocked;
        phantom->Update();
        tensors = itk::ConvertRevGANPixels<itk::VectorImage<float, 3>>(phantom->GetOutput());
      }
      return asResult<3>(tensors);
    },
    py::arg("t1"),
    py::arg("geometry"),
    py::arg("mask"),
    py::arg("size"));

  module.def(
    "_dwi_to_dti",
    [](const std::string & path, const std::string & bval, const std::string & bvec)
    {
      itk::VectorImage<float, 3>::Pointer tensors;
      {
        py::gil_scoped_release unlocked;
        tensors = fitTensorsToScan(path, inspectImageFile(path), bval, bvec);
      }
      return asResult<3>(tensors);
    },
    py::arg("path"),
    py::arg("bval"),
    py::arg("bvec"));
}

} // namespace revgan::python
