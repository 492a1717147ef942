// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace revgan
{

/// \brief An image as plain floats: shape (C, spatial...) with the slowest spatial axis first and
/// the data channel-major, then in C order (last axis fastest).
///
/// The exchange format between ITK images and the core; it needs neither ITK nor LibTorch.
struct ImageBuffer
{
  /// (C, spatial...): channels, then the spatial extents from the slowest axis to the fastest.
  std::vector<int64_t> shape;
  /// The values, C × Π spatial of them, in the layout above.
  std::vector<float> data;

  /// C, the first entry of `shape` (0 for an empty shape).
  int64_t
  channels() const
  {
    return shape.empty() ? 0 : shape[0];
  }
  /// Number of spatial positions (the product of the spatial extents).
  int64_t
  pixels() const
  {
    int64_t count = 1;
    for (std::size_t i = 1; i < shape.size(); ++i)
      count *= shape[i];
    return shape.size() > 1 ? count : 0;
  }
};

} // namespace revgan
