// SPDX-License-Identifier: Apache-2.0
// Patch sources: paired crops, mask fractions and flips of tensor volumes.
#include "revgan/TrainingData.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace revgan
{
namespace
{

TEST(CropSource, PairedCropsShowTheSamePlace)
{
  torch::manual_seed(3);
  const torch::Tensor image = torch::arange(2 * 30 * 20, torch::kFloat).reshape({ 2, 30, 20 });
  CropSource          source({ image }, { image * 2 }, { 8, 6 }, /*paired=*/true, /*randomFlips=*/true);
  for (int i = 0; i < 5; ++i)
  {
    const TrainingBatch batch = source.nextBatch(3);
    EXPECT_EQ(batch.x.sizes(), torch::IntArrayRef({ 3, 2, 8, 6 }));
    EXPECT_TRUE(torch::equal(batch.y, batch.x * 2));
  }
  EXPECT_THROW(CropSource({ image }, { image }, { 40, 6 }, true), std::invalid_argument);
  EXPECT_THROW(CropSource({ image }, { image, image }, { 8, 6 }, true), std::invalid_argument);
  EXPECT_THROW(CropSource({ image }, { image.narrow(1, 0, 20) }, { 8, 6 }, true), std::invalid_argument);
}

TEST(CropSource, FlipsOfTensorVolumesChangeTheTensorsFrameToo)
{
  torch::manual_seed(5);
  // Whole-volume crops of (6, z, y, x) tensors: each sample is the volume or its x-flip.
  const torch::Tensor tensors = torch::arange(6 * 3 * 4 * 5, torch::kFloat).reshape({ 6, 3, 4, 5 });
  const torch::Tensor sign = torch::tensor({ 1.0f, -1.0f, -1.0f, 1.0f, 1.0f, 1.0f }).view({ 6, 1, 1, 1 });
  const torch::Tensor flipped = tensors.flip({ -1 }) * sign; // R D Rᵀ, R = diag(-1, 1, 1): xy, xz negated
  CropSource          source({ tensors }, { tensors }, { 3, 4, 5 }, /*paired=*/false, /*randomFlips=*/true);
  source.setTensorDomains(true, false);
  int asIs = 0, asFlipped = 0;
  for (int i = 0; i < 8; ++i)
  {
    const TrainingBatch batch = source.nextBatch(4);
    for (int64_t b = 0; b < 4; ++b)
    {
      const bool same = torch::equal(batch.x[b], tensors), isFlipped = torch::equal(batch.x[b], flipped);
      EXPECT_TRUE(same || isFlipped) << "sample " << b << " of batch " << i;
      asIs += same ? 1 : 0;
      asFlipped += isFlipped ? 1 : 0;
      // Domain Y was not declared to hold tensors: its flips move voxels only.
      EXPECT_TRUE(torch::equal(batch.y[b], tensors) || torch::equal(batch.y[b], tensors.flip({ -1 })));
    }
  }
  EXPECT_GT(asIs, 0);
  EXPECT_GT(asFlipped, 0);
  const torch::Tensor scalars = torch::zeros({ 1, 3, 4, 5 });
  CropSource          other({ scalars }, { scalars }, { 3, 4, 5 }, true, true);
  EXPECT_THROW(other.setTensorDomains(true, false), std::invalid_argument);
}

TEST(CropSource, MaskFractionSelectsCropsInsideTheMask)
{
  torch::manual_seed(6);
  const torch::Tensor image = torch::randn({ 1, 40, 40 });
  torch::Tensor       mask = torch::zeros({ 40, 40 });
  mask.narrow(0, 30, 10).narrow(1, 30, 10).fill_(1.0); // a 10×10 corner
  CropSource source({ image }, { image }, { 8, 8 }, /*paired=*/true);
  source.setMasks({ mask }, {}, 0.5);
  for (int i = 0; i < 20; ++i)
  {
    const TrainingBatch batch = source.nextBatch(1);
    // The crop must be found in the image where at least half of it lies in the mask.
    bool found = false;
    for (int64_t r = 0; r <= 32 && !found; ++r)
      for (int64_t c = 0; c <= 32 && !found; ++c)
        if (torch::equal(image.narrow(1, r, 8).narrow(2, c, 8), batch.x[0]))
        {
          found = true;
          EXPECT_GE(mask.narrow(0, r, 8).narrow(1, c, 8).mean().item<double>(), 0.5);
        }
    EXPECT_TRUE(found);
  }
  source.setMasks({ torch::zeros({ 40, 40 }) }, {}, 0.01);
  EXPECT_THROW(source.nextBatch(1), std::runtime_error);
  EXPECT_THROW(source.setMasks({ torch::zeros({ 30, 40 }) }, {}, 0.01), std::invalid_argument);
  EXPECT_THROW(source.setMasks({ mask }, {}, 1.5), std::invalid_argument);
}

} // namespace
} // namespace revgan
