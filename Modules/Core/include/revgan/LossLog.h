#pragma once

#include "revgan/Trainer.h"

#include <fstream>
#include <string>
#include <vector>

namespace revgan
{

/// \brief Writes training progress as CSV: epoch, iteration, learning_rate, samples_per_second,
/// then one column per loss. The header is written with the first row; each row is flushed, so the
/// log can be plotted while training runs.
class LossLog
{
public:
  /// Opens `path` for writing (appending when `append`, as when a run is resumed). Throws
  /// std::runtime_error naming the file if it cannot be opened.
  explicit LossLog(const std::string & path, bool append = false);

  void
  write(const TrainingProgress & progress);

private:
  std::string              path_;
  std::ofstream            stream_;
  std::vector<std::string> columns_;
};

} // namespace revgan
