// SPDX-License-Identifier: Apache-2.0
// One spelling per option: revgan-train's parameters (describeTrain(), from which its command line,
// --help, 3D Slicer description and Python's revgan.train come) and the records in which
// checkpoints keep TrainerOptions name each option the same way. A new option of either kind
// fails here until it is spelled as the other, or the list below says why it has no counterpart.
#include "ModuleDescriptions.h"
#include "revgan/Trainer.h"
#include "revgan/TrainerOptions.h"

#include <gtest/gtest.h>
#include <torch/serialize.h>

#include <map>
#include <set>
#include <string>

namespace
{

/// revgan-train's parameters that are not TrainerOptions records, and where they go instead.
const std::map<std::string, std::string> kNotTrainerRecords{
  { "x", "data" },
  { "y", "data" },
  { "x_masks", "data" },
  { "y_masks", "data" },
  { "output", "the model file" },
  { "generator", "model file record" },
  { "width", "model file record" },
  { "depth", "model file record" },
  { "downsamplings", "model file record" },
  { "residual", "model file record" },
  { "input_interpolation", "model file record of the X frame (interpolation_x)" },
  { "log_tensors", "model file records log_tensors_x and log_tensors_y" },
  { "patch_size", "data sampling, a choice of the run" },
  { "samples_per_epoch", "data sampling, a choice of the run" },
  { "flips", "data sampling, a choice of the run" },
  { "symmetries", "data sampling, a choice of the run" },
  { "min_mask_fraction", "data sampling, a choice of the run" },
  { "ignore_geometry", "data pairing, a choice of the run" },
  { "validation_x", "validation data" },
  { "validation_y", "validation data" },
  { "validation_masks", "validation data" },
  { "validation_fraction", "validation data" },
  { "validation_interval", "checkpoint record of the Trainer's validation" },
  { "keep", "what the model file receives" },
  { "memory_budget", "chooses gradient_mode" },
  { "threads", "the process" },
  { "checkpoint", "files of the run" },
  { "checkpoint_interval", "files of the run" },
  { "resume", "files of the run" },
  { "loss_log", "files of the run" },
  { "world_size", "the data-parallel job" },
  { "rank", "the data-parallel job" },
  { "local_rank", "the data-parallel job" },
  { "master_addr", "the data-parallel job" },
  { "master_port", "the data-parallel job" },
  { "distributed_timeout", "the data-parallel job" },
  { "distributed_backend", "the data-parallel job" },
};

std::set<std::string>
programOptions()
{
  std::set<std::string>           names;
  const revgan::CommandLineModule module = revgan::describeTrain();
  for (const auto & parameter : module.parameters())
    names.insert(parameter.identifier());
  return names;
}

TEST(TrainOptions, EveryRecordIsAnOptionOfTheProgramSpelledTheSame)
{
  const std::set<std::string> options = programOptions();
  for (const std::string & record : revgan::TrainerOptions::recordNames())
  {
    EXPECT_TRUE(options.count(record)) << "the checkpoint record '" << record
                                       << "' names no option of revgan-train (spell it as the option)";
    EXPECT_FALSE(kNotTrainerRecords.count(record)) << "'" << record << "' is listed as not a record";
  }
}

TEST(TrainOptions, EveryOptionOfTheProgramIsARecordOrSaysWhereItGoes)
{
  const auto                  names = revgan::TrainerOptions::recordNames();
  const std::set<std::string> records(names.begin(), names.end());
  const std::set<std::string> options = programOptions();
  for (const std::string & option : options)
    EXPECT_TRUE(records.count(option) || kNotTrainerRecords.count(option))
      << "--" << option << " of revgan-train is neither a TrainerOptions record nor listed in kNotTrainerRecords";
  for (const auto & [name, where] : kNotTrainerRecords)
    EXPECT_TRUE(options.count(name)) << "kNotTrainerRecords lists '" << name << "', which revgan-train does not have";
}

TEST(TrainOptions, CheckpointsWithTheFormerRecordNamesStillResume)
{
  // Written before the records took the options' names (adversarial_weight, squared_error,
  // constant_epochs, discriminator_strided_layers, double_precision).
  const std::string              old = REVGAN_SOURCE_DIR "/Testing/Fuzz/corpus/model/seeds/checkpoint-paired.pt";
  torch::serialize::InputArchive checkpoint, archive;
  checkpoint.load_from(old);
  ASSERT_TRUE(checkpoint.try_read("options", archive));
  c10::IValue record;
  ASSERT_TRUE(archive.try_read("adversarial_weight", record)) << "the seed is not a checkpoint of the former names";
  const double ganWeight = record.toDouble();
  ASSERT_TRUE(archive.try_read("constant_epochs", record));
  const int64_t epochs = record.toInt();
  ASSERT_TRUE(archive.try_read("squared_error", record));
  const bool squared = record.toBool();
  ASSERT_TRUE(archive.try_read("double_precision", record));
  const bool isDouble = record.toBool();
  ASSERT_TRUE(archive.try_read("discriminator_strided_layers", record));
  const int64_t layers = record.toInt();

  const auto                     trainer = revgan::Trainer::resume(old);
  const revgan::TrainerOptions & options = trainer->options();
  EXPECT_EQ(options.ganWeight, ganWeight);
  EXPECT_EQ(options.epochs, epochs);
  EXPECT_EQ(options.reconstructionLoss, squared ? revgan::ReconstructionLoss::L2 : revgan::ReconstructionLoss::L1);
  EXPECT_EQ(options.precision, isDouble ? torch::kDouble : torch::kFloat);
  EXPECT_EQ(options.discriminatorLayers, layers);
}

} // namespace
