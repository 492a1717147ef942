// SPDX-License-Identifier: Apache-2.0
#include "revgan/GeneratorTable.h"

#include "revgan/EnumNames.h"

#include <stdexcept>

namespace revgan
{

namespace
{

GeneratorDefinition
revganRow()
{
  GeneratorDefinition row;
  row.kind = GeneratorKind::RevGAN;
  row.name = "revgan";
  row.summary = "the paper's RevGAN: per-domain 7x7 encoders and decoders (two downsamplings) around one shared "
                "reversible core on 4 x width channels";
  row.family = GeneratorFamily::Invertible;
  row.downsamplings = 2;
  return row;
}

GeneratorDefinition
resnetRow()
{
  GeneratorDefinition row;
  row.kind = GeneratorKind::ResNet;
  row.name = "resnet";
  row.summary = "the CycleGAN/Pix2pix baseline: two ResNet generators, one per direction, of depth residual blocks";
  row.family = GeneratorFamily::OneWayPair;
  row.downsamplings = 2;
  return row;
}

// SRCNN's blocks have no normalization and start as the identity: SRCNN+kR starts out as SRCNN.
GeneratorDefinition
srcnnRow()
{
  GeneratorDefinition row;
  row.kind = GeneratorKind::SRCNN;
  row.name = "srcnn";
  row.summary = "SRCNN (the paper's section 5.3): 3x3 encoder and ReLU, 1x1 decoder; with depth k > 0, k reversible "
                "blocks on width channels in between (SRCNN+kR)";
  row.family = GeneratorFamily::Invertible;
  row.downsamplings = 0;
  row.fixedDownsamplings = true;
  row.encoder.kernelSize = 3;
  row.encoder.padding = PaddingMode::Replicate;
  row.encoder.normalization = Normalization::None;
  row.decoder.kernelSize = 1;
  row.decoder.normalization = Normalization::None;
  row.decoder.tanh = false;
  row.coreBlock.padding = PaddingMode::Replicate;
  row.coreBlock.normalization = Normalization::None;
  row.coreBlock.zeroInitLast = true;
  return row;
}

GeneratorDefinition
edsrfRow()
{
  GeneratorDefinition row;
  row.kind = GeneratorKind::EDSRF;
  row.name = "edsr-f";
  row.summary = "EDSR-F of the authors' code: 5x5 encoder with one downsampling, identity-initialised pre-normalised "
                "reversible blocks on 2 x width channels, decoder with one upsampling";
  row.family = GeneratorFamily::Invertible;
  row.downsamplings = 1;
  row.encoder.kernelSize = 5;
  row.encoder.padding = PaddingMode::Replicate;
  row.decoder.kernelSize = 5;
  row.decoder.padding = PaddingMode::Replicate;
  row.coreBlock.padding = PaddingMode::Replicate;
  row.coreBlock.preNormalization = true;
  row.coreBlock.zeroInitLast = true;
  return row;
}

const std::vector<GeneratorDefinition> kGeneratorTable{ revganRow(), resnetRow(), srcnnRow(), edsrfRow() };

} // namespace

const std::vector<GeneratorDefinition> &
generatorTable()
{
  return kGeneratorTable;
}

const GeneratorDefinition &
generatorDefinition(GeneratorKind kind)
{
  for (const GeneratorDefinition & row : kGeneratorTable)
    if (row.kind == kind)
      return row;
  throw std::invalid_argument("generator kind " + std::to_string(static_cast<int>(kind)) + " has no table row");
}

std::vector<std::string>
generatorNames()
{
  std::vector<std::string> names;
  for (const GeneratorDefinition & row : kGeneratorTable)
    names.emplace_back(row.name);
  return names;
}

GeneratorKind
parseGeneratorKind(const std::string & name)
{
  for (const GeneratorDefinition & row : kGeneratorTable)
    if (name == row.name)
      return row.kind;
  throw std::invalid_argument("unknown generator '" + name + "' (expected " + choiceList(generatorNames()) + ")");
}

std::string
toString(GeneratorKind kind)
{
  return generatorDefinition(kind).name;
}

} // namespace revgan
