// SPDX-License-Identifier: Apache-2.0
// itk::RevGANImageFilter from Python: the same filter revgan-translate runs, on NumPy pixels, with
// the GIL released while it works and progress reported to a Python callable.
#include "Bindings.h"
#include "NumpyImages.h"
#include "PythonPredictor.h"

#include "itkCommand.h"
#include "itkRevGANImageFilter.h"
#include "itkStreamingImageFilter.h"
#include "revgan/ImageFiles.h"
#include "revgan/ModelRunner.h"

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <exception>
#include <optional>

namespace revgan::python
{

namespace py = pybind11;

namespace
{

/// Settings of one translation, as revgan.translate received them (per-axis lists in ITK's order).
struct TranslationSettings
{
  Direction            direction{ Direction::Forward };
  std::vector<int64_t> patchSize;
  std::vector<int64_t> overlap;
  itk::RevGANBlending  blending{ itk::RevGANBlending::Gaussian };
  unsigned int         batch{ 4 };
  /// Pieces the output is made in (itk::StreamingImageFilter): less memory, the same result.
  unsigned int pieces{ 1 };
  py::object   progress;
};

template<unsigned int D>
py::tuple
translate(const FloatArray &              array,
          const Geometry &                geometry,
          std::shared_ptr<PatchPredictor> model,
          const TranslationSettings &     settings)
{
  using ImageType = itk::VectorImage<float, D>;
  using FilterType = itk::RevGANImageFilter<ImageType>;
  const auto input = imageOnArray<D>(array, geometry, "the image to translate");
  checkFiniteValues("the image to translate", input.GetPointer());
  auto filter = FilterType::New();
  filter->SetInput(input);
  filter->SetModel(std::move(model));
  filter->SetDirection(settings.direction);
  typename FilterType::SizeType patch, overlap;
  for (unsigned int d = 0; d < D; ++d)
  {
    const auto size = settings.patchSize.size() == 1 ? settings.patchSize[0] : settings.patchSize.at(d);
    const auto shared = settings.overlap.size() == 1 ? settings.overlap[0] : settings.overlap.at(d);
    if (size <= 0 || shared < 0)
      throw std::invalid_argument("patch sizes must be positive and overlaps not negative");
    patch[d] = static_cast<itk::SizeValueType>(size);
    overlap[d] = static_cast<itk::SizeValueType>(shared);
  }
  filter->SetPatchSize(patch);
  filter->SetOverlap(overlap);
  filter->SetBlending(settings.blending);
  filter->SetPatchesPerBatch(settings.batch);

  // Progress goes to the callable with the GIL held, over all pieces; an exception it raises, or
  // Ctrl-C, aborts the filter and is raised when it has stopped.
  struct ObserverState
  {
    const py::object * progress;
    std::exception_ptr error;
    unsigned int       pieces;
    unsigned int       piecesStarted{ 0 };
    double             networkSeconds{ 0.0 };
  } state{ &settings.progress, nullptr, settings.pieces };
  auto started = itk::CStyleCommand::New();
  started->SetClientData(&state);
  started->SetCallback([](itk::Object *, const itk::EventObject &, void * data)
                       { ++static_cast<ObserverState *>(data)->piecesStarted; });
  auto ended = itk::CStyleCommand::New();
  ended->SetClientData(&state);
  ended->SetCallback(
    [](itk::Object * caller, const itk::EventObject &, void * data)
    { static_cast<ObserverState *>(data)->networkSeconds += static_cast<FilterType *>(caller)->GetNetworkSeconds(); });
  auto observer = itk::CStyleCommand::New();
  observer->SetClientData(&state);
  observer->SetCallback(
    [](itk::Object * caller, const itk::EventObject &, void * data)
    {
      auto *                 state = static_cast<ObserverState *>(data);
      auto *                 process = static_cast<itk::ProcessObject *>(caller);
      py::gil_scoped_acquire locked;
      try
      {
        if (PyErr_CheckSignals() != 0)
          throw py::error_already_set();
        const double done = (state->piecesStarted - 1 + process->GetProgress()) / state->pieces;
        if (!state->progress->is_none())
          (*state->progress)(std::min(1.0, done));
      }
      catch (const py::error_already_set &)
      {
        state->error = std::current_exception();
        process->AbortGenerateDataOn();
      }
    });
  filter->AddObserver(itk::StartEvent(), started);
  filter->AddObserver(itk::EndEvent(), ended);
  filter->AddObserver(itk::ProgressEvent(), observer);
  auto streamer = itk::StreamingImageFilter<ImageType, ImageType>::New();
  streamer->SetInput(filter->GetOutput());
  streamer->SetNumberOfStreamDivisions(settings.pieces);
  const auto * python = dynamic_cast<const PythonPredictor *>(filter->GetModel().get());
  try
  {
    py::gil_scoped_release unlocked;
    streamer->Update();
  }
  catch (const itk::ProcessAborted &)
  {
    if (state.error)
      std::rethrow_exception(state.error);
    throw;
  }
  catch (const itk::ExceptionObject &)
  {
    // A Python predictor's own exception, as it was raised.
    if (python)
      python->rethrowPending();
    throw;
  }
  typename ImageType::Pointer output = streamer->GetOutput();
  output->DisconnectPipeline();
  return py::make_tuple(arrayOnImage<D>(output), geometryOf<D>(output.GetPointer()), state.networkSeconds);
}

} // namespace

void
bindTranslation(py::module_ & module)
{
  py::class_<PatchPredictor, std::shared_ptr<PatchPredictor>>(
    module, "_Predictor", "What itk::RevGANImageFilter runs on batches of patches (revgan::PatchPredictor).")
    .def_property_readonly("dimensions", &PatchPredictor::dimensions)
    .def_property_readonly("size_multiple", &PatchPredictor::sizeMultiple)
    .def_property_readonly("description", &PatchPredictor::description)
    .def(
      "channels",
      [](const PatchPredictor & model, const std::string & direction)
      {
        const Direction parsed = parseDirection(direction);
        return py::make_tuple(model.inputChannels(parsed), model.outputChannels(parsed));
      },
      py::arg("direction"))
    .def(
      "input_grid",
      [](const PatchPredictor & model, const std::string & direction)
      {
        const DomainFrame & frame = model.inputFrame(parseDirection(direction));
        return py::make_tuple(frame.gridFactors, frame.interpolation);
      },
      py::arg("direction"))
    .def("__repr__", [](const PatchPredictor & model) { return "<revgan predictor: " + model.description() + ">"; });

  py::class_<ModelRunner, PatchPredictor, std::shared_ptr<ModelRunner>>(
    module, "_Model", "A model file loaded for inference (revgan::ModelRunner).")
    .def_static(
      "load",
      [](const std::string & path, const std::string & device)
      {
        py::gil_scoped_release unlocked;
        return ModelRunner::fromFile(path, device);
      },
      py::arg("path"),
      py::arg("device") = "cpu");

  module.def(
    "_translate",
    [](const FloatArray &              array,
       const Geometry &                geometry,
       std::shared_ptr<PatchPredictor> model,
       const std::string &             modelDirection,
       const std::vector<int64_t> &    patchSize,
       const std::vector<int64_t> &    overlap,
       const std::string &             blending,
       unsigned int                    batch,
       unsigned int                    pieces,
       py::object                      progress)
    {
      if (!model)
        throw std::invalid_argument("no model given");
      if (batch < 1 || pieces < 1)
        throw std::invalid_argument("batch and pieces must be at least 1");
      TranslationSettings settings{ parseDirection(modelDirection),
                                    patchSize,
                                    overlap,
                                    itk::RevGANBlendingFromName(blending),
                                    batch,
                                    pieces,
                                    std::move(progress) };
      const auto          dimensions = static_cast<unsigned int>(array.ndim() - 1);
      for (const auto * values : { &patchSize, &overlap })
      {
        if (values->size() != 1 && values->size() != dimensions)
          throw std::invalid_argument("patch_size and overlap need 1 or " + std::to_string(dimensions) +
                                      " values (x, y[, z])");
      }
      if (static_cast<int64_t>(dimensions) != model->dimensions())
        throw std::invalid_argument("the model is " + std::to_string(model->dimensions()) + "D but the image is " +
                                    std::to_string(dimensions) + "D");
      return dimensions == 2 ? translate<2>(array, geometry, std::move(model), settings)
                             : translate<3>(array, geometry, std::move(model), settings);
    },
    py::arg("array"),
    py::arg("geometry"),
    py::arg("model"),
    py::arg("model_direction"),
    py::arg("patch_size"),
    py::arg("overlap"),
    py::arg("blending"),
    py::arg("batch"),
    py::arg("pieces"),
    py::arg("progress"));
}

} // namespace revgan::python
