// SPDX-License-Identifier: Apache-2.0
#include "revgan/LossLog.h"

#include "revgan/AtomicFileWriter.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace revgan
{

LossLog::LossLog(const std::string & path)
  : path_(path)
{
  stream_.open(path, std::ios::trunc);
  if (!stream_)
    throw std::runtime_error("loss log '" + path + "' cannot be opened for writing");
}

LossLog::LossLog(const std::string & path, int64_t epoch, int64_t iterationInEpoch)
  : path_(path)
{
  std::ostringstream contents;
  contents << std::ifstream(path).rdbuf();
  std::string text = contents.str();
  if (!text.empty() && text.back() != '\n')
    text.erase(text.rfind('\n') + 1); // a last row cut off by a kill or a full disk
  std::vector<std::string> kept;
  std::istringstream       lines(text);
  for (std::string line; std::getline(lines, line);)
  {
    if (kept.empty())
    {
      header_ = line;
      kept.push_back(line);
      continue;
    }
    std::istringstream fields(line);
    int64_t            rowEpoch = 0, rowIteration = 0;
    char               comma = 0;
    const bool complete = std::count(line.begin(), line.end(), ',') == std::count(header_.begin(), header_.end(), ',');
    if (complete && (fields >> rowEpoch >> comma >> rowIteration) &&
        (rowEpoch < epoch || (rowEpoch == epoch && rowIteration <= iterationInEpoch)))
      kept.push_back(line);
  }
  if (!kept.empty())
  {
    writeFileAtomically(path,
                        [&](const ByteSink & sink)
                        {
                          for (const auto & line : kept)
                          {
                            const std::string row = line + "\n";
                            sink(row.data(), row.size());
                          }
                        });
  }
  stream_.open(path, std::ios::app);
  if (!stream_)
    throw std::runtime_error("loss log '" + path + "' cannot be opened for writing");
}

void
LossLog::write(const TrainingProgress & progress)
{
  if (columns_.empty())
  {
    std::string header = "epoch,iteration,learning_rate,samples_per_second";
    for (const auto & loss : progress.losses)
    {
      header += "," + loss.first;
      columns_.push_back(loss.first);
    }
    if (progress.validates)
      header += ",validation_rmse";
    if (header_.empty())
      stream_ << header << '\n';
    else if (header != header_) // a resumed run must write the columns the log has
      throw std::runtime_error("loss log '" + path_ + "' has the columns '" + header_ + "' but this run writes '" +
                               header +
                               "' (another --monitor-reconstruction or validation choice?); log to another file");
  }
  // Values by column: an iteration may lack some (a skipped generator update leaves the
  // discriminators' losses out), and its row keeps the columns with an empty field there.
  for (const auto & loss : progress.losses)
  {
    if (std::find(columns_.begin(), columns_.end(), loss.first) == columns_.end())
      throw std::runtime_error("loss log '" + path_ + "': iteration " + std::to_string(progress.iteration) +
                               " reports the loss '" + loss.first + "', which is not one of its columns");
  }
  stream_ << progress.epoch << ',' << progress.iteration << ',' << progress.learningRate << ','
          << progress.samplesPerSecond;
  for (const auto & column : columns_)
  {
    stream_ << ',';
    const auto value = std::find_if(
      progress.losses.begin(), progress.losses.end(), [&](const auto & loss) { return loss.first == column; });
    if (value != progress.losses.end())
      stream_ << value->second;
  }
  if (progress.validates)
  {
    stream_ << ',';
    if (progress.validationRmse)
      stream_ << *progress.validationRmse; // empty where the iteration was not validated
  }
  stream_ << std::endl;
  if (!stream_)
    throw std::runtime_error("loss log '" + path_ + "' could not be written");
}

void
LossLog::flushToDisk()
{
  stream_.flush();
  if (!stream_)
    throw std::runtime_error("loss log '" + path_ + "' could not be written");
  flushFileToDisk(path_);
}

} // namespace revgan
