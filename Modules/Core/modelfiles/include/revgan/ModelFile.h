// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/DomainFrame.h"
#include "revgan/GeneratorSpec.h"
#include "revgan/Generators.h"
#include "revgan/IntensityNormalization.h"

#include <memory>
#include <stdexcept>
#include <string>

namespace revgan
{

/// Versions of the model and checkpoint file layout this build reads. Version 2 adds the
/// log-Euclidean tensor domain, version 3 an input taken on a coarser grid (DomainFrame's
/// gridFactors); files of models that use neither are still written as version 1, so that earlier
/// builds keep reading them, while they refuse later versions instead of misreading them.
constexpr int64_t kOldestModelFormatVersion = 1;
constexpr int64_t kModelFormatVersion = 3;

/// A problem with a model or checkpoint file; the message names the file.
class ModelFileError : public std::runtime_error
{
public:
  /// An error whose message is "model file '<path>': <problem>".
  ModelFileError(const std::string & path, const std::string & problem)
    : std::runtime_error("model file '" + path + "': " + problem)
  {
  }
};

/// A trained generator with everything needed to use it.
struct Model
{
  /// The generator's architecture.
  GeneratorSpec spec;
  /// The mapping between raw intensities and network values of both domains.
  IntensityNormalization normalization;
  /// The frame of the X training images (not recorded by earlier builds: empty).
  DomainFrame frameX, frameY;
  /// \var frameY
  /// The frame of the Y training images (not recorded by earlier builds: empty).

  /// The generator with the file's weights, built for `spec` (X → Y forward, Y → X inverse).
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

} // namespace revgan
