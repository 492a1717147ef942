// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/EnumNames.h"

#include <string>

namespace revgan
{

/// How a convolution's border is filled before a 3×3(×3) kernel is applied.
enum class PaddingMode
{
  Reflect,
  Replicate,
  Zero
};

/// Normalization layer placed after each convolution of a coupling branch.
enum class Normalization
{
  Instance,
  Batch,
  None
};

/// What a training step recomputes instead of storing, from the fastest and largest to the
/// slowest and smallest. Naive stores every intermediate activation (plain autograd).
/// ReversibleCore: reversible sequences store only their output and reconstruct block inputs
/// during backward (Gomez et al. 2017); the layers around them (a RevGAN generator's encoders and
/// decoders) store theirs. Reversible: those layers too recompute their activations in backward,
/// so a generator call keeps little more than its input and output.
enum class GradientMode
{
  Naive,
  ReversibleCore,
  Reversible
};

/// Parse the lower-case names used on command lines ("reflect", "instance", "reversible", ...).
/// Throws std::invalid_argument naming the accepted values.
PaddingMode
parsePaddingMode(const std::string & name);
Normalization
parseNormalization(const std::string & name);
GradientMode
parseGradientMode(const std::string & name);

std::string
toString(PaddingMode mode);
std::string
toString(Normalization normalization);
std::string
toString(GradientMode mode);

} // namespace revgan

namespace revgan
{

/// Which way an invertible network is run: Forward maps domain X to Y, Inverse maps Y to X
/// with the same weights.
enum class Direction
{
  Forward,
  Inverse
};

Direction
parseDirection(const std::string & name);
std::string
toString(Direction direction);

} // namespace revgan
