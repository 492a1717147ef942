// SPDX-License-Identifier: Apache-2.0
#include "TemporaryFolder.h"

#include "revgan/AtomicFileWriter.h"
#include "revgan/LossLog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace revgan
{
namespace
{

std::string
contents(const std::string & path)
{
  std::ifstream      file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

class AtomicFileWriterTest : public ::testing::Test
{
protected:
  std::string
  path(const std::string & name) const
  {
    return temporary_.path(name);
  }
  test::TemporaryFolder         temporary_{ "revgan-atomic" };
  const std::filesystem::path & folder_ = temporary_.folder();
};

void
writeText(const std::string & path, const std::string & text)
{
  writeFileAtomically(path, [&](const ByteSink & sink) { sink(text.data(), text.size()); });
}

TEST_F(AtomicFileWriterTest, ReplacesTheFileAndLeavesNoTemporary)
{
  writeText(path("a.txt"), "first");
  writeText(path("a.txt"), "second");
  EXPECT_EQ(contents(path("a.txt")), "second");
  EXPECT_FALSE(std::filesystem::exists(path("a.txt.partial")));
}

TEST_F(AtomicFileWriterTest, AFailedWriteLeavesThePreviousFileUnchanged)
{
  writeText(path("a.txt"), "first");
  try
  {
    writeFileAtomically(path("a.txt"),
                        [](const ByteSink & sink)
                        {
                          sink("half", 4);
                          throw std::runtime_error("producer failed\nwith details");
                        });
    FAIL() << "no exception";
  }
  catch (const std::runtime_error & error)
  {
    EXPECT_EQ(std::string(error.what()),
              "'" + path("a.txt") + "' cannot be written: producer failed (the file already there is left unchanged)");
  }
  EXPECT_EQ(contents(path("a.txt")), "first");
  EXPECT_FALSE(std::filesystem::exists(path("a.txt.partial")));
}

TEST_F(AtomicFileWriterTest, NamesAMissingFolder)
{
  const std::string missing = path("no-such-folder/a.txt");
  EXPECT_THROW(
    {
      try
      {
        writeText(missing, "x");
      }
      catch (const std::runtime_error & error)
      {
        EXPECT_NE(std::string(error.what()).find("folder '" + path("no-such-folder") + "' does not exist"),
                  std::string::npos)
          << error.what();
        throw;
      }
    },
    std::runtime_error);
  EXPECT_THROW(requireWritableLocation(missing), std::invalid_argument);
  EXPECT_THROW(requireWritableLocation(folder_.string()), std::invalid_argument); // a folder, not a file
  EXPECT_NO_THROW(requireWritableLocation(path("new.pt")));
  EXPECT_TRUE(std::filesystem::is_empty(folder_)); // the probe is removed, nothing is created
}

TEST_F(AtomicFileWriterTest, ResumedLossLogDropsRowsAfterTheCheckpoint)
{
  // What a run killed at epoch 1, iteration 3 leaves when its last checkpoint was at iteration 1.
  writeText(path("losses.csv"),
            "epoch,iteration,learning_rate,samples_per_second,generator\n"
            "0,1,0.1,5,0.5\n0,2,0.1,5,0.4\n1,1,0.1,5,0.3\n1,2,0.1,5,0.2\n1,3,0.1,5,0.1\n1,4,0.1");
  {
    LossLog          log(path("losses.csv"), 1, 1);
    TrainingProgress progress;
    progress.epoch = 1;
    progress.iteration = 2;
    progress.learningRate = 0.1;
    progress.samplesPerSecond = 6;
    progress.losses = { { "generator", 0.25 } };
    log.write(progress);
  }
  EXPECT_EQ(contents(path("losses.csv")),
            "epoch,iteration,learning_rate,samples_per_second,generator\n"
            "0,1,0.1,5,0.5\n0,2,0.1,5,0.4\n1,1,0.1,5,0.3\n1,2,0.1,6,0.25\n");

  // Rows cut short are dropped even before the checkpoint; other columns than the log's are refused.
  writeText(path("cut.csv"), "epoch,iteration,learning_rate,samples_per_second,generator\n0,1,0.1,5,0.5\n0,2,0.1\n");
  LossLog          cut(path("cut.csv"), 0, 2);
  TrainingProgress other;
  other.losses = { { "generator", 0.2 }, { "reconstruction_error_core", 1e-6 } };
  EXPECT_THROW(cut.write(other), std::runtime_error);
  EXPECT_EQ(contents(path("cut.csv")), "epoch,iteration,learning_rate,samples_per_second,generator\n0,1,0.1,5,0.5\n");
}

TEST_F(AtomicFileWriterTest, LossLogKeepsItsColumnsWhenAnIterationLacksALoss)
{
  // A skipped generator update reports no discriminator losses: the row leaves their fields empty
  // rather than moving the validation RMSE into them; a loss without a column is refused.
  TrainingProgress progress;
  progress.learningRate = 0.1;
  progress.samplesPerSecond = 5;
  progress.validates = true;
  {
    LossLog log(path("gan.csv"));
    progress.iteration = 1;
    progress.losses = { { "generator", 0.5 }, { "discriminator_x", 0.7 }, { "discriminator_y", 0.6 } };
    log.write(progress);
    progress.iteration = 2;
    progress.losses = { { "generator", 0.4 } };
    progress.validationRmse = 3.0;
    log.write(progress);
    progress.losses = { { "generator", 0.4 }, { "cycle", 0.1 } };
    EXPECT_THROW(log.write(progress), std::runtime_error);
  }
  EXPECT_EQ(
    contents(path("gan.csv")),
    "epoch,iteration,learning_rate,samples_per_second,generator,discriminator_x,discriminator_y,validation_rmse\n"
    "0,1,0.1,5,0.5,0.7,0.6,\n0,2,0.1,5,0.4,,,3\n");
}

} // namespace
} // namespace revgan
