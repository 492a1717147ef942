// SPDX-License-Identifier: Apache-2.0
#include "revgan/LayerFactory.h"

#include "revgan/SubPixelConvTranspose2d.h"
#include "revgan/VolumeConvolution.h"

#include <torch/nn.h>

#include <stdexcept>
#include <string>

namespace revgan
{

void
checkSpatialDimensions(int64_t dimensions)
{
  if (dimensions != 2 && dimensions != 3)
  {
    throw std::invalid_argument("spatial dimensions must be 2 or 3, got " + std::to_string(dimensions));
  }
}

namespace
{

torch::nn::detail::conv_padding_mode_t
toTorchPaddingMode(PaddingMode mode)
{
  switch (mode)
  {
    case PaddingMode::Reflect:
      return torch::kReflect;
    case PaddingMode::Replicate:
      return torch::kReplicate;
    case PaddingMode::Zero:
      break;
  }
  return torch::kZeros;
}

} // namespace

torch::nn::AnyModule
makeConvolution(const ConvolutionSpec & spec)
{
  checkSpatialDimensions(spec.dimensions);
  if (spec.transposed)
  {
    if (spec.paddingMode != PaddingMode::Zero)
    {
      throw std::invalid_argument("transposed convolutions support zero padding only");
    }
    if (spec.dimensions == 2)
    {
      return torch::nn::AnyModule(SubPixelConvTranspose2d(spec));
    }
    return torch::nn::AnyModule(
      torch::nn::ConvTranspose3d(torch::nn::ConvTranspose3dOptions(spec.inChannels, spec.outChannels, spec.kernelSize)
                                   .stride(spec.stride)
                                   .padding(spec.padding)
                                   .output_padding(spec.outputPadding)
                                   .bias(spec.bias)));
  }
  // A border mode only matters where there is a border to fill.
  const auto paddingMode = spec.padding > 0 ? toTorchPaddingMode(spec.paddingMode) : torch::kZeros;
  if (spec.dimensions == 2)
  {
    return torch::nn::AnyModule(
      torch::nn::Conv2d(torch::nn::Conv2dOptions(spec.inChannels, spec.outChannels, spec.kernelSize)
                          .stride(spec.stride)
                          .padding(spec.padding)
                          .padding_mode(paddingMode)
                          .bias(spec.bias)));
  }
  return torch::nn::AnyModule(VolumeConvolution(spec));
}

torch::nn::AnyModule
makeNormalization(Normalization normalization, int64_t dimensions, int64_t channels)
{
  checkSpatialDimensions(dimensions);
  switch (normalization)
  {
    case Normalization::Instance:
      if (dimensions == 2)
      {
        return torch::nn::AnyModule(torch::nn::InstanceNorm2d(
          torch::nn::InstanceNorm2dOptions(channels).affine(false).track_running_stats(false)));
      }
      return torch::nn::AnyModule(
        torch::nn::InstanceNorm3d(torch::nn::InstanceNorm3dOptions(channels).affine(false).track_running_stats(false)));
    case Normalization::Batch:
      if (dimensions == 2)
      {
        return torch::nn::AnyModule(torch::nn::BatchNorm2d(channels));
      }
      return torch::nn::AnyModule(torch::nn::BatchNorm3d(channels));
    case Normalization::None:
      break;
  }
  return {};
}

} // namespace revgan
