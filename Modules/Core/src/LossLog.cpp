#include "revgan/LossLog.h"

#include "revgan/AtomicFileWriter.h"

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
  std::vector<std::string> kept;
  std::ifstream            existing(path);
  for (std::string line; std::getline(existing, line);)
  {
    if (kept.empty())
    {
      kept.push_back(line); // the header
      continue;
    }
    std::istringstream fields(line);
    int64_t            rowEpoch = 0, rowIteration = 0;
    char               comma = 0;
    if (!(fields >> rowEpoch >> comma >> rowIteration))
      continue; // a row cut off by a kill
    if (rowEpoch < epoch || (rowEpoch == epoch && rowIteration <= iterationInEpoch))
      kept.push_back(line);
  }
  existing.close();
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
    columns_ = { "" }; // a header is already there
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
    stream_ << "epoch,iteration,learning_rate,samples_per_second";
    for (const auto & loss : progress.losses)
    {
      stream_ << ',' << loss.first;
      columns_.push_back(loss.first);
    }
    stream_ << '\n';
  }
  stream_ << progress.epoch << ',' << progress.iteration << ',' << progress.learningRate << ','
          << progress.samplesPerSecond;
  for (const auto & loss : progress.losses)
    stream_ << ',' << loss.second;
  stream_ << std::endl;
  if (!stream_)
    throw std::runtime_error("loss log '" + path_ + "' could not be written");
}

} // namespace revgan
