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
  /// 2 (Conv2d) or 3 (Conv3d).
  int64_t dimensions{ 2 };
  /// Channels of the input.
  int64_t inChannels{ 0 };
  /// Channels of the output.
  int64_t outChannels{ 0 };
  /// Side of the (square or cubic) kernel.
  int64_t kernelSize{ 3 };
  /// Stride along every spatial axis.
  int64_t stride{ 1 };
  /// Voxels of border added on each side of every spatial axis.
  int64_t padding{ 0 };
  /// How the border is filled (ignored when padding is 0); must be Zero for a transposed convolution.
  PaddingMode paddingMode{ PaddingMode::Zero };
  /// Whether the layer adds a learnt bias per output channel.
  bool bias{ true };
  /// A transposed convolution (ConvTranspose2d/3d); only zero padding applies then.
  bool transposed{ false };
  /// Transposed convolutions only: extra output voxels on one side of each spatial axis (1 for an exact 2× upsampling).
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
