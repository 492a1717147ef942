// SPDX-License-Identifier: Apache-2.0
#include "LocalBackpropagation.h"

#include <torch/autograd.h>

namespace revgan
{

BufferSnapshot::BufferSnapshot(torch::nn::Module & module)
{
  for (auto & buffer : module.buffers())
  {
    buffers_.push_back(buffer);
    copies_.push_back(buffer.clone());
  }
}

BufferSnapshot::~BufferSnapshot()
{
  torch::NoGradGuard noGrad;
  for (size_t i = 0; i < buffers_.size(); ++i)
  {
    buffers_[i].copy_(copies_[i]);
  }
}

torch::Tensor
backpropagateLocally(const torch::Tensor &      output,
                     const torch::Tensor &      gradient,
                     const torch::Tensor &      input,
                     std::vector<torch::Tensor> parameters)
{
  if (input.defined())
    parameters.insert(parameters.begin(), input);
  if (parameters.empty())
    return {};
  torch::autograd::backward({ output }, { gradient }, /*retain_graph=*/false, /*create_graph=*/false, parameters);
  if (!input.defined())
    return {};
  torch::Tensor inputGradient = input.grad();
  return inputGradient.defined() ? inputGradient : torch::zeros_like(input);
}

} // namespace revgan
