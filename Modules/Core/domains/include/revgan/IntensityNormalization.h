// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <torch/types.h>

#include <vector>

namespace revgan
{

/// \brief The mapping from a domain's values to the network's, per domain: for DTI optionally the
/// log-Euclidean domain (matrix logarithm of each tensor), then a linear mapping per channel,
/// network value = (value − offset) / scale. Stored in model files so that inference applies the
/// same mapping and its inverse.
struct IntensityNormalization
{
  /// Offsets of domain X. Like the scales: one entry per channel, or one entry for all channels;
  /// empty (offsets and scales both) means identity.
  std::vector<double> offsetX, scaleX, offsetY, scaleY;
  /// \var scaleX
  /// Scales of domain X: network value = (value − offsetX) / scaleX.
  /// \var offsetY
  /// Offsets of domain Y, as offsetX.
  /// \var scaleY
  /// Scales of domain Y: network value = (value − offsetY) / scaleY.

  /// Whether a domain holds DTI tensors that the network sees as log D (revgan::tensorLogarithm,
  /// eigenvalues raised to the floor first) and gives back as exp: its outputs are then always
  /// positive definite.
  bool logTensorsX{ false }, logTensorsY{ false };
  /// \var logTensorsY
  /// Whether domain Y holds DTI tensors that the network sees as log D (see logTensorsX).

  /// Eigenvalue floor (> 0, in the tensors' units) of domain X's tensor logarithm; used only with logTensorsX.
  double tensorFloorX{ 0.0 }, tensorFloorY{ 0.0 };
  /// \var tensorFloorY
  /// Eigenvalue floor (> 0) of domain Y's tensor logarithm; used only with logTensorsY.

  /// Maps raw intensities of a batch (N, C, H, W) or (N, C, D, H, W) to network values: mapTensors,
  /// then mapIntensities. Pass batches only: an unbatched (C, D, H, W) volume cannot be told from a
  /// batch of images and would get the channel values along D (other shapes are refused).
  torch::Tensor
  normalize(const torch::Tensor & data, bool domainY) const;

  /// Maps network values of a batch back to raw intensities.
  torch::Tensor
  denormalize(const torch::Tensor & data, bool domainY) const;

  /// The first step of normalize alone: the tensor logarithm for a log-tensor domain, else the data
  /// (tensor fields with or without a batch axis, as revgan::tensorLogarithm takes them).
  torch::Tensor
  mapTensors(const torch::Tensor & data, bool domainY) const;

  /// The second step of normalize alone: the linear mapping.
  torch::Tensor
  mapIntensities(const torch::Tensor & data, bool domainY) const;

  /// Whether either domain is in the log-Euclidean domain.
  bool
  usesLogTensors() const
  {
    return logTensorsX || logTensorsY;
  }

  /// Whether all offsets, scales, log-tensor flags and floors are equal.
  bool
  operator==(const IntensityNormalization & other) const;
};

} // namespace revgan
