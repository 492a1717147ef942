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
  EncoderOptions(int64_t in_channels, int64_t width, int64_t dimensions = 2)
    : in_channels_(in_channels)
    , width_(width)
    , dimensions_(dimensions)
  {
  }
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, width);
  TORCH_ARG(int64_t, dimensions);
  TORCH_ARG(int64_t, kernel_size) = 7;
  TORCH_ARG(int64_t, downsamplings) = 2;
  TORCH_ARG(PaddingMode, padding) = PaddingMode::Reflect;
  TORCH_ARG(Normalization, normalization) = Normalization::Instance;
};

/// Options of a projection decoder: per upsampling transposed conv 3 stride 2 (channels halving),
/// norm, ReLU; then pad, conv k (width → out), and tanh if `tanh`. SRCNN's decoder: k = 1, no
/// upsampling, no tanh.
struct DecoderOptions
{
  DecoderOptions(int64_t width, int64_t out_channels, int64_t dimensions = 2)
    : width_(width)
    , out_channels_(out_channels)
    , dimensions_(dimensions)
  {
  }
  TORCH_ARG(int64_t, width);
  TORCH_ARG(int64_t, out_channels);
  TORCH_ARG(int64_t, dimensions);
  TORCH_ARG(int64_t, kernel_size) = 7;
  TORCH_ARG(int64_t, upsamplings) = 2;
  TORCH_ARG(PaddingMode, padding) = PaddingMode::Reflect;
  TORCH_ARG(Normalization, normalization) = Normalization::Instance;
  TORCH_ARG(bool, tanh) = true;
};

/// \brief Maps an image of one domain into the feature space of a generator's core.
class LiftingEncoderImpl : public torch::nn::Cloneable<LiftingEncoderImpl>
{
public:
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

  torch::Tensor
  forward(const torch::Tensor & input);

  /// width · 2^downsamplings
  int64_t
  outputChannels() const;

  EncoderOptions options;

private:
  torch::nn::Sequential layers_{ nullptr };
};
TORCH_MODULE(LiftingEncoder);

/// \brief Maps core features back to an image of one domain.
class ProjectionDecoderImpl : public torch::nn::Cloneable<ProjectionDecoderImpl>
{
public:
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

  torch::Tensor
  forward(const torch::Tensor & input);

  /// width · 2^upsamplings
  int64_t
  inputChannels() const;

  DecoderOptions options;

private:
  torch::nn::Sequential layers_{ nullptr };
};
TORCH_MODULE(ProjectionDecoder);

} // namespace revgan
