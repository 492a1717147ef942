// SPDX-License-Identifier: Apache-2.0
#pragma once
// The building blocks of model files that checkpoints (TrainerCheckpoint.cpp) share: archives
// opened with their checks, records read with errors naming the file, weights with a checksum.
// Private to revgan_core; what a user of the toolkit needs is in revgan/ModelFile.h.

#include "revgan/ModelFile.h"

#include <torch/serialize/archive.h>

#include <string>

namespace revgan
{

/// The oldest version that can hold a model with this normalization and input frame.
int64_t
modelFormatVersion(const IntensityNormalization & normalization, const DomainFrame & frameX);

void
writeModel(torch::serialize::OutputArchive & archive,
           const TranslationGenerator &      generator,
           const IntensityNormalization &    normalization,
           const DomainFrame &               frameX,
           const DomainFrame &               frameY);
/// The architecture, intensity normalization and frames of a model archive, without building the
/// network (`generator` stays empty).
Model
readModelDescription(torch::serialize::InputArchive & archive, const std::string & path);
/// readModelDescription, then the network built and its weights loaded.
Model
readModel(torch::serialize::InputArchive & archive, const std::string & path, GradientMode mode);
/// Parameters and buffers by name, with a checksum.
void
writeWeights(torch::serialize::OutputArchive & archive, const torch::nn::Module & module);
/// Loads what writeWeights wrote into a module of the same architecture; names, shapes and the
/// checksum must match.
void
readWeights(torch::serialize::InputArchive & archive, torch::nn::Module & module, const std::string & path);
/// Parses the bytes of a model file or checkpoint record: checkModelArchive, then LibTorch's
/// reader, then every tensor checked to lie inside the memory stored for it. Throws
/// ModelFileError naming `path` otherwise.
torch::serialize::InputArchive
parseArchive(const std::string & bytes, const std::string & path);
/// Opens an archive with parseArchive and checks its format name (`expectedFormat`, or "revgan-model" /
/// "revgan-checkpoint" when empty) and version.
torch::serialize::InputArchive
openArchive(const std::string & path, const std::string & expectedFormat = {});
/// Writes `archive` to `path` with writeFileAtomically: a failed write (full disk, unwritable
/// folder) throws std::runtime_error naming `path` and leaves the file already there unchanged.
void
saveArchive(torch::serialize::OutputArchive & archive, const std::string & path);
/// The bytes of `archive` as a file would hold them (for archives kept in memory or nested as
/// tensors), and those bytes as a uint8 tensor and back.
std::string
archiveBytes(torch::serialize::OutputArchive & archive);
torch::Tensor
bytesTensor(const std::string & bytes);
std::string
tensorBytes(const torch::Tensor & tensor);
/// Reads `key` from `archive`, or throws ModelFileError naming `path` and the key.
c10::IValue
readValue(torch::serialize::InputArchive & archive, const std::string & key, const std::string & path);
/// Reads the nested archive `key`, or throws ModelFileError naming `path` and the key.
torch::serialize::InputArchive
readArchive(torch::serialize::InputArchive & archive, const std::string & key, const std::string & path);

} // namespace revgan
