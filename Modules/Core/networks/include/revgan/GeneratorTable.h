// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/NetworkOptions.h"

#include <cstdint>
#include <string>
#include <vector>

namespace revgan
{

/// The generator architectures of the toolkit; what each one is lies in its row of the generator
/// table (generatorDefinition).
enum class GeneratorKind
{
  RevGAN,
  ResNet,
  SRCNN,
  EDSRF
};

/// How a kind is built: one invertible network (an encoder per domain, one shared reversible core,
/// a decoder per domain: RevGANGenerator) or two one-way networks, one per direction
/// (ResnetGeneratorPair, whose residual blocks use the core's block settings).
enum class GeneratorFamily
{
  Invertible,
  OneWayPair
};

/// The convolution of an encoder's first layer or a decoder's last one.
struct OuterLayerChoice
{
  /// Side of the convolution's (square or cubic) kernel; odd, so that the size is kept.
  int64_t kernelSize{ 7 };
  /// How the convolution fills its border of kernelSize / 2 voxels.
  PaddingMode padding{ PaddingMode::Reflect };
  /// Normalization of the encoder's layers and of the decoder's upsampling layers.
  Normalization normalization{ Normalization::Instance };
  /// Decoders only: tanh on the output (images in [−1, 1]); off for regression to any value.
  bool tanh{ true };
};

/// The layers inside a reversible block's coupling branches (3×3 convolutions).
struct CoreBlockChoice
{
  /// How the branches' convolutions fill the border.
  PaddingMode padding{ PaddingMode::Reflect };
  /// Normalization layer of the branches (None: no layer).
  Normalization normalization{ Normalization::Instance };
  /// Normalize before each convolution instead of after it (EDSR-F).
  bool preNormalization{ false };
  /// Zero the last convolution, so that a block starts as the identity.
  bool zeroInitLast{ false };
};

/// \brief One row of the generator table: everything that sets a generator kind apart.
///
/// Adding a generator is adding a row (and a class only for a new family): GeneratorSpec builds
/// the layers from it, and revgan-train's `--generator` choices, its 3D Slicer enumeration and
/// revgan-bench's models are read from it. The table needs no LibTorch, so that the option layer,
/// which answers 3D Slicer's `--xml` at once, can read it too. Rows are written field by field
/// (GeneratorTable.cpp), so each value is read with its name.
struct GeneratorDefinition
{
  /// The kind this row describes.
  GeneratorKind kind{ GeneratorKind::RevGAN };
  /// The name on command lines and in model files.
  const char * name{ "" };
  /// One line for help texts.
  const char * summary{ "" };
  /// Whether the kind is one invertible network or a pair of one-way networks (which classes build it).
  GeneratorFamily family{ GeneratorFamily::Invertible };
  /// Stride-2 layers of the encoder (transposed ones in the decoder) unless a spec sets its own;
  /// `fixedDownsamplings`: no other number is allowed.
  int64_t downsamplings{ 2 };
  /// Whether `downsamplings` is the only number a spec may set (GeneratorSpec::validate refuses others).
  bool fixedDownsamplings{ false };
  /// The encoder's first layer. The defaults of this and the two layer choices below are the paper's
  /// (7×7 reflect-padded outer layers with instance normalization and a tanh output; reflect-padded,
  /// instance-normalized blocks).
  OuterLayerChoice encoder{};
  /// The decoder's last layer, the normalization of its upsamplings and its tanh.
  OuterLayerChoice decoder{};
  /// The coupling branches of the core's reversible blocks.
  CoreBlockChoice coreBlock{};
};

/// Every row, in the order of the choices offered to users.
const std::vector<GeneratorDefinition> &
generatorTable();
/// The row of `kind`.
const GeneratorDefinition &
generatorDefinition(GeneratorKind kind);
/// The names of every row: "revgan", "resnet", "srcnn", "edsr-f".
std::vector<std::string>
generatorNames();
/// The kind named `name`; throws std::invalid_argument listing the names otherwise.
GeneratorKind
parseGeneratorKind(const std::string & name);
std::string
toString(GeneratorKind kind);

} // namespace revgan
