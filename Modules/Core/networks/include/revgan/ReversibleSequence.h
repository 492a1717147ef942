// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/AdditiveCoupling.h"
#include "revgan/BidirectionalModule.h"
#include "revgan/NetworkOptions.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace revgan
{

/// What the reconstruction monitor of a reversible sequence measured (largest over the calls).
struct ReconstructionError
{
  /// max |reconstructed input − input|
  double absolute{ 0.0 };
  /// max |input|, the scale to read `absolute` against
  double inputMagnitude{ 0.0 };
};

/// Options of a reversible sequence (ReversibleSequenceImpl).
struct ReversibleSequenceOptions
{
  /// Options for `depth` blocks, each built from `block`, in GradientMode::Reversible.
  ReversibleSequenceOptions(int64_t depth, AdditiveCouplingOptions block)
    : depth_(depth)
    , block_(std::move(block))
  {
  }
  /// Number of coupling blocks.
  TORCH_ARG(int64_t, depth);
  /// Options of every block.
  TORCH_ARG(AdditiveCouplingOptions, block);
  /// How backward obtains the blocks' activations: Naive stores them; ReversibleCore and Reversible reconstruct them.
  TORCH_ARG(GradientMode, gradient_mode) = GradientMode::Reversible;
};

/// \brief A stack of additive coupling blocks C = b_d ∘ … ∘ b_1 with its exact inverse C⁻¹.
///
/// forward() and inverse() share one set of weights and are both differentiable. In
/// GradientMode::Reversible each call records a single autograd node that keeps only the
/// call's output; its backward walks the blocks from the output back, reconstructing each
/// block's input and recomputing that block alone, so the activation memory of training does
/// not grow with depth. In GradientMode::Naive plain autograd stores every intermediate tensor.
///
/// In Reversible mode the gradients of the blocks' parameters are accumulated directly into
/// their `.grad` during backward (as PyTorch's reentrant checkpointing does), so that they do not
/// all have to be held at once; `torch::autograd::grad` with respect to these parameters is only
/// available in Naive mode. The sequence may be called any number of times in one step (forward,
/// inverse, reconstructions) and its output may feed any other module.
class ReversibleSequenceImpl
  : public torch::nn::Module
  , public BidirectionalModule
{
public:
  /// `options.depth()` blocks, each with weights of its own; throws std::invalid_argument for a negative depth.
  explicit ReversibleSequenceImpl(const ReversibleSequenceOptions & options);

  /// A sequence of user-built blocks.
  ReversibleSequenceImpl(std::vector<AdditiveCoupling> blocks, GradientMode mode);

  /// C(x)
  torch::Tensor
  forward(const torch::Tensor & input) override;

  /// C⁻¹(y)
  torch::Tensor
  inverse(const torch::Tensor & output) override;

  /// A sequence of copies of the blocks (on `device` when given), in the same gradient mode.
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

  void
  pretty_print(std::ostream & stream) const override;

  /// Runs the blocks without recording any graph (used by the reversible autograd node).
  torch::Tensor
  runWithoutGraph(const torch::Tensor & input, Direction direction);

  /// The backward pass of run(·, direction) from its output: returns the gradient with respect to
  /// the input and accumulates the blocks' parameter gradients into `.grad`.
  /// `input`, when defined (a monitored call), is the call's true input, compared with the
  /// reconstructed one.
  torch::Tensor
  backpropagateFromOutput(const torch::Tensor & output,
                          const torch::Tensor & outputGradient,
                          Direction             direction,
                          const torch::Tensor & input = {});

  /// Sets how later calls record autograd (see ReversibleSequenceOptions::gradient_mode).
  void
  setGradientMode(GradientMode mode)
  {
    gradientMode_ = mode;
  }
  /// How calls record autograd: Naive stores every activation; any other mode reconstructs them.
  GradientMode
  gradientMode() const
  {
    return gradientMode_;
  }

  /// Debug aid: while on, each recorded call in Reversible mode keeps a copy of its input, and its
  /// backward measures the largest absolute difference between that copy and the input it
  /// reconstructs from the output — the error the constant-memory gradients are computed with.
  /// Costs the memory of one input per call.
  void
  setMonitorReconstruction(bool monitor)
  {
    monitorReconstruction_ = monitor;
  }
  /// Whether the reconstruction monitor is on (setMonitorReconstruction).
  bool
  monitorsReconstruction() const
  {
    return monitorReconstruction_;
  }
  /// The largest reconstruction error measured since the last call (none if no monitored
  /// backward ran), and starts a new measurement.
  std::optional<ReconstructionError>
  takeMaxReconstructionError()
  {
    return std::exchange(maxReconstructionError_, std::nullopt);
  }

  /// Number of coupling blocks.
  size_t
  depth() const
  {
    return blocks_.size();
  }
  /// Block `index` in call order of forward (0 is applied first); throws std::out_of_range past depth().
  AdditiveCoupling
  block(size_t index) const
  {
    return blocks_.at(index);
  }

private:
  void
  registerBlocks();

  /// C or C⁻¹ with the autograd recording of the gradient mode.
  torch::Tensor
  runRecorded(const torch::Tensor & input, Direction direction);

  /// Applies the blocks in call order with whatever autograd recording is active.
  torch::Tensor
  applyBlocks(const torch::Tensor & input, Direction direction);

  std::vector<AdditiveCoupling>      blocks_;
  GradientMode                       gradientMode_{ GradientMode::Reversible };
  bool                               monitorReconstruction_{ false };
  std::optional<ReconstructionError> maxReconstructionError_;
};
TORCH_MODULE(ReversibleSequence);

} // namespace revgan
