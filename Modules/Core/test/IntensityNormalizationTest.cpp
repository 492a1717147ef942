// SPDX-License-Identifier: Apache-2.0
// Intensity normalization: per-channel offsets and scales, and the log-Euclidean tensor domain it
// maps domain Y into on request.
#include "revgan/IntensityNormalization.h"
#include "KnownTensors.h"
#include "revgan/TensorLogarithm.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

namespace revgan
{
namespace
{

TEST(IntensityNormalization, LogTensorDomainMapsThenScalesAndComesBackPositiveDefinite)
{
  IntensityNormalization normalization;
  normalization.offsetY = { -7.0 };
  normalization.scaleY = { 2.0 };
  normalization.logTensorsY = true;
  normalization.tensorFloorY = 1e-6;
  const test::TensorComponents components = test::rotatedDiagonal(3e-3, 1e-3, 1e-3, 0.3);
  const torch::Tensor          d = torch::tensor(at::ArrayRef<double>(components), torch::kDouble)
                            .view({ 1, 6, 1, 1, 1 })
                            .expand({ 1, 6, 2, 2, 2 })
                            .contiguous(); // the same tensor at every voxel
  const torch::Tensor network = normalization.normalize(d, true);
  EXPECT_TRUE(torch::allclose(network, (tensorLogarithm(d, 1e-6) + 7.0) / 2.0, 0.0, 1e-12));
  EXPECT_TRUE(torch::allclose(normalization.denormalize(network, true), d, 0.0, 1e-15));
  // Domain X is untouched by Y's settings.
  EXPECT_TRUE(torch::equal(normalization.normalize(d, false), d));
}

TEST(IntensityNormalization, PerChannelValuesNeedABatch)
{
  IntensityNormalization normalization;
  normalization.offsetX = { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 };
  normalization.scaleX = { 1.0 };
  const torch::Tensor volume = torch::zeros({ 6, 6, 2, 2 }); // (C, D, H, W): also the shape of a 2D batch
  const torch::Tensor batch = normalization.normalize(volume.unsqueeze(0), false);
  EXPECT_TRUE(torch::equal(batch[0][2], torch::full({ 6, 2, 2 }, -3.0f))); // channel 2 less its offset
  EXPECT_THROW(normalization.normalize(torch::zeros({ 6, 2, 2 }), false), std::invalid_argument);
}

} // namespace
} // namespace revgan
