#include "revgan/Losses.h"

#include <torch/nn/functional/loss.h>

#include <stdexcept>

namespace revgan
{

GanLoss
parseGanLoss(const std::string & name)
{
  if (name == "lsgan")
    return GanLoss::LeastSquares;
  if (name == "vanilla")
    return GanLoss::Vanilla;
  throw std::invalid_argument("unknown GAN loss '" + name + "' (expected lsgan or vanilla)");
}

std::string
toString(GanLoss loss)
{
  return loss == GanLoss::LeastSquares ? "lsgan" : "vanilla";
}

torch::Tensor
adversarialLoss(const torch::Tensor & prediction, bool real, GanLoss loss)
{
  const torch::Tensor target = real ? torch::ones_like(prediction) : torch::zeros_like(prediction);
  if (loss == GanLoss::LeastSquares)
    return torch::mse_loss(prediction, target);
  return torch::binary_cross_entropy_with_logits(prediction, target);
}

torch::Tensor
meanAbsoluteError(const torch::Tensor & a, const torch::Tensor & b)
{
  return torch::l1_loss(a, b);
}

} // namespace revgan
