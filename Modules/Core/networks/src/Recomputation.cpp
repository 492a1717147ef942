// SPDX-License-Identifier: Apache-2.0
#include "revgan/Recomputation.h"

#include "LocalBackpropagation.h"
#include "revgan/AdditiveCoupling.h"

#include <ATen/record_function.h>
#include <torch/autograd.h>
#include <torch/custom_class.h>

#include <utility>

namespace revgan
{

namespace
{

struct RecomputationHandle : torch::CustomClassHolder
{
  std::shared_ptr<torch::nn::Module>                  layers;
  std::function<torch::Tensor(const torch::Tensor &)> forward;
};

class RecomputingFunction : public torch::autograd::Function<RecomputingFunction>
{
public:
  /// `parameters` are inputs so that the node is recorded even when `input` needs no gradient
  /// (see ReversibleSequence); their gradients are accumulated in backward, not returned.
  static torch::Tensor
  forward(torch::autograd::AutogradContext *      context,
          const torch::Tensor &                   input,
          torch::TensorList                       parameters,
          c10::intrusive_ptr<RecomputationHandle> handle)
  {
    context->saved_data["parameter_count"] = static_cast<int64_t>(parameters.size());
    context->saved_data["input_needs_gradient"] = input.requires_grad();
    torch::Tensor output;
    {
      torch::NoGradGuard noGrad;
      output = handle->forward(input);
    }
    context->save_for_backward({ input });
    context->saved_data["handle"] = c10::IValue::make_capsule(std::move(handle));
    return output;
  }

  static torch::autograd::variable_list
  backward(torch::autograd::AutogradContext * context, torch::autograd::variable_list outputGradients)
  {
    auto handle = c10::static_intrusive_pointer_cast<RecomputationHandle>(context->saved_data["handle"].toCapsule());
    const bool    inputNeedsGradient = context->saved_data["input_needs_gradient"].toBool();
    torch::Tensor input = context->get_saved_variables()[0].detach();
    if (inputNeedsGradient)
      input.requires_grad_(true);

    torch::Tensor inputGradient;
    {
      BufferSnapshot      keepRunningStatistics(*handle->layers);
      torch::AutoGradMode enableGrad(true);
      torch::Tensor       output;
      {
        RECORD_USER_SCOPE(kRecomputationScope);
        output = handle->forward(input);
      }
      inputGradient = backpropagateLocally(
        output, outputGradients[0], inputNeedsGradient ? input : torch::Tensor(), trainableParameters(*handle->layers));
    }
    torch::autograd::variable_list gradients(2 + static_cast<size_t>(context->saved_data["parameter_count"].toInt()));
    gradients[0] = std::move(inputGradient);
    return gradients;
  }
};

} // namespace

torch::Tensor
runRecomputingActivations(const std::shared_ptr<torch::nn::Module> &          layers,
                          std::function<torch::Tensor(const torch::Tensor &)> forward,
                          const torch::Tensor &                               input)
{
  const std::vector<torch::Tensor> trainable = trainableParameters(*layers);
  const bool                       anyGradient = input.requires_grad() || !trainable.empty();
  if (!torch::GradMode::is_enabled() || !anyGradient)
    return forward(input);
  rejectDropout(*layers, "a recomputed module");
  auto handle = c10::make_intrusive<RecomputationHandle>();
  handle->layers = layers;
  handle->forward = std::move(forward);
  return RecomputingFunction::apply(input, torch::TensorList(trainable), std::move(handle));
}

} // namespace revgan
