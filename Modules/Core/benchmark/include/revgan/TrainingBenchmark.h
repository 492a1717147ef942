// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/DataParallel.h"
#include "revgan/GeneratorSpec.h"
#include "revgan/MemoryBudget.h"
#include "revgan/OperatorProfile.h"
#include "revgan/Trainer.h"

#include <cstdint>
#include <optional>
#include <string>

namespace revgan
{

/// One network and objective whose training step `revgan-bench memory` and `speed` measure.
struct TrainingBenchmarkCase
{
  /// Name in reports: the generator table's name of the model (revgan, resnet, srcnn, edsr-f).
  std::string model;
  /// Architecture of the generator to train.
  GeneratorSpec spec;
  /// Objective, batch size, device, gradient mode and the other training settings.
  TrainerOptions options;
  /// Spatial extent of the (square or cubic) training samples, per axis.
  int64_t size{ 256 };
  /// When positive, the gradient mode is chosen for this many bytes of activations
  /// (chooseGradientMode, MemoryBudget.h) instead of taken from `options`.
  int64_t memoryBudgetBytes{ 0 };
};

/// What one training step (generator update, then discriminator updates) of a case costs.
struct TrainingStepFigures
{
  /// Bytes of all trained parameters: generator and discriminators. Their gradients take as much
  /// again and Adam's moments twice as much; like the parameters, they exist before a step starts.
  int64_t parameterBytes{ 0 };
  /// Peak tensor bytes during a step above those present before it: the activations (the
  /// paper's Table 5 "activations"), the largest over the measured steps.
  int64_t peakActivationBytes{ 0 };
  /// Median wall-clock seconds of the measured steps.
  double seconds{ 0.0 };
  /// Convolution floating-point operations of one step (forward, backward, recomputation).
  double convolutionOperations{ 0.0 };
  /// The gradient mode the steps ran in.
  GradientMode mode{ GradientMode::Reversible };
  /// With a memory budget (memoryBudgetBytes > 0), what choosing the gradient mode measured; otherwise empty.
  std::optional<GradientModeChoice> budgetChoice;
};

/// Builds the case's trainer on its device and random samples in [−1, 1], runs one warm-up step
/// (which creates gradients, optimizer state and LibTorch's scratch buffers), then measures
/// `repetitions` steps, and counts convolution FLOPs in one more step. On the CPU the
/// MemoryTracker must be installed. Throws std::invalid_argument for an invalid case.
TrainingStepFigures
measureTrainingSteps(const TrainingBenchmarkCase & benchmarkCase, int repetitions);

/// Where the time of one training step goes, by operator category (OperatorProfile).
struct ProfiledTrainingStep
{
  /// Median seconds of the steps run without observing operators.
  double seconds{ 0.0 };
  /// Mean seconds of the observed steps (observing costs time per operator call).
  double profiledSeconds{ 0.0 };
  /// Mean self time of all operators per observed step; profiledSeconds minus this is the time
  /// outside operators (the autograd engine's bookkeeping, the trainer's own code).
  double operatorSeconds{ 0.0 };
  /// Per observed step, most expensive first.
  std::vector<OperatorProfile::Entry> entries;
};

/// Builds the case's trainer as measureTrainingSteps does, runs one warm-up step, times
/// `repetitions` unobserved steps, then observes `repetitions` more.
ProfiledTrainingStep
profileTrainingSteps(const TrainingBenchmarkCase & benchmarkCase, int repetitions);

/// What one process of a data-parallel job spends per training iteration.
struct DataParallelStepFigures
{
  /// Median wall-clock seconds of an iteration: drawing the process's share of the batch, the
  /// step, and the all-reduces in it.
  double secondsPerStep{ 0.0 };
  /// Mean seconds per iteration spent in collectives (all-reduce of gradients and losses).
  double communicationSecondsPerStep{ 0.0 };
  /// Peak tensor bytes during the measured iterations above those held before them.
  int64_t peakActivationBytes{ 0 };
};

/// Trains the case as a process of `group` (options.batchSize samples per process) on random
/// images of twice the case's size per axis, through Trainer::train as revgan-train does:
/// `warmup` iterations, then `steps` measured ones. Collective. On the CPU the MemoryTracker must
/// be installed.
DataParallelStepFigures
measureDataParallelSteps(const TrainingBenchmarkCase &              benchmarkCase,
                         const std::shared_ptr<DataParallelGroup> & group,
                         int                                        warmup,
                         int                                        steps);

} // namespace revgan
