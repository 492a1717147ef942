// SPDX-License-Identifier: Apache-2.0
#include "revgan/CouplingBranch.h"

#include "ModuleCopy.h"
#include "revgan/LayerFactory.h"

#include <torch/nn/modules/activation.h>

#include <ostream>
#include <stdexcept>
#include <string>

namespace revgan
{

CouplingBranchImpl::CouplingBranchImpl(AdditiveCouplingOptions options_)
  : options(std::move(options_))
{
  reset();
}

std::shared_ptr<torch::nn::Module>
CouplingBranchImpl::clone(const c10::optional<torch::Device> & device) const
{
  return rebuiltCopy(*this, device, options);
}

void
CouplingBranchImpl::reset()
{
  checkSpatialDimensions(options.dimensions());
  checkCouplingChannels(options.channels());
  const int64_t channels = options.channels() / 2;
  if (options.kernel_size() < 1 || options.kernel_size() % 2 == 0)
  {
    throw std::invalid_argument("coupling branch kernel size must be odd and positive, got " +
                                std::to_string(options.kernel_size()));
  }

  ConvolutionSpec conv;
  conv.dimensions = options.dimensions();
  conv.inChannels = channels;
  conv.outChannels = channels;
  conv.kernelSize = options.kernel_size();
  conv.padding = options.kernel_size() / 2;
  conv.paddingMode = options.padding();

  layers_ = torch::nn::Sequential();
  torch::nn::AnyModule firstConv = makeConvolution(conv);
  torch::nn::AnyModule lastConv = makeConvolution(conv);
  auto                 addNormalization = [&](const std::string & name)
  {
    if (auto norm = makeNormalization(options.normalization(), options.dimensions(), channels); !norm.is_empty())
    {
      layers_->push_back(name, std::move(norm));
    }
  };
  if (options.pre_normalization())
  {
    addNormalization("norm1");
    layers_->push_back("conv1", firstConv);
    addNormalization("norm2");
    layers_->push_back("relu", torch::nn::ReLU());
    layers_->push_back("conv2", lastConv);
  }
  else
  {
    layers_->push_back("conv1", firstConv);
    addNormalization("norm1");
    layers_->push_back("relu", torch::nn::ReLU());
    layers_->push_back("conv2", lastConv);
    addNormalization("norm2");
  }
  register_module("layers", layers_);
  applyZeroInitialization();
}

torch::Tensor
CouplingBranchImpl::forward(const torch::Tensor & input)
{
  return layers_->forward(input);
}

void
CouplingBranchImpl::applyZeroInitialization()
{
  if (!options.zero_init_last())
  {
    return;
  }
  // Looked up on each call, not kept: a clone's layers are the copied ones, not those reset() made.
  torch::NoGradGuard noGrad;
  for (auto & parameter : layers_->named_children()["conv2"]->parameters())
    parameter.zero_();
}

void
CouplingBranchImpl::pretty_print(std::ostream & stream) const
{
  stream << "revgan::CouplingBranch(channels=" << options.channels() / 2 << ", dimensions=" << options.dimensions()
         << ", kernel_size=" << options.kernel_size() << ", padding=" << options.padding()
         << ", normalization=" << options.normalization()
         << ", pre_normalization=" << (options.pre_normalization() ? "true" : "false")
         << ", zero_init_last=" << (options.zero_init_last() ? "true" : "false") << ")";
}

} // namespace revgan
