// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/DataParallel.h"
#include "revgan/DivergenceGuard.h"
#include "revgan/DomainFrame.h"
#include "revgan/GeneratorSpec.h"
#include "revgan/Generators.h"
#include "revgan/ImagePool.h"
#include "revgan/IntensityNormalization.h"
#include "revgan/Losses.h"
#include "revgan/PatchDiscriminator.h"
#include "revgan/TrainerOptions.h"
#include "revgan/TrainingData.h"
#include "revgan/ValidationSet.h"

#include <torch/optim/adam.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace revgan
{

/// \brief Training met a loss or gradient that is NaN or infinite; no weights were changed by the
/// update concerned. The message names the epoch, the iteration and what was not finite.
class NonFiniteTrainingError : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

/// Named loss values of one iteration, in a fixed order.
using LossValues = std::vector<std::pair<std::string, double>>;

/// A validation of the generator: its RMSE on the validation set, and when (after `iteration`
/// iterations of 0-based `epoch`; 0, 0: the weights training started from).
struct ValidationRecord
{
  /// The generator's forward RMSE on the validation set, in the units of the Y images (ValidationSet::rmse).
  double rmse{ 0.0 };
  /// The 0-based epoch the validation was made in.
  int64_t epoch{ 0 };
  /// Iterations of `epoch` completed when it was made.
  int64_t iteration{ 0 };
};

/// What Trainer::train reports after each iteration (and LossLog writes as one row).
struct TrainingProgress
{
  /// The 0-based epoch of the iteration.
  int64_t epoch{ 0 };
  /// Iterations of `epoch` completed, this one included (1 … iterationsPerEpoch).
  int64_t iteration{ 0 };
  /// Iterations per epoch: the source's samples per epoch over the global batch size (at least 1).
  int64_t iterationsPerEpoch{ 0 };
  /// Epochs scheduled in all: epochs + decayEpochs of the options.
  int64_t totalEpochs{ 0 };
  /// The learning rate of the iteration's updates (schedule, warm-up and divergence recoveries applied).
  double learningRate{ 0.0 };
  /// Samples of the global batch per second of wall-clock time of the iteration (drawing and step).
  double samplesPerSecond{ 0.0 };
  /// The step's loss values (in a data-parallel job the job's).
  LossValues losses;
  /// Whether the run validates at all.
  bool validates{ false };
  /// The validation RMSE if the generator was validated after this iteration.
  std::optional<double> validationRmse;
  /// The best validation so far.
  std::optional<ValidationRecord> bestValidation;
  /// What the trainer did on its own during this iteration (a return to earlier weights after a
  /// divergence, with the new learning rate), in words; empty if nothing.
  std::string event;
};

/// \brief Trains any generator of the toolkit with the paired or unpaired objective.
///
/// Pix2pix and CycleGAN are the same objectives with a ResNet generator pair. Adam with the
/// paper's settings, N(0, 0.02) initialisation, a pool of generated samples for the unpaired
/// discriminators, and a learning rate constant for `epochs` then decaying linearly to zero.
/// All randomness comes from LibTorch's default generator, seeded from `seed`; checkpoints
/// save it, so an interrupted run resumes exactly.
class Trainer
{
public:
  /// A run from the start: seeds LibTorch's default generator with options.seed, builds the generator of `spec`
  /// and (unless ganWeight is 0) the two discriminators on options.device, and their Adam optimisers.
  /// `normalization` is what model files and checkpoints record. Throws std::invalid_argument for invalid options
  /// or spec.
  Trainer(const GeneratorSpec & spec, const TrainerOptions & options, IntensityNormalization normalization = {});

  /// Continues the run saved in `checkpointPath`; with `dataParallel`, as that process of a job of
  /// the same number of processes as the one that wrote the checkpoint (every process reads the
  /// file). Throws std::runtime_error naming the file on any problem with it.
  static std::unique_ptr<Trainer>
  resume(const std::string & checkpointPath, std::shared_ptr<DataParallelGroup> dataParallel = nullptr);

  /// Trains as one process of a data-parallel job (collective: every process calls it). Rank 0's
  /// weights are copied to all; from then on each process draws its own share of every global
  /// batch (see SampleShare), gradients are averaged over the processes before every update, so
  /// all processes keep identical weights, and the loss values each step returns are the job's.
  /// Each process keeps its own pools of generated samples; the shared discriminators thus learn
  /// from the union of the pools (P × poolSize samples). step(), train() and saveCheckpoint()
  /// become collective; only rank 0 writes files.
  void
  setDataParallel(std::shared_ptr<DataParallelGroup> group);

  /// One iteration on `batch`: a generator update, then discriminator updates. Each update checks
  /// its loss and gradients first; see TrainerOptions::skipNonFinite.
  LossValues
  step(const TrainingBatch & batch);

  /// Makes train() return after the iteration in progress. Safe to call from another thread or
  /// from a flag set by a signal handler (see revgan-train). In a data-parallel job the request is
  /// passed to every process with the next step's loss values, and all stop after that same step.
  void
  requestStop()
  {
    stopRequested_ = true;
  }
  /// Whether training stops (in a data-parallel job: whether the processes agreed to stop).
  bool
  stopRequested() const
  {
    return dataParallel_ ? stopAgreed_ : stopRequested_.load();
  }

  /// Updates left out because their loss or gradients were not finite (skipNonFinite).
  int64_t
  skippedUpdates() const
  {
    return skippedUpdates_;
  }
  /// Sets TrainerOptions::skipNonFinite for the following updates.
  void
  setSkipNonFinite(bool skip)
  {
    options_.skipNonFinite = skip;
  }
  /// See TrainerOptions::monitorReconstruction.
  void
  setMonitorReconstruction(bool monitor);

  /// What the following steps recompute (see GradientMode, and chooseGradientMode in
  /// MemoryBudget.h, which chooses it for a memory budget).
  void
  setGradientMode(GradientMode mode);

  /// Peak tensor bytes, above those held before, of the generator's update on `batch` — forward
  /// passes, losses (adversarial terms with the discriminators fixed) and backward — without
  /// changing any weight: the gradients are zeroed afterwards. Gradient buffers are created first,
  /// as after any step, so that they do not count. On the CPU the MemoryTracker must be installed.
  int64_t
  generatorUpdatePeakBytes(const TrainingBatch & batch);

  /// Runs iterations until `untilEpoch` epochs are complete (default: all scheduled epochs),
  /// calling `onIteration` after each. Returns early, after the current iteration, once
  /// requestStop() was called; the position (epoch, iteration) is kept, so a checkpoint written
  /// then resumes exactly there.
  void
  train(TrainingSource &                                      source,
        int64_t                                               untilEpoch = -1,
        const std::function<void(const TrainingProgress &)> & onIteration = {});

  /// The learning rate the schedule gives `epoch` (before warm-up and divergence recoveries).
  double
  learningRateForEpoch(int64_t epoch) const;

  /// The learning rate of iteration `iteration` (0-based) of `epoch` with `iterationsPerEpoch`
  /// per epoch: the schedule's, during warm-up a fraction of it, and halved for each return after
  /// a divergence (see TrainerOptions::warmupIterations and spikeFactor).
  double
  learningRateAt(int64_t epoch, int64_t iteration, int64_t iterationsPerEpoch) const;

  /// Validates the generator on `set` before training begins, every `interval` iterations
  /// (0: at the end of each epoch only) and at the end of each epoch, and keeps the weights of the
  /// best validation in memory (and in checkpoints) for restoreBestWeights(). An empty set turns
  /// validation off.
  void
  setValidation(ValidationSet set, int64_t interval = 0);

  /// The generator's RMSE on the validation set now; also kept as the best if it is.
  double
  validate();

  /// The best validation so far, if any.
  const std::optional<ValidationRecord> &
  bestValidation() const
  {
    return bestValidation_;
  }

  /// Puts the weights of the best validation back into the generator (e.g. before saveModel).
  /// Returns false, changing nothing, if there has been no validation.
  bool
  restoreBestWeights();

  /// Returns to earlier weights after divergences so far (see TrainerOptions::spikeFactor).
  int
  divergenceRecoveries() const
  {
    return guard_.recoveries();
  }

  /// The 0-based epoch the next iteration belongs to (epochs + decayEpochs once all are done).
  int64_t
  epoch() const
  {
    return epoch_;
  }
  /// Iterations of epoch() completed so far.
  int64_t
  iterationInEpoch() const
  {
    return iterationInEpoch_;
  }
  /// The options the trainer runs with, including the later set* changes (gradient mode, skipNonFinite,
  /// monitorReconstruction).
  const TrainerOptions &
  options() const
  {
    return options_;
  }
  /// The generator being trained (shared: changes as training goes on).
  std::shared_ptr<TranslationGenerator>
  generator() const
  {
    return generator_;
  }
  /// Bytes of the trained parameters: the generator's and the discriminators'.
  int64_t
  parameterBytes() const;
  /// The intensity normalization the training data was mapped with, recorded in model files.
  const IntensityNormalization &
  normalization() const
  {
    return normalization_;
  }
  /// The frames of the training images, written into model files and checkpoints (see
  /// DomainFrame.h); a resumed trainer has its checkpoint's.
  void
  setDomainFrames(DomainFrame x, DomainFrame y)
  {
    frameX_ = std::move(x);
    frameY_ = std::move(y);
  }
  /// The frame of the X training images (see setDomainFrames).
  const DomainFrame &
  frameX() const
  {
    return frameX_;
  }
  /// The frame of the Y training images (see setDomainFrames).
  const DomainFrame &
  frameY() const
  {
    return frameY_;
  }

  /// Writes everything needed to continue: model, discriminators, optimizers, schedule position,
  /// pools (every process's) and the random generator state (to a temporary file, then renamed).
  /// Data-parallel: collective, and rank 0 alone writes.
  void
  saveCheckpoint(const std::string & path) const;

  /// Writes the model file of the generator (see ModelFile.h). Data-parallel: rank 0 alone writes.
  void
  saveModel(const std::string & path) const;

private:
  /// step() without the reconstruction monitor's values.
  LossValues
  updateNetworks(const TrainingBatch & batch);

  /// The reconstruction monitor's values of the step just taken (see monitorReconstruction).
  void
  appendReconstructionErrors(LossValues & values);

  /// Data-parallel: replaces each process's values by the job's (mean of the losses, largest
  /// reconstruction error) and agrees on whether to stop.
  void
  combineAcrossProcesses(LossValues & values);

  /// Whether this process writes files (rank 0, or the only process).
  bool
  writesFiles() const
  {
    return !dataParallel_ || dataParallel_->rank() == 0;
  }

  /// The generator's loss without its adversarial terms, and what the discriminators compare.
  struct GeneratorObjective
  {
    torch::Tensor loss;
    LossValues    values;
    /// Inputs of discriminator X (judging domain X) and Y, real and generated.
    torch::Tensor realX, fakeX, realY, fakeY;
  };
  /// The generator's whole loss: the objective's terms, then (with the discriminators made
  /// untrainable) the adversarial ones. Shared by the update and its memory probe.
  GeneratorObjective
  generatorObjective(const torch::Tensor & x, const torch::Tensor & y);
  GeneratorObjective
  pairedObjective(const torch::Tensor & x, const torch::Tensor & y);
  GeneratorObjective
  unpairedObjective(const torch::Tensor & x, const torch::Tensor & y);
  torch::Tensor
  discriminatorLoss(PatchDiscriminatorImpl & discriminator,
                    const torch::Tensor &    real,
                    const torch::Tensor &    fake) const;

  /// The single place where gradients are computed and applied: zero, backpropagate, average the
  /// gradients (and the loss) across processes, check that loss and gradients are finite, step.
  /// Every process then takes the same decision on the same averaged values. `what` names the
  /// update in messages. Returns whether the step was taken.
  ///
  /// A `guarded` update (the generator's) is first judged by the divergence guard: a spike is not
  /// applied, and the networks return to the last good snapshot instead (returnToSnapshot).
  bool
  applyGradients(torch::optim::Optimizer & optimizer,
                 const torch::Tensor &     loss,
                 const std::string &       what,
                 bool                      guarded = false);

  /// The weights (and, with `optimizers`, the discriminators and the optimisers' state) as the
  /// bytes of an archive, and back.
  std::string
  serializeState(bool optimizers) const;
  void
  restoreState(const std::string & bytes, bool optimizers);

  /// After a spike described by `what`: back to the snapshot, at half the learning rate; throws
  /// TrainingDivergedError when that has not helped often enough.
  void
  returnToSnapshot(const std::string & what);

  void
  setDiscriminatorsTrainable(bool trainable);
  void
  setLearningRate(double rate);

  GeneratorSpec                         spec_;
  TrainerOptions                        options_;
  IntensityNormalization                normalization_;
  DomainFrame                           frameX_, frameY_;
  std::shared_ptr<TranslationGenerator> generator_;
  PatchDiscriminator                    discriminatorX_{ nullptr };
  PatchDiscriminator                    discriminatorY_{ nullptr };
  std::unique_ptr<torch::optim::Adam>   generatorOptimizer_;
  std::unique_ptr<torch::optim::Adam>   discriminatorOptimizer_;
  ImagePool                             poolX_;
  ImagePool                             poolY_;
  int64_t                               epoch_{ 0 };
  int64_t                               iterationInEpoch_{ 0 };
  int64_t                               skippedUpdates_{ 0 };
  DivergenceGuard                       guard_;
  /// The last good state (weights and optimisers) and where it was taken.
  std::string                     snapshot_;
  int64_t                         snapshotEpoch_{ 0 }, snapshotIteration_{ 0 };
  std::string                     pendingEvent_;
  ValidationSet                   validation_;
  int64_t                         validationInterval_{ 0 };
  std::optional<ValidationRecord> bestValidation_;
  /// The generator's weights at the best validation.
  std::string                        bestWeights_;
  std::atomic<bool>                  stopRequested_{ false };
  bool                               stopAgreed_{ false };
  std::shared_ptr<DataParallelGroup> dataParallel_;
};

} // namespace revgan
