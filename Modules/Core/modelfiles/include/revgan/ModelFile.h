#pragma once

#include "revgan/DomainFrame.h"
#include "revgan/GeneratorSpec.h"
#include "revgan/Generators.h"
#include "revgan/IntensityNormalization.h"

#include <torch/serialize/archive.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace revgan
{

/// Versions of the model and checkpoint file layout this build reads. Version 2 adds the
/// log-Euclidean tensor domain; files of models that do not use it are still written as version 1,
/// so that earlier builds keep reading them, while they refuse version 2 instead of misreading it.
constexpr int64_t kOldestModelFormatVersion = 1;
constexpr int64_t kModelFormatVersion = 2;

struct IntensityNormalization;
/// The oldest version that can hold a model with this normalization.
int64_t
modelFormatVersion(const IntensityNormalization & normalization);

/// A problem with a model or checkpoint file; the message names the file.
class ModelFileError : public std::runtime_error
{
public:
  ModelFileError(const std::string & path, const std::string & problem)
    : std::runtime_error("model file '" + path + "': " + problem)
  {
  }
};

/// A trained generator with everything needed to use it.
struct Model
{
  GeneratorSpec          spec;
  IntensityNormalization normalization;
  /// The frames of the X and Y training images (not recorded by earlier builds: empty).
  DomainFrame                           frameX, frameY;
  std::shared_ptr<TranslationGenerator> generator;
};

/// Writes a model file: format name and version, the architecture, the intensity normalization,
/// the frames of the training images, the weights and a checksum of them. Written to a temporary
/// name and renamed.
void
saveModel(const std::string &            path,
          const TranslationGenerator &   generator,
          const IntensityNormalization & normalization,
          const DomainFrame &            frameX = {},
          const DomainFrame &            frameY = {});

/// Rebuilds the generator a model file (or a checkpoint) describes and loads its weights.
/// Throws ModelFileError for a missing, truncated, corrupted, foreign, wrong-version or
/// inconsistent file.
Model
loadModel(const std::string & path, GradientMode mode = GradientMode::Reversible);

/// \name Building blocks shared with checkpoints
/// @{
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
/// Reads `key` from `archive`, or throws ModelFileError naming `path` and the key.
c10::IValue
readValue(torch::serialize::InputArchive & archive, const std::string & key, const std::string & path);
/// Reads the nested archive `key`, or throws ModelFileError naming `path` and the key.
torch::serialize::InputArchive
readArchive(torch::serialize::InputArchive & archive, const std::string & key, const std::string & path);
/// @}

} // namespace revgan
