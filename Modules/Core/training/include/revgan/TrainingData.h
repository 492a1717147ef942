// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/ImageBuffer.h"

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace revgan
{

/// One training batch: samples of domain X and of domain Y, each (N, C, spatial...). For paired
/// training x[i] and y[i] show the same place; for unpaired training they are independent.
struct TrainingBatch
{
  /// Samples of domain X, (N, channelsX, spatial...).
  torch::Tensor x;
  /// Samples of domain Y, (N, channelsY, spatial...).
  torch::Tensor y;
};

/// \brief Where the Trainer gets its data. Implementations draw their random choices from
/// LibTorch's default generator, which the trainer's checkpoints save and restore, so that a
/// resumed run sees the same batches as an uninterrupted one.
class TrainingSource
{
public:
  virtual ~TrainingSource() = default;

  /// Samples in one epoch (the trainer runs samplesPerEpoch / batch iterations per epoch).
  virtual int64_t
  samplesPerEpoch() const = 0;

  /// Draws `batchSize` samples of each domain.
  virtual TrainingBatch
  nextBatch(int64_t batchSize) = 0;
};

/// \brief Which samples a process draws in data-parallel (and single-process) training.
///
/// Sample j of iteration i of epoch e is drawn from `source` with LibTorch's default generator
/// seeded from (seed, e, i, j) alone. The global batch of an iteration, samples 0 … B−1, is
/// therefore the same however it is split among processes: with P processes of batch b, process r
/// draws samples r·b … r·b + b − 1, a share disjoint from every other process's, and P processes of
/// batch b see exactly the patches that one process of batch P·b sees. Nothing but the position in
/// the schedule decides the patches, so a resumed run draws what the uninterrupted run drew.
struct SampleShare
{
  /// The run's seed (TrainerOptions::seed).
  uint64_t seed{ 0 };
  /// The 0-based epoch of the iteration.
  int64_t epoch{ 0 };
  /// The 0-based iteration within the epoch.
  int64_t iteration{ 0 };
  /// Index of the first sample of this process's share in the global batch, and the share's size.
  int64_t first{ 0 };
  /// Number of samples in this process's share (at least 1).
  int64_t count{ 1 };
};

/// Draws `share` from `source` (one sample at a time, each from its own seed) as one batch.
TrainingBatch
drawSamples(TrainingSource & source, const SampleShare & share);

/// The tensor (C, spatial...) holding a copy of `buffer`. Throws std::invalid_argument if the
/// data size does not match the shape.
torch::Tensor
tensorFromBuffer(const ImageBuffer & buffer);

/// \brief Random crops (with optional flips) from images or volumes held in memory.
///
/// Each element of `x` and `y` is one image (C, spatial...). Paired: x[i] and y[i] have the same
/// spatial size and are cropped at the same place. Unpaired: images and crops are drawn
/// independently for each domain.
///
/// With masks (one per image, (1, spatial...) or (spatial...), nonzero = inside), a crop is kept
/// only if at least `minimumMaskFraction` of its pixels lie inside the mask (the paper: 1 % of
/// brain matter); crops are redrawn until one qualifies (a clear error after 10,000 tries).
class CropSource : public TrainingSource
{
public:
  /// Crops of `cropSize` (2 or 3 extents, in tensor order: slowest axis first) from the images `x` and `y`,
  /// paired or not; `randomFlips` flips each crop left-right with probability ½ (both crops of a pair alike);
  /// `samplesPerEpoch` ≤ 0 means as many as the larger domain has images. Throws std::invalid_argument for
  /// missing images, images smaller than the crop or of the wrong dimension, or pairs that differ in size.
  CropSource(std::vector<torch::Tensor> x,
             std::vector<torch::Tensor> y,
             std::vector<int64_t>       cropSize,
             bool                       paired,
             bool                       randomFlips = false,
             int64_t                    samplesPerEpoch = 0);

  /// Restricts crops to those with enough of `masksX[i]` (and, unpaired, `masksY[i]`) inside.
  /// Paired training uses masksX alone. Empty vectors mean no restriction for that domain.
  void
  setMasks(std::vector<torch::Tensor> masksX, std::vector<torch::Tensor> masksY, double minimumMaskFraction);

  /// Declares the images of a domain to be 3D symmetric tensors: 6 channels xx, xy, xz, yy, yz, zz
  /// in the image axes, as the toolkit holds them. A random flip along x is then a change of frame
  /// of every tensor, D → R D Rᵀ with R = diag(−1, 1, 1): the xy and xz components change sign
  /// with the voxel grid. Throws std::invalid_argument for a domain of other images.
  void
  setTensorDomains(bool xHoldsTensors, bool yHoldsTensors);

  /// Gives every crop a random symmetry of its grid (data augmentation): a flip along each axis
  /// with probability ½, and a random order of the axes within each group of `exchangeableAxes`
  /// (image axes 0 = x, 1 = y, 2 = z; put together axes of the same voxel spacing, whose exchange
  /// shows structures as the scanner could have; an axis that is in no group is flipped only).
  /// Both crops of a pair get the same symmetry, and the tensors of a tensor domain are turned
  /// with the grid (D → P D Pᵀ, P the signed permutation). Replaces the left-right flips of
  /// `randomFlips`. Throws std::invalid_argument for an axis out of range or in two groups, or a
  /// group of axes whose crop extents differ.
  void
  setRandomSymmetries(const std::vector<std::vector<int64_t>> & exchangeableAxes);

  int64_t
  samplesPerEpoch() const override
  {
    return samplesPerEpoch_;
  }

  /// Draws `batchSize` crops of each domain: images at random (paired: the same image of both domains), crops
  /// at random positions that satisfy the masks, with the flips or symmetries set.
  TrainingBatch
  nextBatch(int64_t batchSize) override;

private:
  /// A random corner of a crop of image `index` of a domain that satisfies its mask.
  std::vector<int64_t>
  drawCorner(const std::vector<torch::Tensor> & images,
             const std::vector<torch::Tensor> & masks,
             int64_t                            index,
             const char *                       domain) const;

  std::vector<torch::Tensor> x_;
  std::vector<torch::Tensor> y_;
  std::vector<torch::Tensor> masksX_;
  std::vector<torch::Tensor> masksY_;
  double                     minimumMaskFraction_{ 0.0 };
  std::vector<int64_t>       cropSize_;
  bool                       paired_;
  bool                       randomFlips_;
  bool                       tensorsX_{ false };
  bool                       tensorsY_{ false };
  /// setRandomSymmetries: on, and the groups of exchangeable image axes.
  bool                              randomSymmetries_{ false };
  std::vector<std::vector<int64_t>> exchangeableAxes_;
  int64_t                           samplesPerEpoch_;
};

} // namespace revgan
