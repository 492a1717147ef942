// SPDX-License-Identifier: Apache-2.0
#pragma once
// NumPy arrays and the toolkit's float VectorImages, both ways: pixels in C order (z, y, x,
// components) on the Python side, ITK's buffer order (x fastest, components innermost) on the
// C++ side — the same bytes, so neither direction copies.

#include "itkVectorImage.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace revgan::python
{

namespace py = pybind11;

/// What the wrapper passes for pixels: float32 in C order (the Python layer converts and says so).
using FloatArray = py::array_t<float, py::array::c_style>;

/// An image's place in space in ITK's order: spacing and origin per axis (x, y[, z]), direction
/// cosines row-major D×D (ITK's matrix: column j is axis j's direction in LPS).
struct Geometry
{
  std::vector<double> spacing;
  std::vector<double> origin;
  std::vector<double> direction;
};

template<unsigned int D>
Geometry
geometryOf(const itk::ImageBase<D> * image)
{
  Geometry geometry;
  for (unsigned int i = 0; i < D; ++i)
  {
    geometry.spacing.push_back(image->GetSpacing()[i]);
    geometry.origin.push_back(image->GetOrigin()[i]);
    for (unsigned int j = 0; j < D; ++j)
      geometry.direction.push_back(image->GetDirection()[i][j]);
  }
  return geometry;
}

/// `array` (D spatial axes, slowest first, then components) as an image on its buffer, with
/// `geometry`: no copy, so the array must outlive the image (the caller holds both).
template<unsigned int D>
typename itk::VectorImage<float, D>::Pointer
imageOnArray(const FloatArray & array, const Geometry & geometry, const std::string & what)
{
  if (array.ndim() != static_cast<py::ssize_t>(D + 1))
    throw std::invalid_argument(what + ": a " + std::to_string(D) + "D image needs an array of " +
                                std::to_string(D + 1) + " axes (the spatial ones, then components), not " +
                                std::to_string(array.ndim()));
  if (geometry.spacing.size() != D || geometry.origin.size() != D || geometry.direction.size() != D * D)
    throw std::invalid_argument(what + ": spacing and origin need " + std::to_string(D) + " values, direction " +
                                std::to_string(D * D));
  using ImageType = itk::VectorImage<float, D>;
  auto                              image = ImageType::New();
  typename ImageType::SizeType      size;
  typename ImageType::SpacingType   spacing;
  typename ImageType::PointType     origin;
  typename ImageType::DirectionType direction;
  for (unsigned int d = 0; d < D; ++d)
  {
    size[d] = static_cast<itk::SizeValueType>(array.shape(D - 1 - d));
    if (size[d] == 0)
      throw std::invalid_argument(what + ": the image is empty along axis " + std::to_string(d));
    if (!(geometry.spacing[d] > 0.0) || !std::isfinite(geometry.spacing[d]))
      throw std::invalid_argument(what + ": spacing must be positive and finite along every axis");
    spacing[d] = geometry.spacing[d];
    origin[d] = geometry.origin[d];
    for (unsigned int e = 0; e < D; ++e)
      direction[d][e] = geometry.direction[d * D + e];
  }
  const auto components = static_cast<unsigned int>(array.shape(D));
  if (components == 0)
    throw std::invalid_argument(what + ": pixels need at least one component");
  image->SetRegions(size);
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->SetDirection(direction);
  image->SetNumberOfComponentsPerPixel(components);
  image->GetPixelContainer()->SetImportPointer(
    const_cast<float *>(array.data()), static_cast<itk::SizeValueType>(array.size()), false);
  return image;
}

/// The pixels of `image` as an array of shape (spatial axes slowest first, components) over the
/// image's own buffer, which the array keeps alive: no copy.
template<unsigned int D>
FloatArray
arrayOnImage(typename itk::VectorImage<float, D>::Pointer image)
{
  const auto               size = image->GetBufferedRegion().GetSize();
  const auto               components = static_cast<py::ssize_t>(image->GetNumberOfComponentsPerPixel());
  std::vector<py::ssize_t> shape;
  for (unsigned int d = D; d-- > 0;)
    shape.push_back(static_cast<py::ssize_t>(size[d]));
  shape.push_back(components);
  auto *      owner = new typename itk::VectorImage<float, D>::Pointer(image);
  py::capsule keepAlive(owner,
                        [](void * held) { delete static_cast<typename itk::VectorImage<float, D>::Pointer *>(held); });
  return FloatArray(shape, image->GetBufferPointer(), keepAlive);
}

} // namespace revgan::python

namespace pybind11::detail
{

/// A Geometry crosses as the tuple (spacing, origin, direction) of the package's Python layer
/// (revgan.Image._geometry), each a sequence of floats.
template<>
struct type_caster<revgan::python::Geometry>
{
  PYBIND11_TYPE_CASTER(revgan::python::Geometry, const_name("tuple[list[float], list[float], list[float]]"));

  bool
  load(handle source, bool convert)
  {
    if (!isinstance<sequence>(source) || len(source) != 3)
      return false;
    const auto                       parts = reinterpret_borrow<sequence>(source);
    make_caster<std::vector<double>> spacing, origin, direction;
    if (!spacing.load(parts[0], convert) || !origin.load(parts[1], convert) || !direction.load(parts[2], convert))
      return false;
    value = revgan::python::Geometry{ cast_op<std::vector<double> &&>(std::move(spacing)),
                                      cast_op<std::vector<double> &&>(std::move(origin)),
                                      cast_op<std::vector<double> &&>(std::move(direction)) };
    return true;
  }

  static handle
  cast(const revgan::python::Geometry & geometry, return_value_policy, handle)
  {
    return pybind11::make_tuple(geometry.spacing, geometry.origin, geometry.direction).release();
  }
};

} // namespace pybind11::detail
