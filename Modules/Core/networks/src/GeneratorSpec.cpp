// SPDX-License-Identifier: Apache-2.0
#include "revgan/GeneratorSpec.h"

#include <stdexcept>

namespace revgan
{

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
  const GeneratorDefinition & row = generatorDefinition(kind);
  if (row.fixedDownsamplings && downsamplings >= 0 && downsamplings != row.downsamplings)
    throw std::invalid_argument(std::string(row.name) + " has " + std::to_string(row.downsamplings) +
                                " downsampling layers and allows no other number, got downsamplings " +
                                std::to_string(downsamplings));
  if (row.family == GeneratorFamily::Invertible && depth > 0 && coreChannels() % 2 != 0)
    throw std::invalid_argument(std::string(row.name) + " with reversible blocks needs an even number of core " +
                                "channels (the blocks split them in two): width " + std::to_string(width) + " gives " +
                                std::to_string(coreChannels()));
}

EncoderOptions
GeneratorSpec::encoderOptions(int64_t inChannels) const
{
  EncoderOptions options(inChannels, width, dimensions);
  options.downsamplings(effectiveDownsamplings());
  const OuterLayerChoice & layer = generatorDefinition(kind).encoder;
  options.kernel_size(layer.kernelSize).padding(layer.padding).normalization(layer.normalization);
  return options;
}

DecoderOptions
GeneratorSpec::decoderOptions(int64_t outChannels) const
{
  DecoderOptions options(width, outChannels, dimensions);
  options.upsamplings(effectiveDownsamplings());
  const OuterLayerChoice & layer = generatorDefinition(kind).decoder;
  options.kernel_size(layer.kernelSize).padding(layer.padding).normalization(layer.normalization).tanh(layer.tanh);
  return options;
}

int64_t
GeneratorSpec::effectiveDownsamplings() const
{
  return downsamplings >= 0 ? downsamplings : generatorDefinition(kind).downsamplings;
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
  const CoreBlockChoice & block = generatorDefinition(kind).coreBlock;
  options.padding(block.padding)
    .normalization(block.normalization)
    .pre_normalization(block.preNormalization)
    .zero_init_last(block.zeroInitLast);
  return options;
}

bool
GeneratorSpec::operator==(const GeneratorSpec & other) const
{
  return kind == other.kind && dimensions == other.dimensions && channelsX == other.channelsX &&
         channelsY == other.channelsY && width == other.width && depth == other.depth &&
         effectiveDownsamplings() == other.effectiveDownsamplings() && residual == other.residual;
}

std::ostream &
operator<<(std::ostream & out, const GeneratorSpec & spec)
{
  return out << "kind=" << spec.kind << ", dimensions=" << spec.dimensions << ", channels_x=" << spec.channelsX
             << ", channels_y=" << spec.channelsY << ", width=" << spec.width << ", depth=" << spec.depth
             << ", downsamplings=" << spec.effectiveDownsamplings()
             << ", residual=" << (spec.residual ? "true" : "false");
}

} // namespace revgan
