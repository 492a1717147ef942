// SPDX-License-Identifier: Apache-2.0
#pragma once
// Private to revgan_core: the pieces shared by the autograd nodes that recompute activations in
// their backward pass (ReversibleSequence, Recomputation).

#include <torch/nn/module.h>
#include <torch/types.h>

#include <vector>

namespace revgan
{

/// Keeps a module's buffers (BatchNorm running statistics and their counters) unchanged across a
/// recomputation: they are copied on construction and written back on destruction.
class BufferSnapshot
{
public:
  explicit BufferSnapshot(torch::nn::Module & module);
  ~BufferSnapshot();
  BufferSnapshot(const BufferSnapshot &) = delete;
  BufferSnapshot &
  operator=(const BufferSnapshot &) = delete;

private:
  std::vector<torch::Tensor> buffers_;
  std::vector<torch::Tensor> copies_;
};

/// Backpropagates `gradient` through `output`, which was computed (with gradients enabled) from
/// the leaf `input` and `parameters`. Parameter gradients are accumulated into their `.grad`; the
/// gradient with respect to `input` is returned (zeros when `output` does not depend on it). An
/// undefined `input` skips that gradient.
torch::Tensor
backpropagateLocally(const torch::Tensor &      output,
                     const torch::Tensor &      gradient,
                     const torch::Tensor &      input,
                     std::vector<torch::Tensor> parameters);

} // namespace revgan
