// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/NetworkOptions.h"

#include <torch/types.h>

namespace revgan
{

/// \brief Interface of a module that translates both ways: forward maps X to Y, inverse maps Y to X.
///
/// For reversible networks the two directions are exact inverses computed with the same weights;
/// for the CycleGAN/Pix2pix baselines they are two separate generators.
class BidirectionalModule
{
public:
  virtual ~BidirectionalModule() = default;

  /// Y = F(X): translates a batch `input` of domain X, (N, C, H, W) or (N, C, D, H, W), to domain Y.
  virtual torch::Tensor
  forward(const torch::Tensor & input) = 0;

  /// X = F⁻¹(Y): translates a batch `output` of domain Y back to domain X.
  virtual torch::Tensor
  inverse(const torch::Tensor & output) = 0;

  /// forward() or inverse(), chosen by `direction`.
  torch::Tensor
  run(const torch::Tensor & input, Direction direction)
  {
    return direction == Direction::Forward ? forward(input) : inverse(input);
  }
};

} // namespace revgan
