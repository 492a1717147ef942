// SPDX-License-Identifier: Apache-2.0
#include "revgan/AdditiveCoupling.h"

#include "LocalBackpropagation.h"
#include "revgan/Recomputation.h"

#include <ATen/record_function.h>

#include <torch/autograd.h>
#include <torch/nn/modules/dropout.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace revgan
{

void
rejectDropout(const torch::nn::Module & module, const std::string & where)
{
  auto isDropout = [](const torch::nn::Module & layer)
  {
    return dynamic_cast<const torch::nn::DropoutImpl *>(&layer) != nullptr ||
           dynamic_cast<const torch::nn::Dropout2dImpl *>(&layer) != nullptr ||
           dynamic_cast<const torch::nn::Dropout3dImpl *>(&layer) != nullptr ||
           dynamic_cast<const torch::nn::AlphaDropoutImpl *>(&layer) != nullptr ||
           dynamic_cast<const torch::nn::FeatureAlphaDropoutImpl *>(&layer) != nullptr;
  };
  auto check = [&](const torch::nn::Module & layer)
  {
    if (isDropout(layer))
    {
      throw std::invalid_argument(where + " contains " + layer.name() +
                                  ": dropout draws a new random mask on every call, so a reversible block "
                                  "containing it could not be inverted");
    }
  };
  check(module);
  for (const auto & child : module.modules(/*include_self=*/false))
    check(*child);
}

std::vector<torch::Tensor>
trainableParameters(const torch::nn::Module & module)
{
  std::vector<torch::Tensor> result;
  for (const auto & parameter : module.parameters())
  {
    if (parameter.requires_grad())
      result.push_back(parameter);
  }
  return result;
}

AdditiveCouplingImpl::AdditiveCouplingImpl(const AdditiveCouplingOptions & options)
{
  f_ = torch::nn::AnyModule(CouplingBranch(options));
  g_ = torch::nn::AnyModule(CouplingBranch(options));
  registerBranches();
}

AdditiveCouplingImpl::AdditiveCouplingImpl(torch::nn::AnyModule f, torch::nn::AnyModule g)
  : f_(std::move(f))
  , g_(std::move(g))
{
  if (f_.is_empty() || g_.is_empty())
  {
    throw std::invalid_argument("additive coupling needs two branch modules F and G");
  }
  registerBranches();
}

void
AdditiveCouplingImpl::registerBranches()
{
  rejectDropout(*f_.ptr(), "coupling branch F");
  rejectDropout(*g_.ptr(), "coupling branch G");
  register_module("F", f_.ptr());
  register_module("G", g_.ptr());
}

std::shared_ptr<torch::nn::Module>
AdditiveCouplingImpl::clone(const c10::optional<torch::Device> & device) const
{
  return std::make_shared<AdditiveCouplingImpl>(f_.clone(device), g_.clone(device));
}

void
AdditiveCouplingImpl::pretty_print(std::ostream & stream) const
{
  stream << "revgan::AdditiveCoupling";
}

void
AdditiveCouplingImpl::checkInput(const torch::Tensor & tensor, const char * what) const
{
  if (tensor.dim() < 3)
  {
    throw std::invalid_argument(std::string("additive coupling ") + what + " must be shaped (N, C, spatial...), got " +
                                std::to_string(tensor.dim()) + " dimensions");
  }
  checkCouplingChannels(tensor.size(1));
}

torch::Tensor
AdditiveCouplingImpl::forward(const torch::Tensor & input)
{
  checkInput(input, "input");
  auto          halves = input.chunk(2, 1);
  torch::Tensor y1 = halves[0] + f_.forward(halves[1]);
  torch::Tensor y2 = halves[1] + g_.forward(y1);
  return torch::cat({ y1, y2 }, 1);
}

torch::Tensor
AdditiveCouplingImpl::inverse(const torch::Tensor & output)
{
  checkInput(output, "output");
  auto          halves = output.chunk(2, 1);
  torch::Tensor x2 = halves[1] - g_.forward(halves[0]);
  torch::Tensor x1 = halves[0] - f_.forward(x2);
  return torch::cat({ x1, x2 }, 1);
}

std::pair<torch::Tensor, torch::Tensor>
AdditiveCouplingImpl::reconstructAndBackpropagate(const torch::Tensor & output,
                                                  const torch::Tensor & outputGradient,
                                                  Direction             direction)
{
  checkInput(output, "output");
  BufferSnapshot      keepRunningStatistics(*this);
  torch::AutoGradMode enableGrad(true);

  auto out = output.detach().chunk(2, 1);
  auto grad = outputGradient.chunk(2, 1);

  if (direction == Direction::Forward)
  {
    // Output (y1, y2) of y1 = x1 + F(x2), y2 = x2 + G(y1).
    torch::Tensor y1 = out[0].detach().requires_grad_(true);
    torch::Tensor gOfY1, x2, fOfX2, x1;
    {
      RECORD_USER_SCOPE(kRecomputationScope);
      gOfY1 = g_.forward(y1);
      x2 = (out[1] - gOfY1.detach()).requires_grad_(true);
      fOfX2 = f_.forward(x2);
      x1 = y1.detach() - fOfX2.detach();
    }

    // dL/dy1 (total) = ȳ1 + (∂G/∂y1)ᵀ ȳ2 ; G's weights get (∂G/∂w)ᵀ ȳ2.
    torch::Tensor y1Gradient = grad[0] + backpropagateLocally(gOfY1, grad[1], y1, trainableParameters(*g_.ptr()));
    // x̄2 = ȳ2 + (∂F/∂x2)ᵀ ȳ1(total) ; x̄1 = ȳ1(total) ; F's weights get (∂F/∂w)ᵀ ȳ1(total).
    torch::Tensor x2Gradient = grad[1] + backpropagateLocally(fOfX2, y1Gradient, x2, trainableParameters(*f_.ptr()));
    return { torch::cat({ x1, x2.detach() }, 1), torch::cat({ y1Gradient, x2Gradient }, 1) };
  }

  // Output (x1, x2) of the inverse x2 = y2 − G(y1), x1 = y1 − F(x2).
  torch::Tensor x2 = out[1].detach().requires_grad_(true);
  torch::Tensor fOfX2, y1, gOfY1, y2;
  {
    RECORD_USER_SCOPE(kRecomputationScope);
    fOfX2 = f_.forward(x2);
    y1 = (out[0] + fOfX2.detach()).requires_grad_(true);
    gOfY1 = g_.forward(y1);
    y2 = x2.detach() + gOfY1.detach();
  }

  // x̄2 (total) = x̄2 − (∂F/∂x2)ᵀ x̄1 ; F's weights get −(∂F/∂w)ᵀ x̄1.
  torch::Tensor x2Gradient = grad[1] + backpropagateLocally(fOfX2, -grad[0], x2, trainableParameters(*f_.ptr()));
  // ȳ1 = x̄1 − (∂G/∂y1)ᵀ x̄2(total) ; ȳ2 = x̄2(total) ; G's weights get −(∂G/∂w)ᵀ x̄2(total).
  torch::Tensor y1Gradient = grad[0] + backpropagateLocally(gOfY1, -x2Gradient, y1, trainableParameters(*g_.ptr()));
  return { torch::cat({ y1.detach(), y2 }, 1), torch::cat({ y1Gradient, x2Gradient }, 1) };
}

} // namespace revgan
