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
  GeneratorKind kind{ GeneratorKind::RevGAN };
  int64_t       dimensions{ 2 };
  /// Channels of domain X (input of forward) and domain Y (its output).
  int64_t channelsX{ 3 };
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

  EncoderOptions
  encoderOptions(int64_t inChannels) const;
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

  bool
  operator==(const GeneratorSpec & other) const;
};

/// The fields as LibTorch prints options: "kind=srcnn, dimensions=3, channels_x=1, channels_y=1,
/// width=32, depth=2, downsamplings=0, residual=true" (downsamplings as the kind has them).
std::ostream &
operator<<(std::ostream & out, const GeneratorSpec & spec);

} // namespace revgan
