// SPDX-License-Identifier: Apache-2.0
#include "revgan/Losses.h"

#include "revgan/EnumNames.h"

#include <torch/nn/functional/loss.h>

namespace revgan
{

namespace
{

constexpr EnumName<GanLoss> kGanLosses[]{ { GanLoss::LeastSquares, "lsgan" }, { GanLoss::Vanilla, "vanilla" } };
constexpr EnumName<ReconstructionLoss> kReconstructionLosses[]{ { ReconstructionLoss::L1, "l1" },
                                                                { ReconstructionLoss::L2, "l2" } };

} // namespace

GanLoss
parseGanLoss(const std::string & name)
{
  return parseEnumName(kGanLosses, name, "GAN loss");
}

std::string
toString(GanLoss loss)
{
  return enumName(kGanLosses, loss);
}

ReconstructionLoss
parseReconstructionLoss(const std::string & name)
{
  return parseEnumName(kReconstructionLosses, name, "reconstruction loss");
}

std::string
toString(ReconstructionLoss loss)
{
  return enumName(kReconstructionLosses, loss);
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
