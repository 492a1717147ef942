#include "revgan/GeneratorSpec.h"

#include <stdexcept>

namespace revgan
{

GeneratorKind
parseGeneratorKind(const std::string & name)
{
  if (name == "revgan")
    return GeneratorKind::RevGAN;
  if (name == "resnet")
    return GeneratorKind::ResNet;
  if (name == "srcnn")
    return GeneratorKind::SRCNN;
  if (name == "edsr-f")
    return GeneratorKind::EDSRF;
  throw std::invalid_argument("unknown generator '" + name + "' (expected revgan, resnet, srcnn or edsr-f)");
}

std::string
toString(GeneratorKind kind)
{
  switch (kind)
  {
    case GeneratorKind::RevGAN:
      return "revgan";
    case GeneratorKind::ResNet:
      return "resnet";
    case GeneratorKind::SRCNN:
      return "srcnn";
    case GeneratorKind::EDSRF:
      return "edsr-f";
  }
  return "unknown";
}

namespace
{

int64_t
defaultDownsamplings(GeneratorKind kind)
{
  switch (kind)
  {
    case GeneratorKind::RevGAN:
    case GeneratorKind::ResNet:
      return 2;
    case GeneratorKind::EDSRF:
      return 1;
    case GeneratorKind::SRCNN:
      break;
  }
  return 0;
}

} // namespace

void
GeneratorSpec::validate() const
{
  if (dimensions != 2 && dimensions != 3)
    throw std::invalid_argument("generator dimensions must be 2 or 3, got " + std::to_string(dimensions));
  if (channelsX < 1 || channelsY < 1)
    throw std::invalid_argument("generator channels must be positive, got X " + std::to_string(channelsX) + ", Y " +
                                std::to_string(channelsY));
  if (width < 1)
    throw std::invalid_argument("generator width must be positive, got " + std::to_string(width));
  if (depth < 0)
    throw std::invalid_argument("generator depth must not be negative, got " + std::to_string(depth));
  if (downsamplings < -1 || downsamplings > 6)
    throw std::invalid_argument("generator downsamplings must be between 0 and 6, got " +
                                std::to_string(downsamplings));
  if (residual && channelsX != channelsY)
    throw std::invalid_argument("a residual generator needs as many channels in X as in Y, got " +
                                std::to_string(channelsX) + " and " + std::to_string(channelsY));
  if (kind == GeneratorKind::SRCNN && downsamplings > 0)
    throw std::invalid_argument("SRCNN has no downsampling layers, got downsamplings " + std::to_string(downsamplings));
  if (kind == GeneratorKind::SRCNN && depth > 0 && width % 2 != 0)
    throw std::invalid_argument("SRCNN+kR needs an even width (its reversible blocks split channels in two), got " +
                                std::to_string(width));
}

EncoderOptions
GeneratorSpec::encoderOptions(int64_t inChannels) const
{
  EncoderOptions options(inChannels, width, dimensions);
  options.downsamplings(effectiveDownsamplings());
  switch (kind)
  {
    case GeneratorKind::RevGAN:
    case GeneratorKind::ResNet:
      break;
    case GeneratorKind::SRCNN:
      options.kernel_size(3).padding(PaddingMode::Replicate).normalization(Normalization::None);
      break;
    case GeneratorKind::EDSRF:
      options.kernel_size(5).padding(PaddingMode::Replicate);
      break;
  }
  return options;
}

DecoderOptions
GeneratorSpec::decoderOptions(int64_t outChannels) const
{
  DecoderOptions options(width, outChannels, dimensions);
  options.upsamplings(effectiveDownsamplings());
  switch (kind)
  {
    case GeneratorKind::RevGAN:
    case GeneratorKind::ResNet:
      break;
    case GeneratorKind::SRCNN:
      options.kernel_size(1).normalization(Normalization::None).tanh(false);
      break;
    case GeneratorKind::EDSRF:
      options.kernel_size(5).padding(PaddingMode::Replicate);
      break;
  }
  return options;
}

int64_t
GeneratorSpec::effectiveDownsamplings() const
{
  return downsamplings >= 0 ? downsamplings : defaultDownsamplings(kind);
}

int64_t
GeneratorSpec::coreChannels() const
{
  return width << effectiveDownsamplings();
}

int64_t
GeneratorSpec::sizeMultiple() const
{
  return int64_t{ 1 } << effectiveDownsamplings();
}

AdditiveCouplingOptions
GeneratorSpec::coreBlockOptions() const
{
  AdditiveCouplingOptions options(coreChannels(), dimensions);
  switch (kind)
  {
    case GeneratorKind::RevGAN:
    case GeneratorKind::ResNet:
      break;
    case GeneratorKind::SRCNN:
      // No normalization, and blocks that start as the identity: SRCNN+kR starts out as SRCNN.
      options.padding(PaddingMode::Replicate).normalization(Normalization::None).zero_init_last(true);
      break;
    case GeneratorKind::EDSRF:
      options.padding(PaddingMode::Replicate).pre_normalization(true).zero_init_last(true);
      break;
  }
  return options;
}

bool
GeneratorSpec::operator==(const GeneratorSpec & other) const
{
  return kind == other.kind && dimensions == other.dimensions && channelsX == other.channelsX &&
         channelsY == other.channelsY && width == other.width && depth == other.depth &&
         effectiveDownsamplings() == other.effectiveDownsamplings() && residual == other.residual;
}

} // namespace revgan
