// SPDX-License-Identifier: Apache-2.0
// Image files through the toolkit's own readers and writers: the header and pixel-data checks of
// revgan/ImageFiles.h before ITK reads, tensors in the image axes (a NRRD measurement frame
// rotated away and restored), and atomic writes (a temporary file, then a rename).
#include "Bindings.h"
#include "NumpyImages.h"

#include "revgan/ImageFiles.h"

#include <pybind11/stl.h>

#include <optional>

namespace revgan::python
{

namespace py = pybind11;

namespace
{

template<unsigned int D>
py::tuple
readImage(const std::string & path, const ImageFileInfo & info)
{
  typename itk::VectorImage<float, D>::Pointer image;
  {
    py::gil_scoped_release unlocked;
    image = readVectorImage<D>(path, info);
  }
  return py::make_tuple(arrayOnImage<D>(image), geometryOf<D>(image.GetPointer()));
}

template<unsigned int D>
void
writeImage(const FloatArray & array, const Geometry & geometry, const std::string & path, const ImageFileInfo & like)
{
  const auto             image = imageOnArray<D>(array, geometry, "the image written to '" + path + "'");
  py::gil_scoped_release unlocked;
  writeVectorImage<D>(image.GetPointer(), path, like);
}

} // namespace

void
bindImageFiles(py::module_ & module)
{
  py::class_<ImageFileInfo>(module,
                            "FileInfo",
                            "What an image file held, read from its header: kept with an image read by "
                            "revgan.imread so that revgan.imwrite writes it back as the same kind of file "
                            "(tensors, a NRRD's header fields and measurement frame).")
    .def_readonly("dimensions", &ImageFileInfo::dimensions)
    .def_readonly("components", &ImageFileInfo::components)
    .def_readonly("tensor", &ImageFileInfo::tensor)
    .def_readonly("nrrd", &ImageFileInfo::nrrd)
    .def_readonly("size", &ImageFileInfo::size)
    .def("__repr__",
         [](const ImageFileInfo & info)
         {
           return "<revgan.FileInfo " + std::to_string(info.dimensions) + "D, " + std::to_string(info.components) +
                  " component(s)" + (info.tensor ? ", tensors" : "") + (info.nrrd ? ", NRRD" : "") + ">";
         });

  module.def(
    "_read_image",
    [](const std::string & path)
    {
      ImageFileInfo info;
      {
        py::gil_scoped_release unlocked;
        info = inspectImageFile(path);
      }
      if (info.dimensions != 2 && info.dimensions != 3)
        throw std::invalid_argument("'" + path + "' is " + std::to_string(info.dimensions) +
                                    "D; images are read in 2D and 3D (a diffusion-weighted 4D scan becomes tensors "
                                    "with revgan.dwi_to_dti)");
      py::tuple read = info.dimensions == 2 ? readImage<2>(path, info) : readImage<3>(path, info);
      return py::make_tuple(read[0], read[1], info);
    },
    py::arg("path"));

  module.def(
    "_write_image",
    [](const FloatArray &                   array,
       const Geometry &                     geometry,
       const std::string &                  path,
       const std::optional<ImageFileInfo> & like,
       bool                                 tensor)
    {
      const auto dimensions = static_cast<unsigned int>(array.ndim() - 1);
      if (dimensions != 2 && dimensions != 3)
        throw std::invalid_argument("'" + path + "': images are written in 2D and 3D, not " +
                                    std::to_string(dimensions) + "D");
      ImageFileInfo kind = like.value_or(ImageFileInfo{});
      kind.dimensions = dimensions;
      kind.components = static_cast<unsigned int>(array.shape(dimensions));
      kind.tensor = tensor;
      {
        py::gil_scoped_release unlocked;
        requireWritableImageFile(path);
      }
      if (dimensions == 2)
        writeImage<2>(array, geometry, path, kind);
      else
        writeImage<3>(array, geometry, path, kind);
    },
    py::arg("array"),
    py::arg("geometry"),
    py::arg("path"),
    py::arg("like"),
    py::arg("tensor"));
}

} // namespace revgan::python
