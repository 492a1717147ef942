#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace revgan
{

/// One training batch: samples of domain X and of domain Y, each (N, C, spatial...). For paired
/// training x[i] and y[i] show the same place; for unpaired training they are independent.
struct TrainingBatch
{
  torch::Tensor x;
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

  virtual TrainingBatch
  nextBatch(int64_t batchSize) = 0;
};

/// \brief Random crops (with optional flips) from images or volumes held in memory.
///
/// Each element of `x` and `y` is one image (C, spatial...). Paired: x[i] and y[i] have the same
/// spatial size and are cropped at the same place. Unpaired: images and crops are drawn
/// independently for each domain.
class CropSource : public TrainingSource
{
public:
  CropSource(std::vector<torch::Tensor> x,
             std::vector<torch::Tensor> y,
             std::vector<int64_t>       cropSize,
             bool                       paired,
             bool                       randomFlips = false,
             int64_t                    samplesPerEpoch = 0);

  int64_t
  samplesPerEpoch() const override
  {
    return samplesPerEpoch_;
  }

  TrainingBatch
  nextBatch(int64_t batchSize) override;

private:
  std::vector<torch::Tensor> x_;
  std::vector<torch::Tensor> y_;
  std::vector<int64_t>       cropSize_;
  bool                       paired_;
  bool                       randomFlips_;
  int64_t                    samplesPerEpoch_;
};

} // namespace revgan
