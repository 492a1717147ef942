// SPDX-License-Identifier: Apache-2.0
// The figures of revgan-evaluate from Python: the same library calls (revgan/MetricFigures.h), the
// same geometry check, the same names.
#include "Bindings.h"
#include "NumpyImages.h"

#include "revgan/ImageGeometry.h"
#include "revgan/MetricFigures.h"

#include <pybind11/stl.h>

#include <optional>

namespace revgan::python
{

namespace py = pybind11;

namespace
{

using MaskArray = py::array_t<unsigned char, py::array::c_style>;

/// Prediction, reference and mask as images on their arrays, checked as revgan-evaluate checks them.
template<unsigned int D>
struct Comparison
{
  typename itk::VectorImage<float, D>::Pointer   prediction;
  typename itk::VectorImage<float, D>::Pointer   reference;
  typename itk::Image<unsigned char, D>::Pointer mask;
};

template<unsigned int D>
Comparison<D>
compare(const FloatArray &               prediction,
        const FloatArray &               reference,
        const std::optional<MaskArray> & mask,
        const Geometry &                 geometry,
        const Geometry &                 referenceGeometry,
        bool                             checkGeometry)
{
  Comparison<D> images{ imageOnArray<D>(prediction, geometry, "the prediction"),
                        imageOnArray<D>(reference, referenceGeometry, "the reference"),
                        itk::Image<unsigned char, D>::New() };
  if (images.prediction->GetLargestPossibleRegion().GetSize() != images.reference->GetLargestPossibleRegion().GetSize())
    throw std::invalid_argument("the reference differs in size from the prediction");
  if (images.prediction->GetNumberOfComponentsPerPixel() != images.reference->GetNumberOfComponentsPerPixel())
    throw std::invalid_argument(
      "the reference has " + std::to_string(images.reference->GetNumberOfComponentsPerPixel()) +
      " components per pixel, the prediction " + std::to_string(images.prediction->GetNumberOfComponentsPerPixel()));
  if (checkGeometry)
    requireSameGeometry<D>(
      "the reference", images.reference.GetPointer(), images.prediction.GetPointer(), "the prediction");
  images.mask->CopyInformation(images.prediction);
  images.mask->SetRegions(images.prediction->GetLargestPossibleRegion());
  if (mask)
  {
    // The mask's geometry is the prediction's (the Python layer checks the mask's own).
    if (mask->ndim() != static_cast<py::ssize_t>(D))
      throw std::invalid_argument("the mask needs " + std::to_string(D) + " axes, not " + std::to_string(mask->ndim()));
    for (unsigned int d = 0; d < D; ++d)
    {
      if (mask->shape(D - 1 - d) != prediction.shape(D - 1 - d))
        throw std::invalid_argument("the mask differs in size from the prediction");
    }
    images.mask->GetPixelContainer()->SetImportPointer(
      const_cast<unsigned char *>(mask->data()), static_cast<itk::SizeValueType>(mask->size()), false);
  }
  else
  {
    images.mask->Allocate();
    images.mask->FillBuffer(1);
  }
  return images;
}

py::dict
asDict(const MetricFigures & figures)
{
  py::dict result;
  for (const auto & [name, value] : figures)
  {
    // Counts as Python ints (revgan-evaluate --json prints them as whole numbers too).
    if (name.find("voxels") != std::string::npos)
      result[py::str(name)] = static_cast<long long>(value);
    else
      result[py::str(name)] = value;
  }
  return result;
}

} // namespace

void
bindMetrics(py::module_ & module)
{
  // One entry for both kinds of figures: the arrays, their geometry and the checks are the same.
  module.def(
    "_compare",
    [](const std::string &              kind,
       const FloatArray &               prediction,
       const FloatArray &               reference,
       const std::optional<MaskArray> & mask,
       const Geometry &                 geometry,
       const Geometry &                 referenceGeometry,
       bool                             checkGeometry,
       const MetricSettings &           settings)
    {
      if (kind != "error" && kind != "tensor")
        throw std::invalid_argument("figures are of kind 'error' or 'tensor', not '" + kind + "'");
      const auto dimensions = prediction.ndim() - 1;
      if (dimensions != 2 && dimensions != 3)
        throw std::invalid_argument("images are compared in 2D and 3D");
      if (kind == "tensor" && (dimensions != 3 || prediction.shape(3) != 6))
        throw std::invalid_argument("tensor metrics need 3D images of 6 components (xx, xy, xz, yy, yz, zz)");
      MetricFigures figures;
      {
        py::gil_scoped_release unlocked;
        if (dimensions == 2)
        {
          const auto images = compare<2>(prediction, reference, mask, geometry, referenceGeometry, checkGeometry);
          figures = errorFigures<2>(
            images.prediction.GetPointer(), images.reference.GetPointer(), images.mask.GetPointer(), settings);
        }
        else
        {
          const auto images = compare<3>(prediction, reference, mask, geometry, referenceGeometry, checkGeometry);
          figures =
            kind == "tensor"
              ? tensorFigures(
                  images.prediction.GetPointer(), images.reference.GetPointer(), images.mask.GetPointer(), settings)
              : errorFigures<3>(
                  images.prediction.GetPointer(), images.reference.GetPointer(), images.mask.GetPointer(), settings);
        }
      }
      return asDict(figures);
    },
    py::arg("kind"),
    py::arg("prediction"),
    py::arg("reference"),
    py::arg("mask"),
    py::arg("geometry"),
    py::arg("reference_geometry"),
    py::arg("check_geometry"),
    py::arg("settings"));

  py::class_<MetricSettings>(module, "_MetricSettings")
    .def(py::init(
           [](unsigned int interiorRadius, double dataRange, double faThreshold) {
             return MetricSettings{ interiorRadius, dataRange, faThreshold };
           }),
         py::arg("interior_radius"),
         py::arg("data_range"),
         py::arg("fa_threshold"));
}

} // namespace revgan::python
