// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/DomainFrame.h"
#include "revgan/NetworkOptions.h"
#include "revgan/PatchPredictor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace revgan
{

struct Model;

/// \brief Applies a trained model to batches of patches held in plain float buffers: the LibTorch
/// implementation of revgan::PatchPredictor.
///
/// This is the bridge between the ITK filters and LibTorch: its header includes no LibTorch (or
/// ITK) header, so image filters compile quickly and know nothing of tensors. The model's
/// intensity normalization is applied to the input and undone on the output, so callers work with
/// raw intensities. Inference runs without autograd, in eval mode, on the chosen device.
class ModelRunner : public PatchPredictor
{
public:
  /// Loads a model file. Throws revgan::ModelFileError (a std::runtime_error) naming the file on
  /// any problem, std::invalid_argument for an unknown or unavailable device.
  static std::shared_ptr<ModelRunner>
  fromFile(const std::string & path, const std::string & device = "cpu");

  /// Wraps a model already in memory (shared, not copied).
  static std::shared_ptr<ModelRunner>
  fromModel(const Model & model, const std::string & device = "cpu");

  ~ModelRunner() override;
  ModelRunner(const ModelRunner &) = delete;
  ModelRunner &
  operator=(const ModelRunner &) = delete;

  /// 2 or 3.
  int64_t
  dimensions() const override;
  /// Channels the network reads when run in `direction` (X for forward, Y for inverse).
  int64_t
  inputChannels(Direction direction) const override;
  /// Channels the network writes when run in `direction` (Y for forward, X for inverse).
  int64_t
  outputChannels(Direction direction) const override;
  /// The frame of the training images the network reads when run in `direction` (see
  /// DomainFrame.h): an input laid out otherwise can be reported with describeFrameDifference.
  const DomainFrame &
  inputFrame(Direction direction) const override;
  /// Spatial patch sizes must be multiples of this (2^downsamplings).
  int64_t
  sizeMultiple() const override;
  /// A one-line description, e.g. "revgan 2D, X 1 channel(s), Y 1 channel(s), width 8, depth 4".
  std::string
  description() const override;

  /// Runs the network on `batch` patches. `input` holds batch × inputChannels × Π spatial floats,
  /// channel-major then spatial in C order (last axis fastest); `spatial` lists the patch's
  /// extent from the slowest axis to the fastest. `output` receives batch × outputChannels × Π
  /// spatial floats in the same layout.
  void
  run(const float * input, float * output, int64_t batch, const std::vector<int64_t> & spatial, Direction direction)
    const override;

private:
  struct Impl;
  explicit ModelRunner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace revgan
