#pragma once

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

/// How gradients of a reversible sequence are computed.
/// Naive stores every intermediate activation (plain autograd); Reversible stores only the
/// sequence's output and reconstructs block inputs during backward (Gomez et al. 2017).
enum class GradientMode
{
  Naive,
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
