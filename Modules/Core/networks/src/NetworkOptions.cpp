// SPDX-License-Identifier: Apache-2.0
#include "revgan/NetworkOptions.h"

#include "revgan/EnumNames.h"

namespace revgan
{

namespace
{

constexpr EnumName<PaddingMode>   kPaddingModes[]{ { PaddingMode::Reflect, "reflect" },
                                                   { PaddingMode::Replicate, "replicate" },
                                                   { PaddingMode::Zero, "zero" } };
constexpr EnumName<Normalization> kNormalizations[]{ { Normalization::Instance, "instance" },
                                                     { Normalization::Batch, "batch" },
                                                     { Normalization::None, "none" } };
constexpr EnumName<GradientMode>  kGradientModes[]{ { GradientMode::Naive, "naive" },
                                                    { GradientMode::ReversibleCore, "reversible-core" },
                                                    { GradientMode::Reversible, "reversible" } };
constexpr EnumName<Direction>     kDirections[]{ { Direction::Forward, "forward" }, { Direction::Inverse, "inverse" } };

} // namespace

PaddingMode
parsePaddingMode(const std::string & name)
{
  return parseEnumName(kPaddingModes, name, "padding mode");
}

Normalization
parseNormalization(const std::string & name)
{
  return parseEnumName(kNormalizations, name, "normalization");
}

GradientMode
parseGradientMode(const std::string & name)
{
  return parseEnumName(kGradientModes, name, "gradient mode");
}

Direction
parseDirection(const std::string & name)
{
  return parseEnumName(kDirections, name, "direction");
}

std::string
toString(PaddingMode mode)
{
  return enumName(kPaddingModes, mode);
}

std::string
toString(Normalization normalization)
{
  return enumName(kNormalizations, normalization);
}

std::string
toString(GradientMode mode)
{
  return enumName(kGradientModes, mode);
}

std::string
toString(Direction direction)
{
  return enumName(kDirections, direction);
}

} // namespace revgan
