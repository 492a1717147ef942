// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <functional>
#include <memory>

namespace revgan
{

/// \brief Applies `layers` (through `forward`) to `input` without keeping their intermediate
/// activations for backward.
///
/// The autograd node saves only `input`; its backward runs `forward` again with gradients enabled
/// and backpropagates through that recomputation (gradient checkpointing). The reversible core
/// needs no such help — its inputs are reconstructed from its outputs — but the layers around it
/// (lifting encoders, projection decoders) are not invertible; recomputing them trades one more
/// forward of those layers for their activations, which at full resolution dominate a RevGAN's
/// training memory. As in ReversibleSequence, the parameters' gradients are accumulated into
/// their `.grad` during backward, and buffers (BatchNorm statistics) are restored after the
/// recomputation so that they are updated once per call. `layers` must be deterministic (no
/// dropout). Without grad mode, this is `forward(input)`.
torch::Tensor
runRecomputingActivations(const std::shared_ptr<torch::nn::Module> &          layers,
                          std::function<torch::Tensor(const torch::Tensor &)> forward,
                          const torch::Tensor &                               input);

/// The name of the user scope (at::RecordFunction) around every forward pass that a backward pass
/// repeats — here and in the reversible core — so that profilers can tell recomputation apart.
inline constexpr const char * kRecomputationScope = "revgan::recomputation";

} // namespace revgan
