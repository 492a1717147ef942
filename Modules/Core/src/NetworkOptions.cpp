#include "revgan/NetworkOptions.h"

#include <stdexcept>

namespace revgan
{

PaddingMode
parsePaddingMode(const std::string & name)
{
  if (name == "reflect")
    return PaddingMode::Reflect;
  if (name == "replicate")
    return PaddingMode::Replicate;
  if (name == "zero")
    return PaddingMode::Zero;
  throw std::invalid_argument("unknown padding mode '" + name + "' (expected reflect, replicate or zero)");
}

Normalization
parseNormalization(const std::string & name)
{
  if (name == "instance")
    return Normalization::Instance;
  if (name == "batch")
    return Normalization::Batch;
  if (name == "none")
    return Normalization::None;
  throw std::invalid_argument("unknown normalization '" + name + "' (expected instance, batch or none)");
}

GradientMode
parseGradientMode(const std::string & name)
{
  if (name == "naive")
    return GradientMode::Naive;
  if (name == "reversible")
    return GradientMode::Reversible;
  throw std::invalid_argument("unknown gradient mode '" + name + "' (expected naive or reversible)");
}

std::string
toString(PaddingMode mode)
{
  switch (mode)
  {
    case PaddingMode::Reflect:
      return "reflect";
    case PaddingMode::Replicate:
      return "replicate";
    case PaddingMode::Zero:
      return "zero";
  }
  return "unknown";
}

std::string
toString(Normalization normalization)
{
  switch (normalization)
  {
    case Normalization::Instance:
      return "instance";
    case Normalization::Batch:
      return "batch";
    case Normalization::None:
      return "none";
  }
  return "unknown";
}

std::string
toString(GradientMode mode)
{
  switch (mode)
  {
    case GradientMode::Naive:
      return "naive";
    case GradientMode::Reversible:
      return "reversible";
  }
  return "unknown";
}

} // namespace revgan

namespace revgan
{

Direction
parseDirection(const std::string & name)
{
  if (name == "forward")
    return Direction::Forward;
  if (name == "inverse")
    return Direction::Inverse;
  throw std::invalid_argument("unknown direction '" + name + "' (expected forward or inverse)");
}

std::string
toString(Direction direction)
{
  return direction == Direction::Forward ? "forward" : "inverse";
}

} // namespace revgan
