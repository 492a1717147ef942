// SPDX-License-Identifier: Apache-2.0
#include "revgan/Generators.h"

#include "ModuleCopy.h"
#include "revgan/Recomputation.h"
#include "revgan/WeightInitialization.h"

namespace revgan
{

namespace
{

/// `layers` on `input`: without storing their activations, which backward recomputes, in
/// Reversible mode when `recompute` is set; plain autograd otherwise.
template<typename Layers>
torch::Tensor
applyLayers(Layers & layers, const torch::Tensor & input, GradientMode mode, bool recompute)
{
  if (mode != GradientMode::Reversible || !recompute)
    return layers->forward(input);
  return runRecomputingActivations(
    layers.ptr(), [module = layers.ptr()](const torch::Tensor & x) { return module->forward(x); }, input);
}

} // namespace

RevGANGeneratorImpl::RevGANGeneratorImpl(const GeneratorSpec & spec, GradientMode mode)
  : TranslationGenerator(spec)
  , gradientMode_(mode)
{
  spec.validate();
  encoderX = register_module("encoderX", LiftingEncoder(spec.encoderOptions(spec.channelsX)));
  encoderY = register_module("encoderY", LiftingEncoder(spec.encoderOptions(spec.channelsY)));
  core = register_module(
    "core", ReversibleSequence(ReversibleSequenceOptions(spec.depth, spec.coreBlockOptions()).gradient_mode(mode)));
  decoderX = register_module("decoderX", ProjectionDecoder(spec.decoderOptions(spec.channelsX)));
  decoderY = register_module("decoderY", ProjectionDecoder(spec.decoderOptions(spec.channelsY)));
}

torch::Tensor
RevGANGeneratorImpl::forward(const torch::Tensor & x)
{
  // Without a core (SRCNN, k = 0) the encoder and decoder are the whole network: recomputing them
  // would cost a forward and save nothing.
  const bool          hasCore = spec().depth > 0;
  const torch::Tensor y =
    applyLayers(decoderY, core->forward(applyLayers(encoderX, x, gradientMode_, hasCore)), gradientMode_, hasCore);
  return spec().residual ? x + y : y;
}

torch::Tensor
RevGANGeneratorImpl::inverse(const torch::Tensor & y)
{
  const bool          hasCore = spec().depth > 0;
  const torch::Tensor x =
    applyLayers(decoderX, core->inverse(applyLayers(encoderY, y, gradientMode_, hasCore)), gradientMode_, hasCore);
  return spec().residual ? y + x : x;
}

void
RevGANGeneratorImpl::setGradientMode(GradientMode mode)
{
  core->setGradientMode(mode);
  gradientMode_ = mode;
}

std::shared_ptr<torch::nn::Module>
RevGANGeneratorImpl::clone(const c10::optional<torch::Device> & device) const
{
  return rebuiltCopy(*this, device, spec(), gradientMode_);
}

void
RevGANGeneratorImpl::pretty_print(std::ostream & stream) const
{
  stream << "revgan::RevGANGenerator(" << spec() << ", gradient_mode=" << gradientMode_ << ")";
}

// The same layers as one coupling branch, here on all channels (a branch serves half a block).
ResidualBlockImpl::ResidualBlockImpl(int64_t channels, int64_t dimensions)
  : options(2 * channels, dimensions)
{
  reset();
}

std::shared_ptr<torch::nn::Module>
ResidualBlockImpl::clone(const c10::optional<torch::Device> & device) const
{
  return rebuiltCopy(*this, device, options.channels() / 2, options.dimensions());
}

void
ResidualBlockImpl::reset()
{
  branch_ = register_module("branch", CouplingBranch(options));
}

void
ResidualBlockImpl::pretty_print(std::ostream & stream) const
{
  stream << "revgan::ResidualBlock(channels=" << options.channels() / 2 << ", dimensions=" << options.dimensions()
         << ")";
}

torch::Tensor
ResidualBlockImpl::forward(const torch::Tensor & x)
{
  return x + branch_->forward(x);
}

ResnetGeneratorImpl::ResnetGeneratorImpl(const GeneratorSpec & spec, int64_t inChannels, int64_t outChannels)
  : spec_(spec)
  , inChannels_(inChannels)
  , outChannels_(outChannels)
{
  reset();
}

std::shared_ptr<torch::nn::Module>
ResnetGeneratorImpl::clone(const c10::optional<torch::Device> & device) const
{
  return rebuiltCopy(*this, device, spec_, inChannels_, outChannels_);
}

void
ResnetGeneratorImpl::reset()
{
  spec_.validate();
  layers_ = torch::nn::Sequential();
  layers_->push_back("encoder", LiftingEncoder(spec_.encoderOptions(inChannels_)));
  for (int64_t i = 0; i < spec_.depth; ++i)
    layers_->push_back("block" + std::to_string(i), ResidualBlock(spec_.coreChannels(), spec_.dimensions));
  layers_->push_back("decoder", ProjectionDecoder(spec_.decoderOptions(outChannels_)));
  register_module("layers", layers_);
}

void
ResnetGeneratorImpl::pretty_print(std::ostream & stream) const
{
  stream << "revgan::ResnetGenerator(in_channels=" << inChannels_ << ", out_channels=" << outChannels_
         << ", blocks=" << spec_.depth << ")";
}

torch::Tensor
ResnetGeneratorImpl::forward(const torch::Tensor & x)
{
  return layers_->forward(x);
}

ResnetGeneratorPairImpl::ResnetGeneratorPairImpl(const GeneratorSpec & spec)
  : TranslationGenerator(spec)
{
  xToY = register_module("xToY", ResnetGenerator(spec, spec.channelsX, spec.channelsY));
  yToX = register_module("yToX", ResnetGenerator(spec, spec.channelsY, spec.channelsX));
}

torch::Tensor
ResnetGeneratorPairImpl::forward(const torch::Tensor & x)
{
  return spec().residual ? x + xToY->forward(x) : xToY->forward(x);
}

torch::Tensor
ResnetGeneratorPairImpl::inverse(const torch::Tensor & y)
{
  return spec().residual ? y + yToX->forward(y) : yToX->forward(y);
}

std::shared_ptr<torch::nn::Module>
ResnetGeneratorPairImpl::clone(const c10::optional<torch::Device> & device) const
{
  return rebuiltCopy(*this, device, spec());
}

void
ResnetGeneratorPairImpl::pretty_print(std::ostream & stream) const
{
  stream << "revgan::ResnetGeneratorPair(" << spec() << ")";
}

std::shared_ptr<TranslationGenerator>
makeGenerator(const GeneratorSpec & spec, GradientMode mode)
{
  spec.validate();
  std::shared_ptr<TranslationGenerator> generator;
  switch (generatorDefinition(spec.kind).family)
  {
    case GeneratorFamily::Invertible:
      generator = std::make_shared<RevGANGeneratorImpl>(spec, mode);
      break;
    case GeneratorFamily::OneWayPair:
      generator = std::make_shared<ResnetGeneratorPairImpl>(spec);
      break;
  }
  initializeWeights(*generator);
  return generator;
}

} // namespace revgan
