// SPDX-License-Identifier: Apache-2.0
#include "revgan/BorderPadding.h"

#include <torch/autograd.h>

#include <stdexcept>
#include <string>

namespace revgan
{

namespace
{

/// `tensor` restricted to the unpadded voxels along its axes from `firstAxis` on.
torch::Tensor
interiorFrom(torch::Tensor tensor, int64_t firstAxis, int64_t width)
{
  for (int64_t axis = firstAxis; axis < tensor.dim(); ++axis)
    tensor = tensor.narrow(axis, width, tensor.size(axis) - 2 * width);
  return tensor;
}

torch::Tensor
pad(const torch::Tensor & input, int64_t width, bool reflect)
{
  std::vector<int64_t> shape = input.sizes().vec();
  for (size_t axis = 2; axis < shape.size(); ++axis)
    shape[axis] += 2 * width;
  torch::Tensor padded = torch::empty(shape, input.options());
  interiorFrom(padded, 2, width).copy_(input);
  // Axis by axis: the slabs of `axis` are filled from rows that are complete along the axes
  // before it and interior along the axes after it (which are filled later from full rows).
  for (int64_t axis = 2; axis < padded.dim(); ++axis)
  {
    const torch::Tensor slab = interiorFrom(padded, axis + 1, width);
    const int64_t       extent = input.size(axis);
    torch::Tensor       before = slab.narrow(axis, 0, width);
    torch::Tensor       after = slab.narrow(axis, width + extent, width);
    if (reflect)
    {
      before.copy_(slab.narrow(axis, width + 1, width).flip(axis));
      after.copy_(slab.narrow(axis, extent - 1, width).flip(axis));
    }
    else
    {
      before.copy_(slab.narrow(axis, width, 1).expand_as(before));
      after.copy_(slab.narrow(axis, width + extent - 1, 1).expand_as(after));
    }
  }
  return padded;
}

/// The gradient with respect to the input of pad(): each border slab's gradient is added to the
/// voxels it was copied from, axis by axis in the opposite order of pad().
torch::Tensor
foldBorderGradient(torch::Tensor gradient, int64_t width, bool reflect)
{
  for (int64_t axis = gradient.dim() - 1; axis >= 2; --axis)
  {
    const int64_t       extent = gradient.size(axis) - 2 * width;
    torch::Tensor       folded = gradient.narrow(axis, width, extent).clone(at::MemoryFormat::Contiguous);
    const torch::Tensor before = gradient.narrow(axis, 0, width);
    const torch::Tensor after = gradient.narrow(axis, width + extent, width);
    if (reflect)
    {
      folded.narrow(axis, 1, width).add_(before.flip(axis));
      folded.narrow(axis, extent - 1 - width, width).add_(after.flip(axis));
    }
    else
    {
      // A one-voxel slab needs no reduction kernel (the networks' 3×3 kernels pad by one).
      folded.narrow(axis, 0, 1).add_(width == 1 ? before : before.sum(axis, /*keepdim=*/true));
      folded.narrow(axis, extent - 1, 1).add_(width == 1 ? after : after.sum(axis, /*keepdim=*/true));
    }
    gradient = std::move(folded);
  }
  return gradient;
}

class BorderPaddingFunction : public torch::autograd::Function<BorderPaddingFunction>
{
public:
  static torch::Tensor
  forward(torch::autograd::AutogradContext * context, const torch::Tensor & input, int64_t width, bool reflect)
  {
    context->saved_data["width"] = width;
    context->saved_data["reflect"] = reflect;
    return pad(input, width, reflect);
  }

  static torch::autograd::variable_list
  backward(torch::autograd::AutogradContext * context, torch::autograd::variable_list gradients)
  {
    const int64_t width = context->saved_data["width"].toInt();
    const bool    reflect = context->saved_data["reflect"].toBool();
    return { foldBorderGradient(gradients[0], width, reflect), torch::Tensor(), torch::Tensor() };
  }
};

} // namespace

torch::Tensor
padBorder(const torch::Tensor & input, int64_t width, PaddingMode mode)
{
  if (input.dim() < 3)
  {
    throw std::invalid_argument("border padding needs an (N, C, spatial...) tensor, got " +
                                std::to_string(input.dim()) + " dimensions");
  }
  if (width < 0)
    throw std::invalid_argument("border padding width must not be negative, got " + std::to_string(width));
  const bool reflect = mode == PaddingMode::Reflect;
  if (mode == PaddingMode::Zero)
    throw std::invalid_argument("padBorder replicates or reflects; zero padding belongs to the convolution");
  for (int64_t axis = 2; axis < input.dim(); ++axis)
  {
    if (input.size(axis) < 1 || (reflect && input.size(axis) <= width))
    {
      throw std::invalid_argument("cannot " + std::string(reflect ? "reflect" : "replicate") + " a border of " +
                                  std::to_string(width) + " voxels on an axis of " + std::to_string(input.size(axis)));
    }
  }
  if (width == 0)
    return input;
  return BorderPaddingFunction::apply(input, width, reflect);
}

} // namespace revgan
