// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/CouplingOptions.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

namespace revgan
{

/// \brief pad, conv k^n, norm, ReLU, pad, conv k^n, norm — NN1/NN2 of the paper (or the
/// EDSR-F layout, see AdditiveCouplingOptions::pre_normalization).
///
/// Works on half of the coupling block's channels; channel count and spatial size are preserved,
/// so the branch's output can be added to the other half of the block's input.
class CouplingBranchImpl : public torch::nn::Module
{
public:
  /// A branch for a block with these options (on options.channels() / 2 channels).
  explicit CouplingBranchImpl(AdditiveCouplingOptions options);

  torch::Tensor
  forward(const torch::Tensor & input);

  /// Zeroes the weight and bias of the last convolution when `options.zero_init_last()` is set;
  /// weight initialisers call it after drawing their random weights.
  void
  applyZeroInitialization();

  /// The options of the block this branch belongs to.
  AdditiveCouplingOptions options;

private:
  torch::nn::Sequential layers_{ nullptr };
  /// The last convolution's parameters, kept to re-zero them after initialisation.
  torch::Tensor lastWeight_;
  torch::Tensor lastBias_;
};
TORCH_MODULE(CouplingBranch);

} // namespace revgan
