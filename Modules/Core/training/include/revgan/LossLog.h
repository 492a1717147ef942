// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/Trainer.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace revgan
{

/// \brief Writes training progress as CSV: epoch, iteration, learning_rate, samples_per_second,
/// then one column per loss, and validation_rmse for a run that validates (empty in the rows of
/// iterations after which it did not). The header is written with the first row; each row is flushed, so the
/// log can be plotted while training runs.
class LossLog
{
public:
  /// Opens `path` for a new log. Throws std::runtime_error naming the file if it cannot be opened.
  explicit LossLog(const std::string & path);

  /// Continues the log of a resumed run whose checkpoint stands at `iterationInEpoch` iterations
  /// into (0-based) `epoch`: keeps the rows up to there and drops those that a killed run wrote
  /// after its last checkpoint, so that each iteration appears once in the log.
  LossLog(const std::string & path, int64_t epoch, int64_t iterationInEpoch);

  /// Appends the row of `progress` (with the header before the first row). Throws std::runtime_error naming the
  /// file if it cannot be written, or if a continued log has other columns than this run writes.
  void
  write(const TrainingProgress & progress);

  /// Flushes the rows written so far to the disk (fsync). Called before each checkpoint, so that a
  /// crash of the machine leaves at least the rows up to the last checkpoint, which a resumed run
  /// keeps. Throws std::runtime_error naming the file (revgan-train warns and checkpoints anyway).
  void
  flushToDisk();

private:
  std::string              path_;
  std::ofstream            stream_;
  std::vector<std::string> columns_;
  /// The header of a continued log, which the rows of this run must match.
  std::string header_;
};

} // namespace revgan
