// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/CouplingOptions.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <memory>

namespace revgan
{

/// \brief pad, conv k^n, norm, ReLU, pad, conv k^n, norm — NN1/NN2 of the paper (or the
/// EDSR-F layout, see AdditiveCouplingOptions::pre_normalization).
///
/// Works on half of the coupling block's channels; channel count and spatial size are preserved,
/// so the branch's output can be added to the other half of the block's input.
class CouplingBranchImpl : public torch::nn::Cloneable<CouplingBranchImpl>
{
public:
  /// A branch for a block with these options (on options.channels() / 2 channels).
  explicit CouplingBranchImpl(AdditiveCouplingOptions options);

  /// Builds the layers from `options`.
  void
  reset() override;

  /// A copy with parameters of its own: this module built anew from its options, the tensors copied
  /// by name. (Cloneable's own clone() would copy the layers through Sequential::clone, which drops
  /// their names, and with them the names of the parameters that model files store.)
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

  /// Applies the layers to one half of the block's input, (N, channels / 2, spatial...); same shape out.
  torch::Tensor
  forward(const torch::Tensor & input);

  void
  pretty_print(std::ostream & stream) const override;

  /// Zeroes the weight and bias of the last convolution when `options.zero_init_last()` is set;
  /// weight initialisers call it after drawing their random weights.
  void
  applyZeroInitialization();

  /// The options of the block this branch belongs to.
  AdditiveCouplingOptions options;

private:
  torch::nn::Sequential layers_{ nullptr };
};
TORCH_MODULE(CouplingBranch);

} // namespace revgan
