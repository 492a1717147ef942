// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <torch/serialize/archive.h>
#include <torch/types.h>

#include <vector>

namespace revgan
{

/// \brief History of generated samples for discriminator updates (Shrivastava et al. 2017; the
/// CycleGAN/RevGAN pool of 50).
///
/// Until the pool is full each new sample is stored and returned. Afterwards, with probability
/// 1/2 a stored sample is returned in its place and replaced by the new one; otherwise the new
/// sample is returned. Random draws use LibTorch's default generator, so a checkpoint of that
/// generator and of the pool (save/load) makes the sequence repeatable.
class ImagePool
{
public:
  /// An empty pool of at most `capacity` samples (0: no pool, query returns its input); throws
  /// std::invalid_argument for a negative capacity.
  explicit ImagePool(int64_t capacity = 50);

  /// `samples` is a batch (N, C, spatial...); returns a batch of the same shape, detached.
  torch::Tensor
  query(const torch::Tensor & samples);

  /// The most samples the pool holds.
  int64_t
  capacity() const
  {
    return capacity_;
  }
  /// The samples held now (at most capacity()).
  size_t
  size() const
  {
    return images_.size();
  }

  /// Writes the capacity and the samples held into `archive` (records "capacity", "count", "images").
  void
  save(torch::serialize::OutputArchive & archive) const;
  /// Replaces capacity and samples by those save() wrote into `archive`.
  void
  load(torch::serialize::InputArchive & archive);

private:
  int64_t                    capacity_;
  std::vector<torch::Tensor> images_;
};

} // namespace revgan
