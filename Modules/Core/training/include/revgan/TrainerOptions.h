// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/Losses.h"
#include "revgan/NetworkOptions.h"

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace revgan
{

enum class Objective
{
  /// Paper Eq. 12: λ·(L1(F(x), y) + L1(G(y), x)) + conditional GAN in both directions, λ = 100.
  Paired,
  /// Paper Eq. 13: GAN in both directions + λ·cycle consistency, λ = 10.
  Unpaired
};

Objective
parseObjective(const std::string & name);
std::string
toString(Objective objective);

/// The floating-point type of training by name: "float" (torch::kFloat) or "double".
torch::ScalarType
parsePrecision(const std::string & name);
std::string
precisionName(torch::ScalarType precision);

/// \brief How a Trainer trains. Every field is listed once more, with its record name in
/// checkpoints and the values it accepts, in training/src/TrainerOptionFields.h, from which
/// validate() and the checkpoints' reading and writing follow: a new field is a line there too.
struct TrainerOptions
{
  /// The paper's settings for `objective`: vanilla GAN and λ = 100 (paired) or least-squares GAN
  /// and λ = 10 (unpaired).
  static TrainerOptions
  forObjective(Objective objective);

  /// Paired (L1 + conditional GAN, Eq. 12) or unpaired (GAN + cycle consistency, Eq. 13) training.
  Objective objective{ Objective::Unpaired };
  /// Adversarial loss of generator and discriminators (forObjective sets the paper's for the objective).
  GanLoss ganLoss{ GanLoss::LeastSquares };
  /// Weight of the L1 (paired) or cycle (unpaired) terms.
  double lambda{ 10.0 };
  /// Weight of the adversarial terms; 0 trains the generator alone (no discriminators), as the
  /// paper's "without GAN loss" super-resolution models.
  double ganWeight{ 1.0 };
  /// Identity loss weight as a fraction of lambda (unpaired only; 0 = off, as in the paper).
  double identityWeight{ 0.0 };
  /// The paired objective's reconstruction term: mean absolute error (the paper's L1) or mean
  /// squared error (L2), which targets RMSE directly where sub-voxel detail is uncertain.
  ReconstructionLoss reconstructionLoss{ ReconstructionLoss::L1 };
  /// Initial learning rate of Adam, for generator and discriminators alike (> 0).
  double learningRate{ 2e-4 };
  /// Adam's β1, in [0, 1).
  double beta1{ 0.5 };
  /// Adam's β2, in [0, 1).
  double beta2{ 0.999 };
  /// Epochs at the initial learning rate, before the decayEpochs of linear decay towards zero.
  int64_t epochs{ 100 };
  /// Epochs of linear decay after `epochs`: epoch k of them (1-based) runs at 1 − k / (decayEpochs + 1) of the rate.
  int64_t decayEpochs{ 100 };
  /// Iterations over which the learning rate rises linearly from 1/warmupIterations of its value
  /// to all of it at the start of training (0: none, as in the paper). Adam's first steps, taken
  /// with second-moment estimates from a handful of gradients, are the ones most likely to throw
  /// a deep network far off; a warm-up lets a higher rate be used safely.
  int64_t warmupIterations{ 0 };
  /// Largest norm of all gradients of one update together; larger gradients are scaled down to it
  /// (0: no clipping).
  double clipGradientNorm{ 0.0 };
  /// A generator loss above spikeFactor times the median of the recent losses (or one that is not
  /// finite) is a divergence: the update is not taken, the weights and optimiser state return to
  /// the last good snapshot and the learning rate is halved (see DivergenceGuard). 0: off, and a
  /// non-finite loss is then handled as skipNonFinite says.
  double spikeFactor{ 0.0 };
  /// Samples per update (per process in a data-parallel job), at least 1.
  int64_t batchSize{ 1 };
  /// Capacity of each pool of generated samples the unpaired discriminators learn from (0: no pool).
  int64_t poolSize{ 50 };
  /// What the generator recomputes in backward instead of storing (see GradientMode).
  GradientMode gradientMode{ GradientMode::Reversible };
  /// Seed of LibTorch's default generator: decides the initial weights and, with the position in the schedule,
  /// every sample drawn.
  uint64_t seed{ 0 };
  /// ndf: channels of the discriminators' first layer (PatchDiscriminatorOptions::width), at least 1.
  int64_t discriminatorWidth{ 64 };
  /// 0: 3 strided layers in 2D, 2 in 3D.
  int64_t discriminatorLayers{ 0 };
  /// Device the networks and batches are placed on (cpu or cuda:N).
  torch::Device device{ torch::kCPU };
  /// Floating-point type of weights and data: float, or double for numerical verification.
  torch::ScalarType precision{ torch::kFloat };
  /// What an update whose loss or gradients are not finite does: throw NonFiniteTrainingError
  /// (false), or leave the weights unchanged and go on (true). A choice of the run, not of the
  /// model: checkpoints do not store it.
  bool skipNonFinite{ false };
  /// Debug: report, after each step, the largest error with which each reversible sequence of the
  /// generator reconstructed its inputs in backward: per sequence, e.g. the core, the values
  /// "reconstruction_error_core" (max absolute error) and "reconstruction_relative_error_core"
  /// (that over max |input|); see ReversibleSequenceImpl::setMonitorReconstruction.
  /// Not in the naive gradient mode (nothing is reconstructed there). A choice of the run:
  /// checkpoints do not store it.
  bool monitorReconstruction{ false };

  /// The fields' names in checkpoints, in their order: revgan-train's option names with
  /// underscores ("gan_weight" for --gan-weight), as Python and 3D Slicer spell them.
  static std::vector<std::string>
  recordNames();

  /// Throws std::invalid_argument naming the first option out of range, then checks what relates
  /// options (at least one epoch scheduled).
  void
  validate() const;
};

} // namespace revgan
