// SPDX-License-Identifier: Apache-2.0
#include "revgan/GeneratorTable.h"

#include "revgan/EnumNames.h"

#include <stdexcept>

namespace revgan
{

namespace
{

// Field order: kind, name, summary, family, downsamplings, fixed, encoder, decoder, core block,
// benchmark width, benchmarked paired, benchmarked by default in. {} keeps the toolkit's defaults (7×7 reflect-padded
// outer layers with instance normalization and a tanh output; reflect-padded, instance-normalized blocks).
const std::vector<GeneratorDefinition> kGeneratorTable{
  { GeneratorKind::RevGAN,
    "revgan",
    "the paper's RevGAN: per-domain 7x7 encoders and decoders (two downsamplings) around one shared "
    "reversible core on 4 x width channels",
    GeneratorFamily::Invertible,
    2,
    false,
    {},
    {},
    {},
    56, // ≈ 3.9 M parameters at depth 6, as resnet at width 32: the paper's Table 5 compares them
    false,
    2 },
  { GeneratorKind::ResNet,
    "resnet",
    "the CycleGAN/Pix2pix baseline: two ResNet generators, one per direction, of depth residual blocks",
    GeneratorFamily::OneWayPair,
    2,
    false,
    {},
    {},
    {},
    32,
    false,
    2 },
  // SRCNN's blocks have no normalization and start as the identity: SRCNN+kR starts out as SRCNN.
  { GeneratorKind::SRCNN,
    "srcnn",
    "SRCNN (the paper's section 5.3): 3x3 encoder and ReLU, 1x1 decoder; with depth k > 0, k reversible "
    "blocks on width channels in between (SRCNN+kR)",
    GeneratorFamily::Invertible,
    0,
    true,
    { 3, PaddingMode::Replicate, Normalization::None, true },
    { 1, PaddingMode::Reflect, Normalization::None, false },
    { PaddingMode::Replicate, Normalization::None, false, true },
    64,
    true,
    3 },
  { GeneratorKind::EDSRF,
    "edsr-f",
    "EDSR-F of the authors' code: 5x5 encoder with one downsampling, identity-initialised pre-normalised "
    "reversible blocks on 2 x width channels, decoder with one upsampling",
    GeneratorFamily::Invertible,
    1,
    false,
    { 5, PaddingMode::Replicate, Normalization::Instance, true },
    { 5, PaddingMode::Replicate, Normalization::Instance, true },
    { PaddingMode::Replicate, Normalization::Instance, true, true },
    32,
    true,
    0 },
};

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

std::vector<std::string>
defaultBenchmarkModels(unsigned int dimensions)
{
  std::vector<std::string> names;
  for (const GeneratorDefinition & row : kGeneratorTable)
    if (row.benchmarkedByDefaultIn == dimensions)
      names.emplace_back(row.name);
  return names;
}

} // namespace revgan
