// SPDX-License-Identifier: Apache-2.0
// C++ exceptions as Python exceptions: every error of the toolkit is a revgan.Error (a
// RuntimeError) carrying the one line the programs print; bad arguments are also ValueErrors, and
// a model file that cannot be used is a revgan.ModelFileError.
#include "Bindings.h"

#include "itkMacro.h"
#include "itkProcessObject.h"
#include "revgan/LibraryMessages.h"
#include "revgan/ModelFile.h"

#include <c10/util/Exception.h>

#include <stdexcept>

namespace revgan::python
{

namespace py = pybind11;

namespace
{

/// The exception types, created once when the module is imported and kept for its lifetime.
PyObject * errorType = nullptr;
PyObject * valueErrorType = nullptr;
PyObject * modelFileErrorType = nullptr;

PyObject *
newErrorType(py::module_ & module, const char * name, PyObject * bases, const char * doc)
{
  const std::string qualified = std::string("revgan.") + name;
  PyObject *        type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases, nullptr);
  if (!type)
    throw py::error_already_set();
  module.add_object(name, py::handle(type));
  return type;
}

} // namespace

void
bindErrors(py::module_ & module)
{
  errorType = newErrorType(module, "Error", PyExc_RuntimeError, "An error of the RevGAN toolkit.");
  py::tuple valueBases = py::make_tuple(py::handle(errorType), py::handle(PyExc_ValueError));
  valueErrorType = newErrorType(
    module, "InvalidArgumentError", valueBases.ptr(), "A value the toolkit cannot work with (also a ValueError).");
  modelFileErrorType = newErrorType(
    module, "ModelFileError", errorType, "A model file that is missing, damaged or of an unknown version.");
  py::register_exception_translator(
    [](std::exception_ptr pointer)
    {
      try
      {
        if (pointer)
          std::rethrow_exception(pointer);
      }
      catch (const py::error_already_set &)
      {
        throw; // a Python error raised inside a callback: pybind11 restores it as it was
      }
      catch (const py::builtin_exception &)
      {
        throw; // pybind11's own (argument casts and the like)
      }
      catch (const ModelFileError & error)
      {
        PyErr_SetString(modelFileErrorType, plainLibraryMessage(error.what()).c_str());
      }
      catch (const std::invalid_argument & error)
      {
        PyErr_SetString(valueErrorType, plainLibraryMessage(error.what()).c_str());
      }
      catch (const c10::Error & error)
      {
        // LibTorch's message without the C++ backtrace it appends.
        PyErr_SetString(errorType, plainLibraryMessage(error.what_without_backtrace()).c_str());
      }
      catch (const itk::ExceptionObject & error)
      {
        // ITK's words without its source path, class and address, as the programs print them.
        PyErr_SetString(errorType, plainLibraryMessage(error.GetDescription()).c_str());
      }
      catch (const std::exception & error)
      {
        PyErr_SetString(errorType, plainLibraryMessage(error.what()).c_str());
      }
    });
}

} // namespace revgan::python
