// SPDX-License-Identifier: Apache-2.0
#include "revgan/SubPixelConvTranspose2d.h"

#include "ModuleCopy.h"

#include <torch/nn/functional/conv.h>
#include <torch/nn/functional/pixelshuffle.h>

#include <sstream>

namespace revgan
{

namespace
{

/// The 2×2 kernels of the four phases as one (4·out, in, 2, 2) convolution weight, from the
/// (in, out, 3, 3) transposed-convolution weight. Along each axis, phase a and tap d (input offset
/// d) use kernel index kTap[2a + d]; index 3 is a zero tap.
torch::Tensor
subPixelWeight(const torch::Tensor & weight)
{
  const torch::Tensor kTap =
    torch::tensor({ 1, 3, 2, 0 }, torch::TensorOptions().dtype(torch::kLong).device(weight.device()));
  const int64_t in = weight.size(0), out = weight.size(1);
  torch::Tensor taps = torch::constant_pad_nd(weight, { 0, 1, 0, 1 }, 0.0).index_select(2, kTap).index_select(3, kTap);
  // (in, out, a, dy, b, dx) → (out, a, b, in, dy, dx): pixel_shuffle reads channel c·4 + 2a + b.
  return taps.view({ in, out, 2, 2, 2, 2 }).permute({ 1, 2, 4, 0, 3, 5 }).reshape({ 4 * out, in, 2, 2 });
}

} // namespace

SubPixelConvTranspose2dImpl::SubPixelConvTranspose2dImpl(const ConvolutionSpec & spec)
  : torch::nn::ConvTranspose2dImpl(torch::nn::ConvTranspose2dOptions(spec.inChannels, spec.outChannels, spec.kernelSize)
                                     .stride(spec.stride)
                                     .padding(spec.padding)
                                     .output_padding(spec.outputPadding)
                                     .bias(spec.bias))
  , spec_(spec)
{
}

bool
SubPixelConvTranspose2dImpl::isSubPixel() const
{
  return spec_.kernelSize == 3 && spec_.stride == 2 && spec_.padding == 1 && spec_.outputPadding == 1;
}

torch::Tensor
SubPixelConvTranspose2dImpl::forward(const torch::Tensor & input)
{
  if (!isSubPixel() || input.dim() != 4)
    return ConvTranspose2dImpl::forward(input);
  namespace F = torch::nn::functional;
  // One zero row and column after the input: the last odd output row and column see nothing there.
  const torch::Tensor padded = torch::constant_pad_nd(input, { 0, 1, 0, 1 }, 0.0);
  torch::Tensor       phases = F::conv2d(
    padded, subPixelWeight(weight), F::Conv2dFuncOptions().bias(bias.defined() ? bias.repeat_interleave(4) : bias));
  return F::pixel_shuffle(phases, F::PixelShuffleFuncOptions(2));
}

std::shared_ptr<torch::nn::Module>
SubPixelConvTranspose2dImpl::clone(const c10::optional<torch::Device> & device) const
{
  return rebuiltCopy(*this, device, spec_);
}

void
SubPixelConvTranspose2dImpl::pretty_print(std::ostream & stream) const
{
  std::ostringstream layer;
  torch::nn::ConvTranspose2dImpl::pretty_print(layer);
  const std::string text = layer.str();
  stream << "revgan::SubPixelConvTranspose2d" << text.substr(text.find('('));
}

} // namespace revgan
