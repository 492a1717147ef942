// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/NetworkOptions.h"

#include <torch/nn/modules/container/any.h>

#include <cstdint>

namespace revgan
{

/// Convolution layers for 2D (N,C,H,W) or 3D (N,C,D,H,W) networks, chosen at run time so that
/// one network description serves both.
struct ConvolutionSpec
{
  int64_t     dimensions{ 2 };
  int64_t     inChannels{ 0 };
  int64_t     outChannels{ 0 };
  int64_t     kernelSize{ 3 };
  int64_t     stride{ 1 };
  int64_t     padding{ 0 };
  PaddingMode paddingMode{ PaddingMode::Zero };
  bool        bias{ true };
  /// A transposed convolution (ConvTranspose2d/3d); only zero padding applies then.
  bool    transposed{ false };
  int64_t outputPadding{ 0 };
};

/// A Conv2d/Conv3d (or ConvTranspose2d/3d); its border is filled with `paddingMode` before
/// convolving (the convolution's own padding_mode, so no separate padding layer is needed).
torch::nn::AnyModule
makeConvolution(const ConvolutionSpec & spec);

/// InstanceNorm (no affine parameters, no running statistics, as in the paper) or BatchNorm for
/// `dimensions` = 2 or 3. Returns an empty AnyModule for Normalization::None.
torch::nn::AnyModule
makeNormalization(Normalization normalization, int64_t dimensions, int64_t channels);

/// Throws std::invalid_argument unless `dimensions` is 2 or 3.
void
checkSpatialDimensions(int64_t dimensions);

} // namespace revgan
