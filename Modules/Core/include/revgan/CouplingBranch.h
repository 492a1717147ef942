#pragma once

#include "revgan/NetworkOptions.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

namespace revgan
{

/// Options of the paper's residual branch used as F and G inside an additive coupling block.
struct CouplingBranchOptions
{
  CouplingBranchOptions(int64_t channels, int64_t dimensions = 2)
    : channels_(channels)
    , dimensions_(dimensions)
  {
  }
  /// Channels in and out of the branch (half of the coupling block's channels).
  TORCH_ARG(int64_t, channels);
  /// 2 for images, 3 for volumes.
  TORCH_ARG(int64_t, dimensions);
  TORCH_ARG(int64_t, kernel_size) = 3;
  TORCH_ARG(PaddingMode, padding) = PaddingMode::Reflect;
  TORCH_ARG(Normalization, normalization) = Normalization::Instance;
  /// Start the last convolution at zero so that the whole coupling block starts as the identity
  /// (the EDSR-F variant of the reference code).
  TORCH_ARG(bool, zero_init_last) = false;
};

/// \brief pad, conv k^n, norm, ReLU, pad, conv k^n, norm — NN1/NN2 of the paper.
///
/// Channel count and spatial size are preserved, so the branch can be added to the other half
/// of a coupling block's input.
class CouplingBranchImpl : public torch::nn::Module
{
public:
  explicit CouplingBranchImpl(CouplingBranchOptions options);

  torch::Tensor
  forward(const torch::Tensor & input);

  /// Zeroes the weight and bias of the last convolution when `options.zero_init_last()` is set;
  /// weight initialisers call it after drawing their random weights.
  void
  applyZeroInitialization();

  CouplingBranchOptions options;

private:
  torch::nn::Sequential layers_{ nullptr };
  /// The last convolution's parameters, kept to re-zero them after initialisation.
  torch::Tensor lastWeight_;
  torch::Tensor lastBias_;
};
TORCH_MODULE(CouplingBranch);

} // namespace revgan
