// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/NetworkOptions.h"

#include <torch/arg.h>

#include <cstdint>

namespace revgan
{

/// Options of an additive coupling block and of the paper's branches F and G inside it.
struct AdditiveCouplingOptions
{
  /// Options for a block on `channels` channels (even) in `dimensions` spatial dimensions, other fields at their
  /// defaults.
  AdditiveCouplingOptions(int64_t channels, int64_t dimensions = 2)
    : channels_(channels)
    , dimensions_(dimensions)
  {
  }
  /// Channels of the block's input and output; must be even: F and G each work on one half.
  TORCH_ARG(int64_t, channels);
  /// 2 for images, 3 for volumes.
  TORCH_ARG(int64_t, dimensions);
  /// Side of the branches' convolution kernels (odd and positive): 3 gives 3×3 or 3×3×3 kernels.
  TORCH_ARG(int64_t, kernel_size) = 3;
  /// How the branches' convolutions fill the border (kernel_size / 2 voxels) so that sizes are kept.
  TORCH_ARG(PaddingMode, padding) = PaddingMode::Reflect;
  /// Normalization layer of the branches (instance norm as in the paper; None for no layer).
  TORCH_ARG(Normalization, normalization) = Normalization::Instance;
  /// Start the last convolution of F and G at zero so that the block starts as the identity
  /// (the EDSR-F variant of the reference code).
  TORCH_ARG(bool, zero_init_last) = false;
  /// Branch layout of the EDSR-F variant: norm, pad, conv, norm, ReLU, pad, conv (normalization
  /// before each convolution, none after the last) instead of the paper's
  /// pad, conv, norm, ReLU, pad, conv, norm.
  TORCH_ARG(bool, pre_normalization) = false;
};

/// Throws std::invalid_argument unless `channels` can be split into two non-empty equal halves.
void
checkCouplingChannels(int64_t channels);

} // namespace revgan
