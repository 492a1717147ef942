// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/NetworkOptions.h"

#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <memory>

namespace revgan
{

/// Options of a lifting encoder: pad, conv k (in → width), norm, ReLU, then per downsampling
/// conv 3 stride 2 (channels doubling), norm, ReLU.
/// Paper's 2D RevGAN: k = 7, reflect, 2 downsamplings, instance norm. EDSR-F: k = 5, replicate,
/// 1 downsampling. SRCNN: k = 3, no downsampling, no norm.
struct EncoderOptions
{
  /// Options for an encoder from `in_channels` image channels to `width` features, other fields at their defaults.
  EncoderOptions(int64_t in_channels, int64_t width, int64_t dimensions = 2)
    : in_channels_(in_channels)
    , width_(width)
    , dimensions_(dimensions)
  {
  }
  /// Channels of the input image (positive).
  TORCH_ARG(int64_t, in_channels);
  /// Channels after the first convolution (positive); each downsampling doubles them.
  TORCH_ARG(int64_t, width);
  /// 2 for images, 3 for volumes.
  TORCH_ARG(int64_t, dimensions);
  /// Side k of the first convolution's kernel (odd, so that the padding of k / 2 keeps the size).
  TORCH_ARG(int64_t, kernel_size) = 7;
  /// Stride-2 convolutions after the first (0 to 6); each halves every spatial extent.
  TORCH_ARG(int64_t, downsamplings) = 2;
  /// How the first convolution fills the border; the downsamplings pad with zeros.
  TORCH_ARG(PaddingMode, padding) = PaddingMode::Reflect;
  /// Normalization layer after each convolution (None: ReLU alone).
  TORCH_ARG(Normalization, normalization) = Normalization::Instance;
};

/// Options of a projection decoder: per upsampling transposed conv 3 stride 2 (channels halving),
/// norm, ReLU; then pad, conv k (width → out), and tanh if `tanh`. SRCNN's decoder: k = 1, no
/// upsampling, no tanh.
struct DecoderOptions
{
  /// Options for a decoder from `width` features (after the upsamplings) to `out_channels` image channels, other
  /// fields at their defaults.
  DecoderOptions(int64_t width, int64_t out_channels, int64_t dimensions = 2)
    : width_(width)
    , out_channels_(out_channels)
    , dimensions_(dimensions)
  {
  }
  /// Channels entering the last convolution (positive); the decoder's input has width · 2^upsamplings.
  TORCH_ARG(int64_t, width);
  /// Channels of the output image (positive).
  TORCH_ARG(int64_t, out_channels);
  /// 2 for images, 3 for volumes.
  TORCH_ARG(int64_t, dimensions);
  /// Side k of the last convolution's kernel (odd, so that the padding of k / 2 keeps the size).
  TORCH_ARG(int64_t, kernel_size) = 7;
  /// Transposed stride-2 convolutions before the last (0 to 6); each doubles every spatial extent.
  TORCH_ARG(int64_t, upsamplings) = 2;
  /// How the last convolution fills the border; the upsamplings pad with zeros.
  TORCH_ARG(PaddingMode, padding) = PaddingMode::Reflect;
  /// Normalization layer after each upsampling (None: ReLU alone); the last convolution has none.
  TORCH_ARG(Normalization, normalization) = Normalization::Instance;
  /// Whether a tanh maps the output to (−1, 1).
  TORCH_ARG(bool, tanh) = true;
};

/// \brief Maps an image of one domain into the feature space of a generator's core.
class LiftingEncoderImpl : public torch::nn::Cloneable<LiftingEncoderImpl>
{
public:
  /// An encoder with the layers `options` describe (see EncoderOptions); throws std::invalid_argument for
  /// invalid options.
  explicit LiftingEncoderImpl(EncoderOptions options);

  /// Builds the layers from `options`.
  void
  reset() override;

  /// A copy with parameters of its own: this module built anew from its options, the tensors copied
  /// by name. (Cloneable's own clone() would copy the layers through Sequential::clone, which drops
  /// their names, and with them the names of the parameters that model files store.)
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

  void
  pretty_print(std::ostream & stream) const override;

  /// Maps an image batch (N, in_channels, spatial...) to features (N, outputChannels(), spatial / 2^downsamplings).
  torch::Tensor
  forward(const torch::Tensor & input);

  /// width · 2^downsamplings
  int64_t
  outputChannels() const;

  /// The options the layers were built from (reset() rebuilds them).
  EncoderOptions options;

private:
  torch::nn::Sequential layers_{ nullptr };
};
TORCH_MODULE(LiftingEncoder);

/// \brief Maps core features back to an image of one domain.
class ProjectionDecoderImpl : public torch::nn::Cloneable<ProjectionDecoderImpl>
{
public:
  /// A decoder with the layers `options` describe (see DecoderOptions); throws std::invalid_argument for
  /// invalid options.
  explicit ProjectionDecoderImpl(DecoderOptions options);

  /// Builds the layers from `options`.
  void
  reset() override;

  /// A copy with parameters of its own: this module built anew from its options, the tensors copied
  /// by name. (Cloneable's own clone() would copy the layers through Sequential::clone, which drops
  /// their names, and with them the names of the parameters that model files store.)
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

  void
  pretty_print(std::ostream & stream) const override;

  /// Maps features (N, inputChannels(), spatial...) to an image batch (N, out_channels, spatial · 2^upsamplings).
  torch::Tensor
  forward(const torch::Tensor & input);

  /// width · 2^upsamplings
  int64_t
  inputChannels() const;

  /// The options the layers were built from (reset() rebuilds them).
  DecoderOptions options;

private:
  torch::nn::Sequential layers_{ nullptr };
};
TORCH_MODULE(ProjectionDecoder);

} // namespace revgan
