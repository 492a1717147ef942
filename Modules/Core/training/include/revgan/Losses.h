// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/EnumNames.h"

#include <torch/types.h>

#include <string>

namespace revgan
{

/// Adversarial objectives: least squares (MSE against 1 for real, 0 for fake; the paper's unpaired
/// models) and vanilla (binary cross-entropy on logits; the paper's paired models).
enum class GanLoss
{
  LeastSquares,
  Vanilla
};

GanLoss
parseGanLoss(const std::string & name);
std::string
toString(GanLoss loss);

/// The paired objective's reconstruction term: mean absolute error ("l1", the paper's) or mean
/// squared error ("l2").
enum class ReconstructionLoss
{
  L1,
  L2
};

ReconstructionLoss
parseReconstructionLoss(const std::string & name);
std::string
toString(ReconstructionLoss loss);

/// Loss of discriminator logits `prediction` against the label real (1) or fake (0).
torch::Tensor
adversarialLoss(const torch::Tensor & prediction, bool real, GanLoss loss);

/// Mean absolute error (the L1, cycle-consistency and identity terms).
torch::Tensor
meanAbsoluteError(const torch::Tensor & a, const torch::Tensor & b);

} // namespace revgan
