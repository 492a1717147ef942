// SPDX-License-Identifier: Apache-2.0
#include "revgan/ReversibleSequence.h"

#include <torch/autograd.h>
#include <torch/custom_class.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace revgan
{

namespace
{

/// Lets the autograd node keep the sequence alive and reach it from backward.
struct SequenceHandle : torch::CustomClassHolder
{
  std::shared_ptr<ReversibleSequenceImpl> sequence;
  Direction                               direction{ Direction::Forward };
};

/// Autograd node of one call of a reversible sequence. It saves only the call's output; see
/// ReversibleSequenceImpl::backpropagateFromOutput for the backward pass.
class ReversibleFunction : public torch::autograd::Function<ReversibleFunction>
{
public:
  /// `parameters` are inputs only so that the node is recorded (and ordered before the
  /// parameters' gradient accumulators) even when `input` does not require a gradient; their
  /// gradients are accumulated in backward rather than returned.
  static torch::Tensor
  forward(torch::autograd::AutogradContext * context,
          const torch::Tensor &              input,
          torch::TensorList                  parameters,
          c10::intrusive_ptr<SequenceHandle> handle)
  {
    context->saved_data["parameter_count"] = static_cast<int64_t>(parameters.size());
    torch::Tensor output = handle->sequence->runWithoutGraph(input, handle->direction);
    // A monitored call also keeps its input (a copy: the caller may change it in place).
    context->save_for_backward(
      { output, handle->sequence->monitorsReconstruction() ? input.detach().clone() : torch::Tensor() });
    context->saved_data["handle"] = c10::IValue::make_capsule(std::move(handle));
    return output;
  }

  static torch::autograd::variable_list
  backward(torch::autograd::AutogradContext * context, torch::autograd::variable_list outputGradients)
  {
    auto       handle = c10::static_intrusive_pointer_cast<SequenceHandle>(context->saved_data["handle"].toCapsule());
    const auto saved = context->get_saved_variables();
    torch::Tensor inputGradient =
      handle->sequence->backpropagateFromOutput(saved[0], outputGradients[0], handle->direction, saved[1]);
    // One entry per forward argument: the input's gradient, then none for the parameters (their
    // gradients are already accumulated) and none for the handle.
    torch::autograd::variable_list gradients(2 + static_cast<size_t>(context->saved_data["parameter_count"].toInt()));
    gradients[0] = std::move(inputGradient);
    return gradients;
  }
};

} // namespace

ReversibleSequenceImpl::ReversibleSequenceImpl(const ReversibleSequenceOptions & options)
  : gradientMode_(options.gradient_mode())
{
  if (options.depth() < 0)
  {
    throw std::invalid_argument("reversible sequence depth must not be negative, got " +
                                std::to_string(options.depth()));
  }
  for (int64_t i = 0; i < options.depth(); ++i)
  {
    blocks_.emplace_back(options.block());
  }
  registerBlocks();
}

ReversibleSequenceImpl::ReversibleSequenceImpl(std::vector<AdditiveCoupling> blocks, GradientMode mode)
  : blocks_(std::move(blocks))
  , gradientMode_(mode)
{
  registerBlocks();
}

void
ReversibleSequenceImpl::registerBlocks()
{
  for (size_t i = 0; i < blocks_.size(); ++i)
  {
    if (blocks_[i].is_empty())
    {
      throw std::invalid_argument("reversible sequence block " + std::to_string(i) + " is empty");
    }
    rejectDropout(*blocks_[i], "reversible block " + std::to_string(i));
    register_module("block" + std::to_string(i), blocks_[i]);
  }
}

std::shared_ptr<torch::nn::Module>
ReversibleSequenceImpl::clone(const c10::optional<torch::Device> & device) const
{
  std::vector<AdditiveCoupling> copies;
  for (const AdditiveCoupling & block : blocks_)
    copies.emplace_back(std::dynamic_pointer_cast<AdditiveCouplingImpl>(block->clone(device)));
  auto copy = std::make_shared<ReversibleSequenceImpl>(std::move(copies), gradientMode_);
  copy->setMonitorReconstruction(monitorReconstruction_);
  return copy;
}

void
ReversibleSequenceImpl::pretty_print(std::ostream & stream) const
{
  stream << "revgan::ReversibleSequence(depth=" << blocks_.size() << ", gradient_mode=" << gradientMode_ << ")";
}

torch::Tensor
ReversibleSequenceImpl::forward(const torch::Tensor & input)
{
  return runRecorded(input, Direction::Forward);
}

torch::Tensor
ReversibleSequenceImpl::inverse(const torch::Tensor & output)
{
  return runRecorded(output, Direction::Inverse);
}

torch::Tensor
ReversibleSequenceImpl::runRecorded(const torch::Tensor & input, Direction direction)
{
  if (blocks_.empty())
  {
    return input;
  }
  const bool recordGraph = torch::GradMode::is_enabled();
  if (gradientMode_ == GradientMode::Naive || !recordGraph)
  {
    return applyBlocks(input, direction);
  }

  auto handle = c10::make_intrusive<SequenceHandle>();
  handle->sequence = std::static_pointer_cast<ReversibleSequenceImpl>(shared_from_this());
  handle->direction = direction;
  const std::vector<torch::Tensor> trainable = trainableParameters(*this);
  return ReversibleFunction::apply(input, torch::TensorList(trainable), std::move(handle));
}

torch::Tensor
ReversibleSequenceImpl::runWithoutGraph(const torch::Tensor & input, Direction direction)
{
  torch::NoGradGuard noGrad;
  return applyBlocks(input, direction);
}

torch::Tensor
ReversibleSequenceImpl::applyBlocks(const torch::Tensor & input, Direction direction)
{
  torch::Tensor x = input;
  if (direction == Direction::Forward)
  {
    for (auto & block : blocks_)
      x = block->forward(x);
  }
  else
  {
    for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it)
      x = (*it)->inverse(x);
  }
  return x;
}

torch::Tensor
ReversibleSequenceImpl::backpropagateFromOutput(const torch::Tensor & output,
                                                const torch::Tensor & outputGradient,
                                                Direction             direction,
                                                const torch::Tensor & input)
{
  torch::Tensor current = output.detach();
  torch::Tensor gradient = outputGradient.defined() ? outputGradient : torch::zeros_like(current);
  // Walk the blocks in the reverse order of the call: the last block applied is undone first.
  auto step = [&](AdditiveCoupling & block)
  {
    auto [input, inputGradient] = block->reconstructAndBackpropagate(current, gradient, direction);
    current = std::move(input);
    gradient = std::move(inputGradient);
  };
  if (direction == Direction::Forward)
  {
    for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it)
      step(*it);
  }
  else
  {
    for (auto & block : blocks_)
      step(block);
  }
  if (input.defined())
  {
    ReconstructionError measured = maxReconstructionError_.value_or(ReconstructionError{});
    // NaN must win (std::max would drop it): a NaN reconstruction is what the monitor is for.
    auto largest = [](double a, double b) { return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b); };
    measured.absolute = largest(measured.absolute, (current - input).abs().max().item<double>());
    measured.inputMagnitude = largest(measured.inputMagnitude, input.abs().max().item<double>());
    maxReconstructionError_ = measured;
  }
  return gradient;
}

} // namespace revgan
