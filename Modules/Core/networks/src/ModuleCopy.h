// SPDX-License-Identifier: Apache-2.0
#pragma once
// clone() of the toolkit's modules that torch::nn::Cloneable cannot serve (a subclass of a LibTorch
// layer, a generator around a reversible core): the module is built anew from what it keeps, and
// this copies the original's tensors into it. Private to revgan_core.

#include <torch/nn/module.h>
#include <torch/types.h>

namespace revgan
{

/// Copies each parameter and buffer of `source` into the one of the same name in `target`, a module
/// of the same architecture: moved to `device` when one is given and differs, cloned otherwise (as
/// torch::nn::Cloneable copies them), so that the two share no storage. Throws std::logic_error
/// when the names or shapes differ.
void
copyTensorsInto(const torch::nn::Module &            source,
                torch::nn::Module &                  target,
                const c10::optional<torch::Device> & device);

} // namespace revgan
