// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/BidirectionalModule.h"
#include "revgan/CouplingBranch.h"
#include "revgan/NetworkOptions.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/any.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <memory>
#include <utility>
#include <vector>

namespace revgan
{

/// \brief Additive coupling block: y1 = x1 + F(x2), y2 = x2 + G(y1).
///
/// The input is split along channels into halves x1, x2. The block is exactly invertible
/// whatever F and G are: x2 = y2 − G(y1), x1 = y1 − F(x2). F and G must map a half to a tensor
/// of the same shape and must be deterministic; modules containing dropout are rejected because
/// the inverse could not reproduce their random masks.
class AdditiveCouplingImpl
  : public torch::nn::Module
  , public BidirectionalModule
{
public:
  /// The paper's block: F and G are CouplingBranch modules on channels / 2.
  explicit AdditiveCouplingImpl(const AdditiveCouplingOptions & options);

  /// A block with user-supplied branches (any module with Tensor forward(Tensor)).
  AdditiveCouplingImpl(torch::nn::AnyModule f, torch::nn::AnyModule g);

  /// (y1, y2) = (x1 + F(x2), x2 + G(y1)) for `input` (N, C, spatial...) split into channel halves (x1, x2).
  torch::Tensor
  forward(const torch::Tensor & input) override;

  /// (x1, x2) = (y1 − F(x2), y2 − G(y1)) for `output` split into channel halves (y1, y2).
  torch::Tensor
  inverse(const torch::Tensor & output) override;

  /// A block with copies of F and G (their modules' own clone(), on `device` when given).
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

  void
  pretty_print(std::ostream & stream) const override;

  /// One step of the memory-saving backward pass (Gomez et al. 2017, Algorithm 1).
  ///
  /// Given the block's output (of run(·, direction)) and the gradient of the loss with respect to
  /// it, reconstructs the block's input and returns it with the gradient with respect to that
  /// input. F and G are each recomputed once, with a graph that lives only inside this call; the
  /// gradients of their parameters are accumulated into the parameters' `.grad`. Buffers such as
  /// BatchNorm running statistics are left as they were, so the recomputation does not count as
  /// a second training pass.
  std::pair<torch::Tensor, torch::Tensor>
  reconstructAndBackpropagate(const torch::Tensor & output, const torch::Tensor & outputGradient, Direction direction);

  /// The branch F, registered as submodule "F".
  torch::nn::AnyModule &
  f()
  {
    return f_;
  }
  /// The branch G, registered as submodule "G".
  torch::nn::AnyModule &
  g()
  {
    return g_;
  }

private:
  void
  registerBranches();

  /// Throws std::invalid_argument when the tensor cannot be split into two equal channel halves.
  void
  checkInput(const torch::Tensor & tensor, const char * what) const;

  torch::nn::AnyModule f_;
  torch::nn::AnyModule g_;
};
TORCH_MODULE(AdditiveCoupling);

/// Throws std::invalid_argument if `module` or any of its descendants is one of LibTorch's dropout
/// layers (Dropout, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout).
void
rejectDropout(const torch::nn::Module & module, const std::string & where);

/// The parameters of `module` (and its descendants) that take part in gradient computation.
std::vector<torch::Tensor>
trainableParameters(const torch::nn::Module & module);

} // namespace revgan
