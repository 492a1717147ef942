// SPDX-License-Identifier: Apache-2.0
#include "revgan/VolumeConvolution.h"

#include "ModuleCopy.h"
#include "revgan/BorderPadding.h"

#include <ATen/Context.h>
#include <torch/nn/functional/conv.h>

#include <sstream>

namespace revgan
{

namespace
{

torch::nn::Conv3dOptions
conv3dOptions(const ConvolutionSpec & spec)
{
  torch::nn::Conv3dOptions options(spec.inChannels, spec.outChannels, spec.kernelSize);
  options.stride(spec.stride).padding(spec.padding).bias(spec.bias);
  switch (spec.padding > 0 ? spec.paddingMode : PaddingMode::Zero)
  {
    case PaddingMode::Reflect:
      options.padding_mode(torch::kReflect);
      break;
    case PaddingMode::Replicate:
      options.padding_mode(torch::kReplicate);
      break;
    case PaddingMode::Zero:
      options.padding_mode(torch::kZeros);
      break;
  }
  return options;
}

// LibTorch's rule (ConvParams::use_mkldnn) for a batch-1 input: oneDNN only above this size.
constexpr int64_t kNativeKernelLimit = 20480;

} // namespace

VolumeConvolutionImpl::VolumeConvolutionImpl(const ConvolutionSpec & spec)
  : torch::nn::Conv3dImpl(conv3dOptions(spec))
  , spec_(spec)
{
}

bool
VolumeConvolutionImpl::splitsAsBatch(const torch::Tensor & input) const
{
  if (input.dim() != 5 || input.size(0) != 1 || !input.device().is_cpu() || input.scalar_type() != torch::kFloat)
    return false;
  if (!at::hasMKLDNN() || !at::globalContext().userEnabledMkldnn() || spec_.stride != 1 || spec_.kernelSize > 3)
    return false;
  const int64_t paddedDepth = input.size(2) + 2 * spec_.padding;
  const int64_t outputDepth = paddedDepth - spec_.kernelSize + 1;
  const int64_t paddedHeight = input.size(3) + 2 * spec_.padding;
  return outputDepth >= 2 && input.size(1) * paddedDepth * paddedHeight <= kNativeKernelLimit;
}

torch::Tensor
VolumeConvolutionImpl::forward(const torch::Tensor & input)
{
  namespace F = torch::nn::functional;
  // Replicated and reflected borders are padded here (padBorder), zero borders by the kernel.
  const bool    padsBorder = spec_.padding > 0 && spec_.paddingMode != PaddingMode::Zero;
  torch::Tensor padded = padsBorder ? padBorder(input, spec_.padding, spec_.paddingMode) : input;
  if (!splitsAsBatch(input))
  {
    return F::conv3d(
      padded, weight, F::Conv3dFuncOptions().bias(bias).stride(spec_.stride).padding(padsBorder ? 0 : spec_.padding));
  }
  if (!padsBorder && spec_.padding > 0)
    padded = torch::constant_pad_nd(input, std::vector<int64_t>(6, spec_.padding), 0.0);
  const int64_t kernel = spec_.kernelSize;
  const int64_t outputDepth = padded.size(2) - kernel + 1;
  const int64_t firstHalf = (outputDepth + 1) / 2;
  const int64_t secondHalf = outputDepth - firstHalf;
  torch::Tensor first = padded.narrow(2, 0, firstHalf + kernel - 1);
  torch::Tensor second = padded.narrow(2, firstHalf, secondHalf + kernel - 1);
  if (secondHalf < firstHalf) // odd depth: one slice of zeros evens the halves; its output is dropped
    second = torch::constant_pad_nd(second, { 0, 0, 0, 0, 0, 1 }, 0.0);

  const torch::Tensor both = F::conv3d(torch::cat({ first, second }, 0), weight, F::Conv3dFuncOptions().bias(bias));
  return torch::cat({ both.narrow(0, 0, 1), both.narrow(0, 1, 1).narrow(2, 0, secondHalf) }, 2);
}

std::shared_ptr<torch::nn::Module>
VolumeConvolutionImpl::clone(const c10::optional<torch::Device> & device) const
{
  return rebuiltCopy(*this, device, spec_);
}

void
VolumeConvolutionImpl::pretty_print(std::ostream & stream) const
{
  std::ostringstream layer;
  torch::nn::Conv3dImpl::pretty_print(layer);
  const std::string text = layer.str();
  stream << "revgan::VolumeConvolution" << text.substr(text.find('('));
}

} // namespace revgan
