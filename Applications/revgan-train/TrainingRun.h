// SPDX-License-Identifier: Apache-2.0
#pragma once
// Training as revgan-train does it, in one call: the program, the Python package's revgan.train and
// any C++ caller run the same code from the same options (describeTrain()'s table). Free of
// LibTorch and ITK headers, so that callers compile quickly.

#include "CommandLineModule.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace revgan
{

struct TrainingProgress;

/// \brief What a training run tells its caller while it runs. Every member may be empty.
///
/// In a data-parallel job only rank 0 receives `progress`, `report` and `warn`; every process polls
/// `stop`.
struct TrainingRunHooks
{
  /// After every iteration, with its losses and any validation.
  std::function<void(const TrainingProgress &)> progress;
  /// A line on what the run does ("validating on 1000 voxels …"), without the program's name.
  std::function<void(const std::string &)> report;
  /// A line on something that went wrong without stopping the run (a loss log that cannot be
  /// flushed, a return to earlier weights after a divergence comes through `progress`).
  std::function<void(const std::string &)> warn;
  /// Polled after every iteration: true stops training there (all processes of a job after the same
  /// iteration); the run then writes its checkpoint, which `resume` continues exactly.
  std::function<bool()> stop;
};

/// The best validated weights of a run: their validation RMSE and when they were reached (after
/// `iteration` iterations of 1-based `epoch`; epoch 1, iteration 0: the weights training started
/// from).
struct ValidatedWeights
{
  double  rmse{ 0.0 };
  int64_t epoch{ 0 };
  int64_t iteration{ 0 };
};

/// How a training run ended.
struct TrainingRunResult
{
  enum class Outcome
  {
    /// All epochs trained; the model file is written.
    Finished,
    /// A divergence the guard could not undo stopped training early; the model file is written
    /// (the best validated weights, or the last before the divergence). `divergence` says where.
    Diverged,
    /// `stop` asked training to stop: the checkpoint is written, the model file is not.
    Stopped
  };
  Outcome     outcome{ Outcome::Finished };
  std::string divergence;
  /// The model file, and the checkpoint (written when stopped, and wherever the options ask).
  std::string output;
  std::string checkpoint;
  /// Where training stopped (1-based epoch, iterations done in it); for a finished run the epochs
  /// trained, and 0.
  int64_t epoch{ 0 };
  int64_t iteration{ 0 };
  /// The weights the model file holds are the best validated ones (keep best with validation).
  std::optional<ValidatedWeights> keptBest;
  /// This process wrote the files (rank 0 of a job, or the only process).
  bool wroteFiles{ true };
};

/// Trains as revgan-train does: reads and pairs the images and masks (a coarse X onto its pair's
/// grid), fits the intensity scaling (log-Euclidean tensors on request), splits off or reads the
/// validation data, joins a data-parallel job (torchrun's environment or the options), chooses the
/// gradient mode for a memory budget, resumes from a checkpoint, trains with checkpoints and a loss
/// log, and writes the model file (atomically). `options` are describeTrain()'s parameters, parsed.
/// Sets LibTorch's and OpenBLAS's threads from the `threads` option (0: all of the machine's, shared
/// among a job's processes on it).
///
/// Throws std::invalid_argument (bad options or images; one line naming the file or option),
/// ModelFileError (a checkpoint that cannot be resumed) and what training throws otherwise
/// (NonFiniteTrainingError, a data-parallel peer's failure, exceptions of the hooks).
TrainingRunResult
runTraining(const CommandLineModule & options, const TrainingRunHooks & hooks = {});

} // namespace revgan
