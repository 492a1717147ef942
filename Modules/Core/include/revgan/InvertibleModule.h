#pragma once

#include "revgan/NetworkOptions.h"

#include <torch/types.h>

namespace revgan
{

/// \brief Interface of a module with an exact inverse: forward maps X to Y, inverse maps Y to X
/// with the same weights.
class InvertibleModule
{
public:
  virtual ~InvertibleModule() = default;

  virtual torch::Tensor
  forward(const torch::Tensor & input) = 0;

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
