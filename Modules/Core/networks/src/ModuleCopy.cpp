// SPDX-License-Identifier: Apache-2.0
#include "ModuleCopy.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace revgan
{

namespace
{

void
copyEach(const torch::OrderedDict<std::string, torch::Tensor> & from,
         torch::OrderedDict<std::string, torch::Tensor>         to,
         const c10::optional<torch::Device> &                   device,
         const char *                                           what)
{
  if (from.size() != to.size())
    throw std::logic_error(std::string("a copy of a module has ") + std::to_string(to.size()) + " " + what +
                           ", the original " + std::to_string(from.size()));
  for (const auto & entry : from)
  {
    const torch::Tensor * target = to.find(entry.key());
    const torch::Tensor & tensor = entry.value();
    if (target == nullptr || !tensor.defined() || target->sizes() != tensor.sizes())
      throw std::logic_error("a copy of a module differs from the original in " + std::string(what) + " '" +
                             entry.key() + "'");
    torch::Tensor copy(*target);
    copy.set_data(device && tensor.device() != *device ? tensor.to(*device) : tensor.clone());
  }
}

} // namespace

void
copyTensorsInto(const torch::nn::Module &            source,
                torch::nn::Module &                  target,
                const c10::optional<torch::Device> & device)
{
  torch::NoGradGuard noGrad;
  copyEach(source.named_parameters(), target.named_parameters(), device, "parameters");
  copyEach(source.named_buffers(), target.named_buffers(), device, "buffers");
}

} // namespace revgan
