// SPDX-License-Identifier: Apache-2.0
// revgan.nn's compiled part: the toolkit's reversible networks (additive coupling blocks,
// reversible sequences, every generator of the table) built for PyTorch users, and the toolkit's
// memory tracker. Python wraps each in a torch.nn.Module whose parameters are the network's own
// tensors (the same objects, not copies), so torch.optim trains them and the toolkit's
// memory-saving backward accumulates its gradients where Python reads them.
#include "Bindings.h"
#include "ModuleTensors.h"

#include "revgan/AdditiveCoupling.h"
#include "revgan/GeneratorTable.h"
#include "revgan/Generators.h"
#include "revgan/MemoryTracker.h"
#include "revgan/ReversibleSequence.h"

#include <torch/extension.h>

#include <sstream>

namespace revgan::python
{

namespace py = pybind11;

namespace
{

/// One network for Python: the module (its tensors) and its two directions.
struct Network
{
  std::shared_ptr<torch::nn::Module> module;
  BidirectionalModule *              directions{ nullptr };
  /// The gradient mode of a network with a reversible part, or empty.
  std::function<void(GradientMode)> setGradientMode;
};

/// `module` (a torch::nn::Module with forward and inverse) for Python.
template<typename Module>
std::shared_ptr<Network>
networkOf(std::shared_ptr<Module> module, std::function<void(GradientMode)> setGradientMode)
{
  auto network = std::make_shared<Network>();
  network->directions = module.get();
  network->module = std::move(module);
  network->setGradientMode = std::move(setGradientMode);
  return network;
}

AdditiveCouplingOptions
couplingOptions(int64_t             channels,
                int64_t             dimensions,
                int64_t             kernelSize,
                const std::string & padding,
                const std::string & normalization,
                bool                zeroInitLast,
                bool                preNormalization)
{
  if (dimensions != 2 && dimensions != 3)
    throw std::invalid_argument("dimensions must be 2 or 3, not " + std::to_string(dimensions));
  checkCouplingChannels(channels);
  return AdditiveCouplingOptions(channels, dimensions)
    .kernel_size(kernelSize)
    .padding(parsePaddingMode(padding))
    .normalization(parseNormalization(normalization))
    .zero_init_last(zeroInitLast)
    .pre_normalization(preNormalization);
}

/// `batch` checked against what the network takes: N, channels, then 2 or 3 spatial axes.
void
checkBatch(const at::Tensor & batch, int64_t dimensions, int64_t channels, const std::string & what)
{
  if (batch.dim() != dimensions + 2 || (channels > 0 && batch.size(1) != channels))
  {
    std::ostringstream message;
    message << what << " takes a batch of shape (N, " << channels << (dimensions == 3 ? ", D, H, W)" : ", H, W)")
            << ", not " << batch.sizes();
    throw std::invalid_argument(message.str());
  }
}

} // namespace

void
bindNetworks(py::module_ & module)
{
  // The options of a coupling block, shared by AdditiveCoupling and ReversibleSequence.
  py::class_<AdditiveCouplingOptions>(module, "_CouplingOptions")
    .def(py::init(&couplingOptions),
         py::arg("channels"),
         py::arg("dimensions"),
         py::arg("kernel_size"),
         py::arg("padding"),
         py::arg("normalization"),
         py::arg("zero_init_last"),
         py::arg("pre_normalization"));

  py::class_<Network, std::shared_ptr<Network>>(module, "_Network")
    .def_static(
      "coupling",
      [](const AdditiveCouplingOptions & options) { return networkOf(AdditiveCoupling(options).ptr(), nullptr); },
      py::arg("options"))
    .def_static(
      "sequence",
      [](const AdditiveCouplingOptions & options, int64_t depth, const std::string & gradientMode)
      {
        if (depth < 1)
          throw std::invalid_argument("depth must be at least 1, not " + std::to_string(depth));
        ReversibleSequence sequence(
          ReversibleSequenceOptions(depth, options).gradient_mode(parseGradientMode(gradientMode)));
        return networkOf(sequence.ptr(), [sequence](GradientMode mode) mutable { sequence->setGradientMode(mode); });
      },
      py::arg("options"),
      py::arg("depth"),
      py::arg("gradient_mode"))
    .def_static(
      "generator",
      [](const std::string & name,
         int64_t             dimensions,
         int64_t             channelsX,
         int64_t             channelsY,
         int64_t             width,
         int64_t             depth,
         int64_t             downsamplings,
         bool                residual,
         const std::string & gradientMode)
      {
        GeneratorSpec spec;
        spec.kind = parseGeneratorKind(name);
        spec.dimensions = dimensions;
        spec.channelsX = channelsX;
        spec.channelsY = channelsY;
        spec.width = width;
        spec.depth = depth;
        spec.downsamplings = downsamplings;
        spec.residual = residual;
        spec.validate();
        auto generator = makeGenerator(spec, parseGradientMode(gradientMode));
        return networkOf(generator, [generator](GradientMode mode) { generator->setGradientMode(mode); });
      },
      py::arg("name"),
      py::arg("dimensions"),
      py::arg("channels_x"),
      py::arg("channels_y"),
      py::arg("width"),
      py::arg("depth"),
      py::arg("downsamplings"),
      py::arg("residual"),
      py::arg("gradient_mode"))
    .def("clone",
         [](const Network & network)
         {
           // The toolkit's clone(): the same architecture with copies of every tensor.
           const std::shared_ptr<torch::nn::Module> copy = network.module->clone();
           if (auto generator = std::dynamic_pointer_cast<TranslationGenerator>(copy))
             return networkOf(generator, [generator](GradientMode mode) { generator->setGradientMode(mode); });
           if (auto sequence = std::dynamic_pointer_cast<ReversibleSequenceImpl>(copy))
             return networkOf(sequence, [sequence](GradientMode mode) { sequence->setGradientMode(mode); });
           return networkOf(std::dynamic_pointer_cast<AdditiveCouplingImpl>(copy), nullptr);
         })
    .def("named_tensors",
         // The network's own tensors: Python makes the parameters nn.Parameters in place.
         [](const Network & network) { return namedTensors(*network.module); })
    .def(
      "assign_buffer",
      [](const Network & network, const std::string & name, const at::Tensor & value)
      {
        // After .to() or .double() in Python: the network's own buffer takes the converted value.
        for (auto & item : network.module->named_buffers())
          if (item.key() == name)
            return item.value().set_data(value);
        throw std::invalid_argument("no buffer '" + name + "'");
      },
      py::arg("name"),
      py::arg("value"))
    .def(
      "run",
      [](const Network & network, const at::Tensor & batch, const std::string & direction, bool training)
      {
        const auto * generator = dynamic_cast<const TranslationGenerator *>(network.module.get());
        const bool   inverse = parseDirection(direction) == Direction::Inverse;
        if (generator)
          checkBatch(batch,
                     generator->spec().dimensions,
                     inverse ? generator->spec().channelsY : generator->spec().channelsX,
                     "the " + direction + " direction of this generator");
        py::gil_scoped_release unlocked;
        network.module->train(training);
        return network.directions->run(batch, parseDirection(direction));
      },
      py::arg("batch"),
      py::arg("direction"),
      py::arg("training"))
    .def(
      "set_gradient_mode",
      [](const Network & network, const std::string & mode)
      {
        if (!network.setGradientMode)
          throw std::invalid_argument("this network has no gradient mode (a single coupling block backpropagates "
                                      "through autograd; a ReversibleSequence of one block saves memory)");
        network.setGradientMode(parseGradientMode(mode));
      },
      py::arg("mode"))
    .def_property_readonly("description",
                           [](const Network & network)
                           {
                             std::ostringstream text;
                             network.module->pretty_print(text);
                             return text.str();
                           });
  module.def("_generator_names", [] { return generatorNames(); });

  module.def(
    "_memory_install",
    [] { MemoryTracker::installTracking(); },
    "Counts LibTorch's CPU allocations from now on (idempotent).");
  module.def(
    "_memory_current",
    [](const std::string & device) { return MemoryTracker::currentBytes(torch::Device(device)); },
    py::arg("device"));
  module.def(
    "_memory_peak",
    [](const std::string & device) { return MemoryTracker::peakBytes(torch::Device(device)); },
    py::arg("device"));
  module.def(
    "_memory_reset_peak",
    [](const std::string & device) { MemoryTracker::resetPeak(torch::Device(device)); },
    py::arg("device"));
}

} // namespace revgan::python
