// SPDX-License-Identifier: Apache-2.0
// The parts of the package that exchange torch tensors with Python: models loaded as
// torch.nn.Modules (revgan.load_model) and Python callables as predictors. The only file that
// includes LibTorch's Python headers (torch/extension.h), so the others compile faster.
#include "Bindings.h"
#include "ModuleTensors.h"
#include "PythonPredictor.h"

#include "revgan/DeviceSelection.h"
#include "revgan/GeneratorTable.h"
#include "revgan/Generators.h"
#include "revgan/ModelFile.h"
#include "revgan/ModelRunner.h"

#include <torch/extension.h>

#include <cstring>
#include <sstream>

namespace revgan::python
{

namespace py = pybind11;

PythonPredictor::PythonPredictor(py::function function,
                                 int64_t      dimensions,
                                 int64_t      inputChannels,
                                 int64_t      outputChannels,
                                 int64_t      sizeMultiple)
  : function_(std::move(function))
  , dimensions_(dimensions)
  , inputChannels_(inputChannels)
  , outputChannels_(outputChannels)
  , sizeMultiple_(sizeMultiple)
{
  if (dimensions < 2 || dimensions > 3 || inputChannels < 1 || outputChannels < 1 || sizeMultiple < 1)
    throw std::invalid_argument("a predictor works on 2D or 3D patches of at least one channel");
}

PythonPredictor::~PythonPredictor()
{
  // The callable is a Python object: released with the GIL held.
  py::gil_scoped_acquire locked;
  function_ = py::function();
}

std::string
PythonPredictor::description() const
{
  py::gil_scoped_acquire locked;
  return "Python callable " + py::repr(function_).cast<std::string>() + ", " + std::to_string(inputChannels_) + " → " +
         std::to_string(outputChannels_) + " channel(s)";
}

void
PythonPredictor::run(const float *                input,
                     float *                      output,
                     int64_t                      batch,
                     const std::vector<int64_t> & spatial,
                     Direction) const
{
  std::vector<int64_t> shape{ batch, inputChannels_ };
  shape.insert(shape.end(), spatial.begin(), spatial.end());
  std::vector<int64_t> expected{ batch, outputChannels_ };
  expected.insert(expected.end(), spatial.begin(), spatial.end());
  py::gil_scoped_acquire locked;
  try
  {
    // The patches without a copy (the filter's buffer outlives the call); the callable must not
    // keep them.
    const at::Tensor patches = torch::from_blob(const_cast<float *>(input), shape, torch::kFloat);
    py::object       returned = function_(patches);
    if (!THPVariable_Check(returned.ptr()))
      throw std::invalid_argument("the predictor returned " + py::repr(returned.get_type()).cast<std::string>() +
                                  ", not a torch.Tensor");
    const at::Tensor result = THPVariable_Unpack(returned.ptr()).detach();
    if (result.sizes().vec() != expected)
    {
      std::ostringstream message;
      message << "the predictor returned a tensor of shape " << result.sizes() << " for patches of shape "
              << patches.sizes() << "; expected " << at::IntArrayRef(expected);
      throw std::invalid_argument(message.str());
    }
    const at::Tensor values = result.to(torch::kCPU, torch::kFloat).contiguous();
    std::memcpy(output, values.data_ptr<float>(), static_cast<size_t>(values.numel()) * sizeof(float));
  }
  catch (py::error_already_set &)
  {
    pending_ = std::current_exception();
    throw std::runtime_error("the predictor raised a Python exception");
  }
}

void
PythonPredictor::rethrowPending() const
{
  if (pending_)
  {
    std::exception_ptr pending = pending_;
    pending_ = nullptr;
    std::rethrow_exception(pending);
  }
}

namespace
{

/// A model file in memory for Python: the generator whose parameters revgan.Model shares, and
/// the device it lives on.
struct LoadedModel
{
  Model         model;
  torch::Device device{ torch::kCPU };
};

} // namespace

void
bindTorchBridge(py::module_ & module)
{
  py::class_<PythonPredictor, PatchPredictor, std::shared_ptr<PythonPredictor>>(module, "_PythonPredictor")
    .def(py::init<py::function, int64_t, int64_t, int64_t, int64_t>(),
         py::arg("function"),
         py::arg("dimensions"),
         py::arg("input_channels"),
         py::arg("output_channels"),
         py::arg("size_multiple"));

  py::class_<LoadedModel, std::shared_ptr<LoadedModel>>(module, "_LoadedModel")
    .def_static(
      "load",
      [](const std::string & path, const std::string & device)
      {
        auto                   loaded = std::make_shared<LoadedModel>();
        py::gil_scoped_release unlocked;
        loaded->device = selectDevice(device);
        loaded->model = loadModel(path);
        loaded->model.generator->to(loaded->device);
        loaded->model.generator->eval();
        return loaded;
      },
      py::arg("path"),
      py::arg("device"))
    .def("named_tensors",
         // The generator's own tensors (no copies): Python's parameters share their storage.
         [](const LoadedModel & loaded) { return namedTensors(*loaded.model.generator); })
    .def(
      "run",
      [](const LoadedModel & loaded, const at::Tensor & batch, const std::string & direction, bool training)
      {
        const Direction parsed = parseDirection(direction);
        const int64_t   channels =
          parsed == Direction::Forward ? loaded.model.spec.channelsX : loaded.model.spec.channelsY;
        if (batch.dim() != loaded.model.spec.dimensions + 2 || batch.size(1) != channels)
        {
          std::ostringstream message;
          message << "the " << direction << " direction of this " << loaded.model.spec.dimensions
                  << "D model takes a batch of shape (N, " << channels << ", "
                  << (loaded.model.spec.dimensions == 3 ? "D, H, W)" : "H, W)") << ", not " << batch.sizes();
          throw std::invalid_argument(message.str());
        }
        py::gil_scoped_release unlocked;
        loaded.model.generator->train(training);
        const bool domainY = parsed == Direction::Inverse;
        const auto input = batch.to(loaded.device);
        const auto translated =
          loaded.model.generator->run(loaded.model.normalization.normalize(input, domainY), parsed);
        return loaded.model.normalization.denormalize(translated, !domainY);
      },
      py::arg("batch"),
      py::arg("direction"),
      py::arg("training"))
    .def(
      "run_core",
      [](const LoadedModel & loaded, const at::Tensor & features, const std::string & direction, bool training)
      {
        // The reversible core alone (features in, features out): exactly invertible, unlike the
        // encoders and decoders around it.
        auto * generator = dynamic_cast<RevGANGeneratorImpl *>(loaded.model.generator.get());
        if (!generator)
          throw std::invalid_argument("this model's generator (" + toString(loaded.model.spec.kind) +
                                      ") has no reversible core");
        py::gil_scoped_release unlocked;
        generator->train(training);
        return generator->core->run(features.to(loaded.device), parseDirection(direction));
      },
      py::arg("features"),
      py::arg("direction"),
      py::arg("training"))
    .def(
      "save",
      [](const LoadedModel & loaded, const std::string & path)
      {
        py::gil_scoped_release unlocked;
        saveModel(path, *loaded.model.generator, loaded.model.normalization, loaded.model.frameX, loaded.model.frameY);
      },
      py::arg("path"))
    .def("predictor",
         [](const LoadedModel & loaded)
         {
           // Shares the generator: the weights Python changed are the ones translate runs.
           return std::static_pointer_cast<PatchPredictor>(ModelRunner::fromModel(loaded.model, loaded.device.str()));
         })
    .def_property_readonly("dimensions", [](const LoadedModel & loaded) { return loaded.model.spec.dimensions; })
    .def_property_readonly("device", [](const LoadedModel & loaded) { return loaded.device.str(); })
    .def_property_readonly("description",
                           [](const LoadedModel & loaded)
                           { return ModelRunner::fromModel(loaded.model, loaded.device.str())->description(); });
}

} // namespace revgan::python
