// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/CouplingOptions.h"
#include "revgan/EncoderDecoder.h"
#include "revgan/GeneratorTable.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace revgan
{

/// \brief Complete description of a generator: enough to rebuild it (model files store it).
struct GeneratorSpec
{
  /// The architecture: which row of the generator table (GeneratorTable.h) the layers follow.
  GeneratorKind kind{ GeneratorKind::RevGAN };
  /// 2 for images, 3 for volumes.
  int64_t dimensions{ 2 };
  /// Channels of domain X (input of forward, output of inverse).
  int64_t channelsX{ 3 };
  /// Channels of domain Y (output of forward, input of inverse).
  int64_t channelsY{ 3 };
  /// ngf: channels after the first encoder convolution.
  int64_t width{ 64 };
  /// Reversible blocks of the core, or residual blocks of the ResNet baseline.
  int64_t depth{ 9 };
  /// Stride-2 layers of the encoder (and transposed ones of the decoder); −1: the kind's own
  /// (GeneratorDefinition::downsamplings).
  int64_t downsamplings{ -1 };
  /// Add each direction's input to its output (the network learns a correction, as in VDSR);
  /// needs channelsX == channelsY. For super-resolution, where the input is already close.
  bool residual{ false };

  /// Throws std::invalid_argument naming the first inconsistent field.
  void
  validate() const;

  /// Options of an encoder from `inChannels` image channels: this spec's width, dimensions and
  /// effective downsamplings with the kind's encoder layer (GeneratorDefinition::encoder).
  EncoderOptions
  encoderOptions(int64_t inChannels) const;
  /// Options of a decoder to `outChannels` image channels: this spec's width, dimensions and
  /// effective downsamplings (as upsamplings) with the kind's decoder layer (GeneratorDefinition::decoder).
  DecoderOptions
  decoderOptions(int64_t outChannels) const;
  /// Options of the core's blocks (or, for ResNet, of the layers inside a residual block).
  AdditiveCouplingOptions
  coreBlockOptions() const;
  /// Channels of the core: width · 2^downsamplings (4·width for RevGAN and ResNet).
  int64_t
  coreChannels() const;
  /// The factor by which image sizes must be divisible (2^downsamplings).
  int64_t
  sizeMultiple() const;
  /// `downsamplings`, or the kind's own number when it is −1.
  int64_t
  effectiveDownsamplings() const;

  /// Whether both describe the same generator: all fields equal, downsamplings compared as
  /// effectiveDownsamplings() (so −1 equals the kind's own number).
  bool
  operator==(const GeneratorSpec & other) const;
};

/// The fields as LibTorch prints options: "kind=srcnn, dimensions=3, channels_x=1, channels_y=1,
/// width=32, depth=2, downsamplings=0, residual=true" (downsamplings as the kind has them).
std::ostream &
operator<<(std::ostream & out, const GeneratorSpec & spec);

} // namespace revgan
