// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/BidirectionalModule.h"
#include "revgan/CouplingBranch.h"
#include "revgan/EncoderDecoder.h"
#include "revgan/GeneratorSpec.h"
#include "revgan/ReversibleSequence.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include <memory>
#include <ostream>

namespace revgan
{

/// \brief A generator that translates X→Y (forward) and Y→X (inverse), built from a GeneratorSpec.
class TranslationGenerator
  : public torch::nn::Module
  , public BidirectionalModule
{
public:
  /// Records `spec`; the subclass builds the layers.
  explicit TranslationGenerator(GeneratorSpec spec)
    : spec_(std::move(spec))
  {
  }

  /// The description this generator was built from (what model files store).
  const GeneratorSpec &
  spec() const
  {
    return spec_;
  }

  /// Naive or reversible backpropagation through the reversible core; no effect on networks
  /// without one.
  virtual void
  setGradientMode(GradientMode mode) = 0;

private:
  GeneratorSpec spec_;
};

/// \brief RevGAN generator: forward = Dec_Y ∘ C ∘ Enc_X, inverse = Dec_X ∘ C⁻¹ ∘ Enc_Y.
///
/// Each domain has its own encoder and decoder; the reversible core C is shared, so training one
/// direction also trains the other through it. Used for the paper's 2D RevGAN, SRCNN(+kR) and
/// EDSR-F. In GradientMode::Reversible the core reconstructs its activations and the encoders and
/// decoders recompute theirs in backward (see Recomputation.h), so a training step stores little
/// more than each call's input and output; in GradientMode::ReversibleCore only the core
/// reconstructs; in GradientMode::Naive plain autograd stores all.
class RevGANGeneratorImpl : public TranslationGenerator
{
public:
  /// Builds the encoders, core and decoders of a validated `spec` (throws std::invalid_argument otherwise),
  /// with LibTorch's default weights (makeGenerator draws the paper's), in gradient mode `mode`.
  explicit RevGANGeneratorImpl(const GeneratorSpec & spec, GradientMode mode = GradientMode::Reversible);

  /// Y = Dec_Y(C(Enc_X(x))) for a batch `x` (N, channelsX, spatial...), plus `x` for a residual spec.
  torch::Tensor
  forward(const torch::Tensor & x) override;
  /// X = Dec_X(C⁻¹(Enc_Y(y))) for a batch `y` (N, channelsY, spatial...), plus `y` for a residual spec.
  torch::Tensor
  inverse(const torch::Tensor & y) override;
  /// Sets what backward recomputes: in the core, and in Reversible mode also in the encoders and decoders.
  void
  setGradientMode(GradientMode mode) override;

  /// A generator of the same spec and gradient mode with copies of the weights (on `device` when
  /// given).
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

  void
  pretty_print(std::ostream & stream) const override;

  /// Enc_X: domain X images to core features (used by forward).
  LiftingEncoder encoderX{ nullptr };
  /// Enc_Y: domain Y images to core features (used by inverse).
  LiftingEncoder encoderY{ nullptr };
  /// C: the shared reversible core of spec().depth coupling blocks on spec().coreChannels() channels.
  ReversibleSequence core{ nullptr };
  /// Dec_X: core features to domain X images (used by inverse).
  ProjectionDecoder decoderX{ nullptr };
  /// Dec_Y: core features to domain Y images (used by forward).
  ProjectionDecoder decoderY{ nullptr };

private:
  GradientMode gradientMode_{ GradientMode::Reversible };
};
TORCH_MODULE(RevGANGenerator);

/// \brief x + (pad, conv, norm, ReLU, pad, conv, norm)(x) — the CycleGAN ResNet block.
class ResidualBlockImpl : public torch::nn::Cloneable<ResidualBlockImpl>
{
public:
  /// A block on `channels` channels in `dimensions` (2 or 3) spatial dimensions, with the paper's
  /// branch layers (3×3 convolutions, reflect padding, instance normalization).
  ResidualBlockImpl(int64_t channels, int64_t dimensions);

  /// Builds the branch.
  void
  reset() override;

  /// A copy with parameters of its own: this module built anew from its options, the tensors copied
  /// by name. (Cloneable's own clone() would copy the layers through Sequential::clone, which drops
  /// their names, and with them the names of the parameters that model files store.)
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

  /// x + branch(x) for `x` (N, channels, spatial...); same shape out.
  torch::Tensor
  forward(const torch::Tensor & x);

  void
  pretty_print(std::ostream & stream) const override;

  /// The branch's options, on 2 · channels (a coupling branch works on half of its block's).
  AdditiveCouplingOptions options;

private:
  CouplingBranch branch_{ nullptr };
};
TORCH_MODULE(ResidualBlock);

/// \brief One CycleGAN/Pix2pix ResNet generator: encoder, `depth` residual blocks, decoder.
class ResnetGeneratorImpl : public torch::nn::Cloneable<ResnetGeneratorImpl>
{
public:
  /// A network from `inChannels` to `outChannels` image channels with the encoder, depth and decoder of `spec`
  /// (validated: throws std::invalid_argument).
  ResnetGeneratorImpl(const GeneratorSpec & spec, int64_t inChannels, int64_t outChannels);

  /// Builds the layers.
  void
  reset() override;

  /// A copy with parameters of its own: this module built anew from its options, the tensors copied
  /// by name. (Cloneable's own clone() would copy the layers through Sequential::clone, which drops
  /// their names, and with them the names of the parameters that model files store.)
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

  /// Maps a batch `x` (N, inChannels, spatial...) to (N, outChannels, spatial...).
  torch::Tensor
  forward(const torch::Tensor & x);

  void
  pretty_print(std::ostream & stream) const override;

private:
  GeneratorSpec         spec_;
  int64_t               inChannels_;
  int64_t               outChannels_;
  torch::nn::Sequential layers_{ nullptr };
};
TORCH_MODULE(ResnetGenerator);

/// \brief The baseline's two generators: forward is the X→Y network, inverse the separate Y→X one.
class ResnetGeneratorPairImpl : public TranslationGenerator
{
public:
  /// Builds both networks of `spec` (throws std::invalid_argument for an invalid spec).
  explicit ResnetGeneratorPairImpl(const GeneratorSpec & spec);

  /// Y = xToY(x) for a batch `x` (N, channelsX, spatial...), plus `x` for a residual spec.
  torch::Tensor
  forward(const torch::Tensor & x) override;
  /// X = yToX(y) for a batch `y` (N, channelsY, spatial...), plus `y` for a residual spec.
  torch::Tensor
  inverse(const torch::Tensor & y) override;
  void
  setGradientMode(GradientMode) override
  {
  }

  /// A pair of the same spec with copies of the weights (on `device` when given).
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

  void
  pretty_print(std::ostream & stream) const override;

  /// The X→Y network (forward).
  ResnetGenerator xToY{ nullptr };
  /// The Y→X network (inverse), with weights of its own.
  ResnetGenerator yToX{ nullptr };
};
TORCH_MODULE(ResnetGeneratorPair);

/// Builds the generator `spec` describes (validated first), with N(0, 0.02) weights.
std::shared_ptr<TranslationGenerator>
makeGenerator(const GeneratorSpec & spec, GradientMode mode = GradientMode::Reversible);

} // namespace revgan
