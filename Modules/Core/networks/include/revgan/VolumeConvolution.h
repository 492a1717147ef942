// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/LayerFactory.h"

#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <memory>
#include <ostream>

namespace revgan
{

/// \brief A Conv3d that keeps small single volumes on LibTorch's fast (oneDNN) kernel.
///
/// LibTorch (1.13 and later) sends a float CPU convolution with batch 1, a kernel of at most 3 in
/// its last two axes and N·C·D·H ≤ 20480 to its native vol2col kernel, which runs on one thread:
/// 5–10 times slower than oneDNN on this project's machines for the reversible blocks of 3D
/// networks (32–64 channels, 16³–24³ voxels). Such an input is convolved here as a batch of two
/// overlapping halves along depth (each with the k − 1 slices of context its outputs need), which
/// LibTorch hands to oneDNN; the outputs are joined. Every output voxel is the same sum as before
/// (in another order), and autograd differentiates the slicing and joining, so gradients stay
/// exact. Other inputs take Conv3d's own path. Same parameters (weight, bias) as Conv3d, so model
/// files do not change.
class VolumeConvolutionImpl : public torch::nn::Conv3dImpl
{
public:
  /// A Conv3d with the channels, kernel, stride, padding, border mode and bias of `spec`.
  explicit VolumeConvolutionImpl(const ConvolutionSpec & spec);

  /// Convolves `input` (N, C, D, H, W) as Conv3d does, split into two halves along depth when splitsAsBatch().
  torch::Tensor
  forward(const torch::Tensor & input);

  /// A copy of this layer, itself a VolumeConvolution (LibTorch's Conv3d would clone a plain Conv3d).
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

  /// As Conv3d prints itself, named revgan::VolumeConvolution.
  void
  pretty_print(std::ostream & stream) const override;

  /// Whether `input` would go to LibTorch's single-threaded native kernel (and is split here).
  bool
  splitsAsBatch(const torch::Tensor & input) const;

private:
  ConvolutionSpec spec_;
};
TORCH_MODULE(VolumeConvolution);

} // namespace revgan
