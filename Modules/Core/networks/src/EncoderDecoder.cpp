// SPDX-License-Identifier: Apache-2.0
#include "revgan/EncoderDecoder.h"

#include "ModuleCopy.h"
#include "revgan/LayerFactory.h"

#include <torch/nn/modules/activation.h>

#include <ostream>
#include <stdexcept>
#include <string>

namespace revgan
{

namespace
{

void
checkPositive(int64_t value, const char * what)
{
  if (value < 1)
    throw std::invalid_argument(std::string(what) + " must be positive, got " + std::to_string(value));
}

void
checkSamplings(int64_t value, const char * what)
{
  if (value < 0 || value > 6)
    throw std::invalid_argument(std::string(what) + " must be between 0 and 6, got " + std::to_string(value));
}

void
addNormalizedActivation(torch::nn::Sequential & layers,
                        Normalization           normalization,
                        int64_t                 dimensions,
                        int64_t                 channels)
{
  if (auto norm = makeNormalization(normalization, dimensions, channels); !norm.is_empty())
    layers->push_back(std::move(norm));
  layers->push_back(torch::nn::ReLU());
}

} // namespace

LiftingEncoderImpl::LiftingEncoderImpl(EncoderOptions options_)
  : options(std::move(options_))
{
  reset();
}

std::shared_ptr<torch::nn::Module>
LiftingEncoderImpl::clone(const c10::optional<torch::Device> & device) const
{
  return rebuiltCopy(*this, device, options);
}

void
LiftingEncoderImpl::reset()
{
  checkSpatialDimensions(options.dimensions());
  checkPositive(options.in_channels(), "encoder input channels");
  checkPositive(options.width(), "encoder width");
  checkSamplings(options.downsamplings(), "encoder downsamplings");

  layers_ = torch::nn::Sequential();
  ConvolutionSpec lift;
  lift.dimensions = options.dimensions();
  lift.inChannels = options.in_channels();
  lift.outChannels = options.width();
  lift.kernelSize = options.kernel_size();
  lift.padding = options.kernel_size() / 2;
  lift.paddingMode = options.padding();
  layers_->push_back(makeConvolution(lift));
  addNormalizedActivation(layers_, options.normalization(), options.dimensions(), options.width());

  int64_t channels = options.width();
  for (int64_t i = 0; i < options.downsamplings(); ++i)
  {
    ConvolutionSpec down;
    down.dimensions = options.dimensions();
    down.inChannels = channels;
    down.outChannels = 2 * channels;
    down.kernelSize = 3;
    down.stride = 2;
    down.padding = 1;
    layers_->push_back(makeConvolution(down));
    channels *= 2;
    addNormalizedActivation(layers_, options.normalization(), options.dimensions(), channels);
  }
  register_module("layers", layers_);
}

void
LiftingEncoderImpl::pretty_print(std::ostream & stream) const
{
  stream << "revgan::LiftingEncoder(in_channels=" << options.in_channels() << ", width=" << options.width()
         << ", dimensions=" << options.dimensions() << ", kernel_size=" << options.kernel_size()
         << ", downsamplings=" << options.downsamplings() << ", padding=" << options.padding()
         << ", normalization=" << options.normalization() << ")";
}

torch::Tensor
LiftingEncoderImpl::forward(const torch::Tensor & input)
{
  return layers_->forward(input);
}

int64_t
LiftingEncoderImpl::outputChannels() const
{
  return options.width() << options.downsamplings();
}

ProjectionDecoderImpl::ProjectionDecoderImpl(DecoderOptions options_)
  : options(std::move(options_))
{
  reset();
}

std::shared_ptr<torch::nn::Module>
ProjectionDecoderImpl::clone(const c10::optional<torch::Device> & device) const
{
  return rebuiltCopy(*this, device, options);
}

void
ProjectionDecoderImpl::reset()
{
  checkSpatialDimensions(options.dimensions());
  checkPositive(options.out_channels(), "decoder output channels");
  checkPositive(options.width(), "decoder width");
  checkSamplings(options.upsamplings(), "decoder upsamplings");

  layers_ = torch::nn::Sequential();
  int64_t channels = inputChannels();
  for (int64_t i = 0; i < options.upsamplings(); ++i)
  {
    ConvolutionSpec up;
    up.dimensions = options.dimensions();
    up.inChannels = channels;
    up.outChannels = channels / 2;
    up.kernelSize = 3;
    up.stride = 2;
    up.padding = 1;
    up.outputPadding = 1;
    up.transposed = true;
    layers_->push_back(makeConvolution(up));
    channels /= 2;
    addNormalizedActivation(layers_, options.normalization(), options.dimensions(), channels);
  }
  ConvolutionSpec project;
  project.dimensions = options.dimensions();
  project.inChannels = channels;
  project.outChannels = options.out_channels();
  project.kernelSize = options.kernel_size();
  project.padding = options.kernel_size() / 2;
  project.paddingMode = options.padding();
  layers_->push_back(makeConvolution(project));
  if (options.tanh())
    layers_->push_back(torch::nn::Tanh());
  register_module("layers", layers_);
}

void
ProjectionDecoderImpl::pretty_print(std::ostream & stream) const
{
  stream << "revgan::ProjectionDecoder(width=" << options.width() << ", out_channels=" << options.out_channels()
         << ", dimensions=" << options.dimensions() << ", kernel_size=" << options.kernel_size()
         << ", upsamplings=" << options.upsamplings() << ", padding=" << options.padding()
         << ", normalization=" << options.normalization() << ", tanh=" << (options.tanh() ? "true" : "false") << ")";
}

torch::Tensor
ProjectionDecoderImpl::forward(const torch::Tensor & input)
{
  return layers_->forward(input);
}

int64_t
ProjectionDecoderImpl::inputChannels() const
{
  return options.width() << options.upsamplings();
}

} // namespace revgan
