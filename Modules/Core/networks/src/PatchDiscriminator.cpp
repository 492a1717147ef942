// SPDX-License-Identifier: Apache-2.0
#include "revgan/PatchDiscriminator.h"

#include "ModuleCopy.h"
#include "revgan/LayerFactory.h"
#include "revgan/WeightInitialization.h"

#include <torch/nn/modules/activation.h>

#include <algorithm>
#include <ostream>
#include <stdexcept>
#include <string>

namespace revgan
{

PatchDiscriminatorImpl::PatchDiscriminatorImpl(PatchDiscriminatorOptions options_)
  : options(std::move(options_))
{
  reset();
  initializeWeights(*this);
}

std::shared_ptr<torch::nn::Module>
PatchDiscriminatorImpl::clone(const c10::optional<torch::Device> & device) const
{
  return rebuiltCopy(*this, device, options);
}

void
PatchDiscriminatorImpl::reset()
{
  checkSpatialDimensions(options.dimensions());
  if (options.in_channels() < 1 || options.width() < 1 || options.strided_layers() < 1)
  {
    throw std::invalid_argument("PatchGAN discriminator needs positive channels, width and strided layers");
  }
  layers_ = torch::nn::Sequential();
  auto addConv = [&](int64_t in, int64_t out, int64_t stride)
  {
    ConvolutionSpec conv;
    conv.dimensions = options.dimensions();
    conv.inChannels = in;
    conv.outChannels = out;
    conv.kernelSize = 4;
    conv.stride = stride;
    conv.padding = 1;
    layers_->push_back(makeConvolution(conv));
  };
  auto addNormAndActivation = [&](int64_t channels)
  {
    if (auto norm = makeNormalization(options.normalization(), options.dimensions(), channels); !norm.is_empty())
      layers_->push_back(std::move(norm));
    layers_->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.2)));
  };

  const int64_t ndf = options.width();
  addConv(options.in_channels(), ndf, 2);
  layers_->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.2)));
  int64_t channels = ndf;
  for (int64_t i = 1; i <= options.strided_layers(); ++i)
  {
    const int64_t next = ndf * std::min<int64_t>(int64_t{ 1 } << i, 8);
    addConv(channels, next, i < options.strided_layers() ? 2 : 1);
    addNormAndActivation(next);
    channels = next;
  }
  addConv(channels, 1, 1);
  register_module("layers", layers_);
}

void
PatchDiscriminatorImpl::pretty_print(std::ostream & stream) const
{
  stream << "revgan::PatchDiscriminator(in_channels=" << options.in_channels()
         << ", dimensions=" << options.dimensions() << ", width=" << options.width()
         << ", strided_layers=" << options.strided_layers() << ", normalization=" << options.normalization() << ")";
}

torch::Tensor
PatchDiscriminatorImpl::forward(const torch::Tensor & input)
{
  return layers_->forward(input);
}

} // namespace revgan
