#pragma once

#include <torch/types.h>

#include <vector>

namespace revgan
{

/// \brief The linear intensity mapping used in training, per domain and channel:
/// network value = (value − offset) / scale. Stored in model files so that inference applies the
/// same mapping and its inverse.
struct IntensityNormalization
{
  /// One entry per channel, or one entry for all channels; empty means identity.
  std::vector<double> offsetX, scaleX, offsetY, scaleY;

  /// Maps raw intensities of (N, C, spatial...) or (C, spatial...) data to network values.
  torch::Tensor
  normalize(const torch::Tensor & data, bool domainY) const;

  /// Maps network values back to raw intensities.
  torch::Tensor
  denormalize(const torch::Tensor & data, bool domainY) const;

  /// The mapping that sends [low, high] to [−1, 1] for every channel of a domain.
  static void
  setRange(std::vector<double> & offset, std::vector<double> & scale, double low, double high);

  bool
  operator==(const IntensityNormalization & other) const;
};

} // namespace revgan
