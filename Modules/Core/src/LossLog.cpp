#include "revgan/LossLog.h"

#include <filesystem>
#include <stdexcept>

namespace revgan
{

LossLog::LossLog(const std::string & path, bool append)
  : path_(path)
{
  const bool continuing = append && std::filesystem::exists(path) && std::filesystem::file_size(path) > 0;
  stream_.open(path, append ? std::ios::app : std::ios::trunc);
  if (!stream_)
    throw std::runtime_error("loss log '" + path + "' cannot be opened for writing");
  if (continuing)
    columns_ = { "" }; // a header is already there
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
