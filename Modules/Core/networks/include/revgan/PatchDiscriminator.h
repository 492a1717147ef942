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

/// Options of a PatchGAN discriminator (PatchDiscriminatorImpl).
struct PatchDiscriminatorOptions
{
  /// Options for a discriminator of `in_channels` channels in `dimensions` spatial dimensions, other fields at
  /// their defaults.
  PatchDiscriminatorOptions(int64_t in_channels, int64_t dimensions = 2)
    : in_channels_(in_channels)
    , dimensions_(dimensions)
  {
  }
  /// Channels of what is judged; a conditional (paired) discriminator sees input and output
  /// concatenated, e.g. 6 for RGB pairs.
  TORCH_ARG(int64_t, in_channels);
  /// 2 for images, 3 for volumes.
  TORCH_ARG(int64_t, dimensions);
  /// ndf: channels of the first layer.
  TORCH_ARG(int64_t, width) = 64;
  /// Stride-2 layers: 3 gives the 2D "70×70" PatchGAN; the 3D default is 2.
  TORCH_ARG(int64_t, strided_layers) = 3;
  /// Normalization layer after every convolution but the first and the last (None: LeakyReLU alone).
  TORCH_ARG(Normalization, normalization) = Normalization::Instance;
};

/// \brief PatchGAN discriminator: conv 4 stride 2 (in → ndf), LeakyReLU 0.2; conv 4 stride 2 with
/// channels doubling (at most 8·ndf), norm, LeakyReLU, for each further strided layer; conv 4
/// stride 1, norm, LeakyReLU; conv 4 stride 1 → 1 channel of per-patch logits. Padding 1.
class PatchDiscriminatorImpl : public torch::nn::Cloneable<PatchDiscriminatorImpl>
{
public:
  /// The layers of `options`, with N(0, 0.02) weights.
  explicit PatchDiscriminatorImpl(PatchDiscriminatorOptions options);

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

  /// Judges a batch `input` (N, in_channels, spatial...): (N, 1, patches...) scores, one per overlapping
  /// patch, which the adversarial loss compares with the label real (1) or fake (0).
  torch::Tensor
  forward(const torch::Tensor & input);

  /// The options the layers were built from (reset() rebuilds them).
  PatchDiscriminatorOptions options;

private:
  torch::nn::Sequential layers_{ nullptr };
};
TORCH_MODULE(PatchDiscriminator);

} // namespace revgan
