// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/LayerFactory.h"

#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <memory>
#include <ostream>

namespace revgan
{

/// \brief A ConvTranspose2d that computes the decoders' 2× upsampling (kernel 3, stride 2,
/// padding 1, output padding 1) as a sub-pixel convolution, which LibTorch runs on oneDNN.
///
/// LibTorch 1.13 runs 2D transposed convolutions on a native kernel at 30–50 GFLOP/s on this
/// project's machines, against about 200 for ordinary ones (`revgan-bench profile`: the 2D RevGAN's
/// two upsamplings were 17 % of its training step). Each output pixel (2m + a, 2n + b) of such a
/// transposed convolution is an ordinary 2×2 convolution of the input at (m, n) with taps chosen by
/// the phase (a, b): even rows take kernel row 1 alone, odd rows rows 2 and 0 of the next input
/// row. The four phases are one convolution with 4 × out_channels outputs, interleaved by
/// pixel_shuffle. Its weights are gathered from this module's own weight on every call, so the
/// parameters, their gradients and model files are those of ConvTranspose2d; it does 16/9 of the
/// multiply-adds, on a kernel several times faster. Other configurations take ConvTranspose2d's path.
class SubPixelConvTranspose2dImpl : public torch::nn::ConvTranspose2dImpl
{
public:
  /// A transposed convolution of `spec` (2D, zero padding).
  explicit SubPixelConvTranspose2dImpl(const ConvolutionSpec & spec);

  /// Upsamples `input` (N, C, H, W) as ConvTranspose2d does: to (N, out_channels, 2H, 2W) when isSubPixel().
  torch::Tensor
  forward(const torch::Tensor & input);

  /// A copy of this layer, itself a SubPixelConvTranspose2d (LibTorch's ConvTranspose2d would clone a plain
  /// ConvTranspose2d).
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

  /// As ConvTranspose2d prints itself, named revgan::SubPixelConvTranspose2d.
  void
  pretty_print(std::ostream & stream) const override;

  /// Whether this configuration is computed as a sub-pixel convolution.
  bool
  isSubPixel() const;

private:
  ConvolutionSpec spec_;
};
TORCH_MODULE(SubPixelConvTranspose2d);

} // namespace revgan
