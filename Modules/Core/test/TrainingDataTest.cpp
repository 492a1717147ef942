// SPDX-License-Identifier: Apache-2.0
// Patch sources: paired crops, mask fractions, flips and symmetries of tensor volumes.
#include "revgan/TrainingData.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <set>
#include <tuple>
#include <vector>

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

/// The signed axis of image axis `axis` (0 = x) of whole-volume crops of 100 z + 10 y + x: the slope
/// of the crop along that axis, ±1, ±10 or ±100, tells which original axis it shows and whether flipped.
int64_t
slopeAlong(const torch::Tensor & crop, int64_t axis)
{
  const int64_t dimension = crop.dim() - 1 - axis;
  return (crop.narrow(dimension, 1, 1) - crop.narrow(dimension, 0, 1)).flatten()[0].item<int64_t>();
}

TEST(CropSource, SymmetriesExchangeOnlyTheAxesOfAGroupAndFlipAll)
{
  torch::manual_seed(7);
  const torch::Tensor z = torch::arange(4).view({ 4, 1, 1 }), y = torch::arange(4).view({ 1, 4, 1 }),
                      x = torch::arange(4).view({ 1, 1, 4 });
  const torch::Tensor volume = (100 * z + 10 * y + x).unsqueeze(0).to(torch::kFloat); // (1, z, y, x)
  CropSource          source({ volume }, { volume * 2 }, { 4, 4, 4 }, /*paired=*/true);
  source.setRandomSymmetries({ { 0, 1 } }); // x and y may be exchanged, z not
  std::set<std::tuple<int64_t, int64_t, int64_t>> seen;
  for (int i = 0; i < 40; ++i)
  {
    const TrainingBatch batch = source.nextBatch(4);
    EXPECT_TRUE(torch::equal(batch.y, batch.x * 2)) << "a pair got different symmetries";
    for (int64_t b = 0; b < 4; ++b)
    {
      const int64_t sx = slopeAlong(batch.x[b], 0), sy = slopeAlong(batch.x[b], 1), sz = slopeAlong(batch.x[b], 2);
      EXPECT_EQ(std::abs(sz), 100) << "z was exchanged";
      EXPECT_EQ(std::abs(sx) + std::abs(sy), 11) << "x and y are not a permutation of x and y";
      seen.insert({ sx, sy, sz });
    }
  }
  EXPECT_EQ(seen.size(), 16u) << "2 orders of x and y times 8 flips";
  EXPECT_THROW(source.setRandomSymmetries({ { 0, 3 } }), std::invalid_argument);
  EXPECT_THROW(source.setRandomSymmetries({ { 0, 1 }, { 1, 2 } }), std::invalid_argument);
  CropSource flat({ volume }, { volume }, { 2, 4, 4 }, true);
  EXPECT_THROW(flat.setRandomSymmetries({ { 0, 2 } }), std::invalid_argument); // extents 4 and 2
  EXPECT_NO_THROW(flat.setRandomSymmetries({ { 0, 1 } }));
}

// The tensors of a DTI volume turn with its grid: a scalar ramp along v and the tensor field v vᵀ,
// paired, keep the ramp's gradient along the tensors' principal direction under every symmetry.
TEST(CropSource, SymmetriesTurnTheTensorsWithTheGrid)
{
  torch::manual_seed(8);
  const double        v[3]{ 1.0, -2.0, 3.0 }; // x, y, z
  const torch::Tensor z = torch::arange(3).view({ 3, 1, 1 }), y = torch::arange(3).view({ 1, 3, 1 }),
                      x = torch::arange(3).view({ 1, 1, 3 });
  const torch::Tensor        ramp = (v[0] * x + v[1] * y + v[2] * z).unsqueeze(0).to(torch::kDouble);
  std::vector<torch::Tensor> components;
  for (int a = 0; a < 3; ++a)
    for (int b = a; b < 3; ++b)
      components.push_back(torch::full({ 3, 3, 3 }, v[a] * v[b], torch::kDouble));
  const torch::Tensor tensors = torch::stack(components); // xx, xy, xz, yy, yz, zz
  CropSource          source({ ramp }, { tensors }, { 3, 3, 3 }, /*paired=*/true);
  source.setTensorDomains(false, true);
  source.setRandomSymmetries({ { 0, 1, 2 } });
  std::set<std::vector<int64_t>> seen;
  for (int i = 0; i < 250; ++i) // 1000 draws: each of the 48 is missed with probability 1e-9
  {
    const TrainingBatch batch = source.nextBatch(4);
    for (int64_t b = 0; b < 4; ++b)
    {
      std::vector<int64_t> gradient;
      for (int64_t axis = 0; axis < 3; ++axis)
        gradient.push_back(slopeAlong(batch.x[b], axis));
      seen.insert(gradient);
      const torch::Tensor expected = torch::tensor({ gradient[0] * gradient[0],
                                                     gradient[0] * gradient[1],
                                                     gradient[0] * gradient[2],
                                                     gradient[1] * gradient[1],
                                                     gradient[1] * gradient[2],
                                                     gradient[2] * gradient[2] },
                                                   torch::kDouble);
      EXPECT_TRUE(torch::equal(batch.y[b].select(1, 1).select(1, 1).select(1, 1), expected))
        << "tensor " << batch.y[b].select(1, 1).select(1, 1).select(1, 1) << " for the gradient " << gradient[0] << ", "
        << gradient[1] << ", " << gradient[2];
    }
  }
  EXPECT_EQ(seen.size(), 48u) << "the 48 symmetries of the cube";
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
