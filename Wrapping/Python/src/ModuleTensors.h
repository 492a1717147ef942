// SPDX-License-Identifier: Apache-2.0
#pragma once
// A toolkit network's own tensors for Python, which registers them on a torch.nn.Module
// (revgan.Model for model files, revgan.nn for networks built in Python).

#include <torch/extension.h>

namespace revgan::python
{

/// (name, tensor, is_parameter) for each parameter of `module`, then each buffer, with dotted
/// names: the tensors themselves, not copies.
inline pybind11::list
namedTensors(const torch::nn::Module & module)
{
  pybind11::list tensors;
  for (const auto & item : module.named_parameters())
    tensors.append(pybind11::make_tuple(item.key(), item.value(), true));
  for (const auto & item : module.named_buffers())
    tensors.append(pybind11::make_tuple(item.key(), item.value(), false));
  return tensors;
}

} // namespace revgan::python
