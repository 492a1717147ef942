// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/Generators.h"
#include "revgan/IntensityNormalization.h"

#include <torch/types.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace revgan
{

/// \brief Held-out pairs on which a Trainer measures its generator while it trains.
///
/// Each x[i] and y[i] is one whole image (C, spatial...) in the network's values (normalized as
/// the training images are); mask[i], if given, (1, spatial...) or (spatial...), nonzero = scored.
/// The generator translates each image whole — in slabs along its last axis, each with a margin
/// of context that is cut off again, so that large volumes fit in memory — and the error is
/// measured in y's own units (denormalized, through the matrix exponential for a log-tensor
/// domain), as revgan-evaluate measures it: the root of the mean squared difference over every
/// component of every scored voxel.
class ValidationSet
{
public:
  ValidationSet() = default;
  /// Throws std::invalid_argument if the counts or sizes do not match or an image is too small.
  ValidationSet(std::vector<torch::Tensor> x, std::vector<torch::Tensor> y, std::vector<torch::Tensor> masks = {});

  /// Whether the set has no images (a Trainer given an empty set does not validate).
  bool
  empty() const
  {
    return x_.empty();
  }

  /// Scored voxels over all images.
  int64_t
  scoredVoxels() const;

  /// The generator's forward RMSE over the set, in y's units. The generator is put in evaluation
  /// mode and back into training mode; no gradient is recorded.
  double
  rmse(TranslationGenerator &         generator,
       const IntensityNormalization & normalization,
       torch::Device                  device,
       torch::ScalarType              dtype) const;

private:
  /// The generator's output for all of image `x` (C, spatial...), translated in slabs.
  torch::Tensor
  translate(TranslationGenerator & generator,
            const torch::Tensor &  x,
            torch::Device          device,
            torch::ScalarType      dtype) const;

  std::vector<torch::Tensor> x_;
  std::vector<torch::Tensor> y_;
  std::vector<torch::Tensor> masks_;
};

/// \brief Images split along their last axis (z of a volume, y of a 2D image): the first slices
/// to train on, the last `fraction` of them (at least one, and one left to train on) held out.
struct SliceSplit
{
  /// The first slices of each image, to train on.
  std::vector<torch::Tensor> kept;
  /// The last slices of each image, held out for validation.
  std::vector<torch::Tensor> heldOut;
};

/// Splits each image (C, spatial...) or mask as SliceSplit describes; `fraction` in (0, 1).
/// Throws std::invalid_argument if an image has fewer than two slices.
SliceSplit
splitLastSlices(const std::vector<torch::Tensor> & images, double fraction);

} // namespace revgan
