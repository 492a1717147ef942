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
  explicit TranslationGenerator(GeneratorSpec spec)
    : spec_(std::move(spec))
  {
  }

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
  explicit RevGANGeneratorImpl(const GeneratorSpec & spec, GradientMode mode = GradientMode::Reversible);

  torch::Tensor
  forward(const torch::Tensor & x) override;
  torch::Tensor
  inverse(const torch::Tensor & y) override;
  void
  setGradientMode(GradientMode mode) override;

  /// A generator of the same spec and gradient mode with copies of the weights (on `device` when
  /// given).
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

  void
  pretty_print(std::ostream & stream) const override;

  LiftingEncoder     encoderX{ nullptr };
  LiftingEncoder     encoderY{ nullptr };
  ReversibleSequence core{ nullptr };
  ProjectionDecoder  decoderX{ nullptr };
  ProjectionDecoder  decoderY{ nullptr };

private:
  GradientMode gradientMode_{ GradientMode::Reversible };
};
TORCH_MODULE(RevGANGenerator);

/// \brief x + (pad, conv, norm, ReLU, pad, conv, norm)(x) — the CycleGAN ResNet block.
class ResidualBlockImpl : public torch::nn::Cloneable<ResidualBlockImpl>
{
public:
  ResidualBlockImpl(int64_t channels, int64_t dimensions);

  /// Builds the branch.
  void
  reset() override;

  /// A copy with parameters of its own: this module built anew from its options, the tensors copied
  /// by name. (Cloneable's own clone() would copy the layers through Sequential::clone, which drops
  /// their names, and with them the names of the parameters that model files store.)
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

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
  ResnetGeneratorImpl(const GeneratorSpec & spec, int64_t inChannels, int64_t outChannels);

  /// Builds the layers.
  void
  reset() override;

  /// A copy with parameters of its own: this module built anew from its options, the tensors copied
  /// by name. (Cloneable's own clone() would copy the layers through Sequential::clone, which drops
  /// their names, and with them the names of the parameters that model files store.)
  std::shared_ptr<torch::nn::Module>
  clone(const c10::optional<torch::Device> & device = c10::nullopt) const override;

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
  explicit ResnetGeneratorPairImpl(const GeneratorSpec & spec);

  torch::Tensor
  forward(const torch::Tensor & x) override;
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

  ResnetGenerator xToY{ nullptr };
  ResnetGenerator yToX{ nullptr };
};
TORCH_MODULE(ResnetGeneratorPair);

/// Builds the generator `spec` describes (validated first), with N(0, 0.02) weights.
std::shared_ptr<TranslationGenerator>
makeGenerator(const GeneratorSpec & spec, GradientMode mode = GradientMode::Reversible);

} // namespace revgan
