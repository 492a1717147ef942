// SPDX-License-Identifier: Apache-2.0
#pragma once
// clone() of the toolkit's modules: the module is built anew from what it keeps (its options), and
// the original's tensors are copied into it by name. (torch::nn::Cloneable's own clone() copies
// layers through Sequential::clone, which renames them 0, 1, …; a LibTorch layer's subclass would be
// cloned as the layer; a generator's core is no Cloneable.) Private to revgan_core.

#include <torch/nn/module.h>
#include <torch/types.h>

#include <memory>
#include <utility>

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

/// clone() of `original`: a new `Impl` built from `arguments` (what `original` was built from),
/// with copies of `original`'s tensors (copyTensorsInto).
template<typename Impl, typename... Arguments>
std::shared_ptr<torch::nn::Module>
rebuiltCopy(const Impl & original, const c10::optional<torch::Device> & device, Arguments &&... arguments)
{
  auto copy = std::make_shared<Impl>(std::forward<Arguments>(arguments)...);
  copyTensorsInto(original, *copy, device);
  return copy;
}

} // namespace revgan
