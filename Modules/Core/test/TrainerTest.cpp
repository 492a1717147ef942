#include "GradientComparison.h"
#include "SyntheticTraining.h"

#include "revgan/LossLog.h"
#include "revgan/ModelArchiveCheck.h"
#include "revgan/ModelFile.h"
#include "revgan/Trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace revgan
{
namespace
{

using test::tinyRevGAN;

TrainerOptions
tinyOptions(Objective objective)
{
  TrainerOptions options = TrainerOptions::forObjective(objective);
  options.constantEpochs = 1;
  options.decayEpochs = 2;
  options.discriminatorWidth = 4;
  options.poolSize = 2;
  options.seed = 5;
  return options;
}

using test::syntheticSource;

std::string
temporaryPath(const std::string & name)
{
  return (std::filesystem::temp_directory_path() / ("revgan_test_" + std::to_string(::getpid()) + "_" + name)).string();
}

TEST(Losses, ValuesOfTheAdversarialObjectives)
{
  const torch::Tensor zeros = torch::zeros({ 2, 1, 3, 3 });
  EXPECT_DOUBLE_EQ(adversarialLoss(zeros, true, GanLoss::LeastSquares).item<double>(), 1.0);
  EXPECT_DOUBLE_EQ(adversarialLoss(zeros, false, GanLoss::LeastSquares).item<double>(), 0.0);
  EXPECT_NEAR(adversarialLoss(zeros, true, GanLoss::Vanilla).item<double>(), std::log(2.0), 1e-6);
  EXPECT_NEAR(adversarialLoss(torch::full({ 4 }, 20.0), true, GanLoss::Vanilla).item<double>(), 0.0, 1e-6);
  EXPECT_DOUBLE_EQ(meanAbsoluteError(torch::ones({ 4 }), torch::zeros({ 4 })).item<double>(), 1.0);
  EXPECT_EQ(parseGanLoss(toString(GanLoss::Vanilla)), GanLoss::Vanilla);
  EXPECT_THROW(parseGanLoss("wasserstein"), std::invalid_argument);
}

TEST(ImagePool, FillsThenMixesHistoryAndRoundTrips)
{
  torch::manual_seed(1);
  ImagePool pool(3);
  for (int i = 0; i < 3; ++i)
  {
    const torch::Tensor sample = torch::full({ 1, 1, 2, 2 }, static_cast<double>(i));
    EXPECT_TRUE(torch::equal(pool.query(sample), sample)); // returned as is while filling
  }
  EXPECT_EQ(pool.size(), 3u);
  int fromHistory = 0;
  for (int i = 0; i < 200; ++i)
  {
    const torch::Tensor sample = torch::full({ 1, 1, 2, 2 }, 100.0 + i);
    fromHistory += torch::equal(pool.query(sample), sample) ? 0 : 1;
  }
  EXPECT_GT(fromHistory, 60); // about half
  EXPECT_LT(fromHistory, 140);

  const std::string               path = temporaryPath("pool.pt");
  torch::serialize::OutputArchive out;
  pool.save(out);
  out.save_to(path);
  torch::serialize::InputArchive in;
  in.load_from(path);
  ImagePool restored(0);
  restored.load(in);
  EXPECT_EQ(restored.capacity(), 3);
  EXPECT_EQ(restored.size(), 3u);
  std::filesystem::remove(path);
}

TEST(CropSource, PairedCropsShowTheSamePlace)
{
  torch::manual_seed(3);
  const torch::Tensor image = torch::arange(2 * 30 * 20, torch::kFloat).reshape({ 2, 30, 20 });
  CropSource          source({ image }, { image * 2 }, { 8, 6 }, /*paired=*/true, /*randomFlips=*/true);
  for (int i = 0; i < 5; ++i)
  {
    const TrainingBatch batch = source.nextBatch(3);
    EXPECT_EQ(batch.x.sizes(), torch::IntArrayRef({ 3, 2, 8, 6 }));
    EXPECT_TRUE(torch::equal(batch.y, batch.x * 2));
  }
  EXPECT_THROW(CropSource({ image }, { image }, { 40, 6 }, true), std::invalid_argument);
  EXPECT_THROW(CropSource({ image }, { image, image }, { 8, 6 }, true), std::invalid_argument);
  EXPECT_THROW(CropSource({ image }, { image.narrow(1, 0, 20) }, { 8, 6 }, true), std::invalid_argument);
}

TEST(CropSource, FlipsOfTensorVolumesChangeTheTensorsFrameToo)
{
  torch::manual_seed(5);
  // Whole-volume crops of (6, z, y, x) tensors: each sample is the volume or its x-flip.
  const torch::Tensor tensors = torch::arange(6 * 3 * 4 * 5, torch::kFloat).reshape({ 6, 3, 4, 5 });
  const torch::Tensor sign = torch::tensor({ 1.0f, -1.0f, -1.0f, 1.0f, 1.0f, 1.0f }).view({ 6, 1, 1, 1 });
  const torch::Tensor flipped = tensors.flip({ -1 }) * sign; // R D Rᵀ, R = diag(-1, 1, 1): xy, xz negated
  CropSource          source({ tensors }, { tensors }, { 3, 4, 5 }, /*paired=*/false, /*randomFlips=*/true);
  source.setTensorDomains(true, false);
  int asIs = 0, asFlipped = 0;
  for (int i = 0; i < 8; ++i)
  {
    const TrainingBatch batch = source.nextBatch(4);
    for (int64_t b = 0; b < 4; ++b)
    {
      const bool same = torch::equal(batch.x[b], tensors), isFlipped = torch::equal(batch.x[b], flipped);
      EXPECT_TRUE(same || isFlipped) << "sample " << b << " of batch " << i;
      asIs += same ? 1 : 0;
      asFlipped += isFlipped ? 1 : 0;
      // Domain Y was not declared to hold tensors: its flips move voxels only.
      EXPECT_TRUE(torch::equal(batch.y[b], tensors) || torch::equal(batch.y[b], tensors.flip({ -1 })));
    }
  }
  EXPECT_GT(asIs, 0);
  EXPECT_GT(asFlipped, 0);
  const torch::Tensor scalars = torch::zeros({ 1, 3, 4, 5 });
  CropSource          other({ scalars }, { scalars }, { 3, 4, 5 }, true, true);
  EXPECT_THROW(other.setTensorDomains(true, false), std::invalid_argument);
}

TEST(Trainer, LearningRateIsConstantThenDecaysLinearlyToZero)
{
  TrainerOptions options = tinyOptions(Objective::Paired);
  options.constantEpochs = 2;
  options.decayEpochs = 3;
  options.adversarialWeight = 0.0;
  Trainer trainer(tinyRevGAN(), options);
  EXPECT_DOUBLE_EQ(trainer.learningRateForEpoch(0), 2e-4);
  EXPECT_DOUBLE_EQ(trainer.learningRateForEpoch(1), 2e-4);
  EXPECT_DOUBLE_EQ(trainer.learningRateForEpoch(2), 2e-4 * 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(trainer.learningRateForEpoch(4), 2e-4 * 1.0 / 4.0);
  EXPECT_DOUBLE_EQ(trainer.learningRateForEpoch(10), 0.0);
}

TEST(Trainer, InvalidOptionsAreClearErrors)
{
  TrainerOptions options = tinyOptions(Objective::Paired);
  options.batchSize = 0;
  EXPECT_THROW(Trainer(tinyRevGAN(), options), std::invalid_argument);
  EXPECT_THROW(parseObjective("semi"), std::invalid_argument);
}

// Interrupted and resumed from a checkpoint, a run ends with the same weights as one that ran
// through — for both objectives (the unpaired one also restores its pools).
TEST(Trainer, ResumedRunEndsWithTheSameWeights)
{
  for (const Objective objective : { Objective::Paired, Objective::Unpaired })
  {
    const TrainerOptions options = tinyOptions(objective);
    CropSource           throughSource = syntheticSource(objective == Objective::Paired);
    Trainer              through(tinyRevGAN(), options);
    through.train(throughSource);
    EXPECT_EQ(through.epoch(), 3);

    CropSource        firstSource = syntheticSource(objective == Objective::Paired);
    const std::string checkpoint = temporaryPath("checkpoint.pt");
    {
      Trainer interrupted(tinyRevGAN(), options);
      interrupted.train(firstSource, 2);
      interrupted.saveCheckpoint(checkpoint);
    }
    torch::manual_seed(12345); // whatever happened in between must not matter
    auto resumed = Trainer::resume(checkpoint);
    EXPECT_EQ(resumed->epoch(), 2);
    resumed->train(firstSource);
    EXPECT_LE(test::maxParameterDifference(*resumed->generator(), *through.generator()), 1e-6) << toString(objective);
    EXPECT_GT(test::maxParameterDifference(*resumed->generator(), *Trainer(tinyRevGAN(), options).generator()), 1e-4)
      << "training changed nothing";
    std::filesystem::remove(checkpoint);
  }
}

// The biases of convolutions followed by instance normalization have a gradient that is zero up
// to rounding, and Adam turns that noise into steps of ±lr whose signs differ between runs; they do
// not change what the network computes. Weights must agree to 1e-5 and outputs (range [-1, 1]) to
// 1e-3: Adam divides by the root of tiny second moments, which magnifies float rounding.
TEST(Trainer, NaiveAndReversibleTrainingGiveTheSameWeights)
{
  auto trainedWith = [](GradientMode mode)
  {
    TrainerOptions options = tinyOptions(Objective::Unpaired);
    options.gradientMode = mode;
    CropSource source = syntheticSource(false);
    Trainer    trainer(tinyRevGAN(), options);
    trainer.train(source, 1);
    return trainer.generator();
  };
  auto naive = trainedWith(GradientMode::Naive);
  auto reversible = trainedWith(GradientMode::Reversible);
  EXPECT_LE(test::maxParameterDifference(*reversible, *naive, "weight"), 1e-5);
  torch::NoGradGuard  noGrad;
  const torch::Tensor x = syntheticSource(true).nextBatch(1).x;
  EXPECT_LE((naive->forward(x) - reversible->forward(x)).abs().max().item<double>(), 1e-3);
  EXPECT_LE((naive->inverse(x) - reversible->inverse(x)).abs().max().item<double>(), 1e-3);
}

TEST(Trainer, SameSeedSameRun)
{
  auto trained = []
  {
    CropSource source = syntheticSource(false);
    Trainer    trainer(tinyRevGAN(), tinyOptions(Objective::Unpaired));
    trainer.train(source, 1);
    return trainer.generator();
  };
  EXPECT_EQ(test::maxParameterDifference(*trained(), *trained()), 0.0);
}

// A NaN in the data must stop training with a message naming the step, before any weight changes;
// or, when asked, the update is skipped and training goes on.
TEST(Trainer, NonFiniteLossStopsTrainingOrIsSkipped)
{
  CropSource    source = syntheticSource(true);
  TrainingBatch batch = source.nextBatch(1);
  TrainingBatch poisoned = batch;
  poisoned.x = batch.x.clone();
  poisoned.x.index_put_({ 0, 0, 5, 7 }, std::numeric_limits<float>::quiet_NaN());

  Trainer                    trainer(tinyRevGAN(), tinyOptions(Objective::Paired));
  std::vector<torch::Tensor> before;
  for (const auto & parameter : trainer.generator()->parameters())
    before.push_back(parameter.detach().clone());
  auto change = [&]
  {
    double     largest = 0.0;
    const auto now = trainer.generator()->parameters();
    for (size_t i = 0; i < now.size(); ++i)
      largest = std::max(largest, (now[i] - before[i]).abs().max().item<double>());
    return largest;
  };
  try
  {
    trainer.step(poisoned);
    FAIL() << "a NaN input must stop training";
  }
  catch (const NonFiniteTrainingError & error)
  {
    const std::string message = error.what();
    EXPECT_NE(message.find("epoch 0, iteration 0: the generator loss is nan"), std::string::npos) << message;
  }
  EXPECT_EQ(change(), 0.0);

  trainer.setSkipNonFiniteUpdates(true);
  trainer.step(poisoned);
  EXPECT_EQ(trainer.skippedUpdates(), 1);
  EXPECT_EQ(change(), 0.0);
  trainer.step(batch);
  EXPECT_EQ(trainer.skippedUpdates(), 1);
  EXPECT_GT(change(), 0.0);
}

// Pix2pix and CycleGAN are the same objectives with the ResNet generator pair.
TEST(Trainer, BaselinesTrainWithTheSameCode)
{
  GeneratorSpec spec = tinyRevGAN();
  spec.kind = GeneratorKind::ResNet;
  for (const Objective objective : { Objective::Paired, Objective::Unpaired })
  {
    CropSource       source = syntheticSource(objective == Objective::Paired);
    Trainer          trainer(spec, tinyOptions(objective));
    const LossValues losses = trainer.step(source.nextBatch(2));
    ASSERT_EQ(losses.size(), 7u) << toString(objective);
    for (const auto & [name, value] : losses)
      EXPECT_TRUE(std::isfinite(value)) << name;
    EXPECT_GT(test::maxParameterDifference(*trainer.generator(), *Trainer(spec, tinyOptions(objective)).generator()),
              0.0);
  }
}

TEST(Trainer, MonitorsTheReconstructionErrorOfTheCore)
{
  CropSource     source = syntheticSource(true);
  TrainerOptions options = tinyOptions(Objective::Paired);
  options.monitorReconstruction = true;
  Trainer          trainer(tinyRevGAN(), options);
  const LossValues values = trainer.step(source.nextBatch(1));
  ASSERT_GE(values.size(), 2u);
  const auto & absolute = values[values.size() - 2];
  const auto & relative = values.back();
  ASSERT_EQ(absolute.first, "reconstruction_error_core");
  ASSERT_EQ(relative.first, "reconstruction_relative_error_core");
  EXPECT_GE(absolute.second, 0.0);
  EXPECT_LE(relative.second, 1e-6);
  trainer.setMonitorReconstruction(false);
  EXPECT_NE(trainer.step(source.nextBatch(1)).back().first, "reconstruction_relative_error_core");

  options.monitorReconstruction = false;
  options.gradientMode = GradientMode::Naive;
  Trainer naive(tinyRevGAN(), options);
  EXPECT_THROW(naive.setMonitorReconstruction(true), std::invalid_argument);
}

TEST(Trainer, ReportsProgressAndWritesALossLog)
{
  TrainerOptions    options = tinyOptions(Objective::Paired);
  CropSource        source = syntheticSource(true);
  Trainer           trainer(tinyRevGAN(), options);
  const std::string logPath = temporaryPath("losses.csv");
  {
    LossLog log(logPath);
    int     calls = 0;
    trainer.train(source,
                  1,
                  [&](const TrainingProgress & progress)
                  {
                    ++calls;
                    EXPECT_EQ(progress.epoch, 0);
                    EXPECT_EQ(progress.iterationsPerEpoch, 4);
                    EXPECT_GT(progress.samplesPerSecond, 0.0);
                    log.write(progress);
                  });
    EXPECT_EQ(calls, 4);
  }
  std::ifstream file(logPath);
  std::string   header, line;
  std::getline(file, header);
  EXPECT_EQ(header, "epoch,iteration,learning_rate,samples_per_second,generator,l1_xy,l1_yx,gan_xy,gan_yx,d_x,d_y");
  int rows = 0;
  while (std::getline(file, line))
    ++rows;
  EXPECT_EQ(rows, 4);
  std::filesystem::remove(logPath);
  EXPECT_THROW(LossLog("/nonexistent-folder/losses.csv"), std::runtime_error);
}

class ModelFileTest : public ::testing::Test
{
protected:
  void
  SetUp() override
  {
    path_ = temporaryPath("model.pt");
    normalization_.offsetX = { 127.5 };
    normalization_.scaleX = { 127.5 };
    normalization_.offsetY = { 10.0 };
    normalization_.scaleY = { 5.0 };
    torch::manual_seed(8);
    generator_ = makeGenerator(tinyRevGAN());
    saveModel(path_, *generator_, normalization_);
  }
  void
  TearDown() override
  {
    std::filesystem::remove(path_);
  }

  /// Expects loading to fail with a message naming the file and containing `problem`.
  void
  expectLoadError(const std::string & problem)
  {
    try
    {
      loadModel(path_);
      ADD_FAILURE() << "loaded a bad file; expected: " << problem;
    }
    catch (const ModelFileError & error)
    {
      const std::string message = error.what();
      EXPECT_NE(message.find(path_), std::string::npos) << message;
      EXPECT_NE(message.find(problem), std::string::npos) << message;
    }
  }

  /// Rewrites the model file with a changed header or architecture.
  void
  rewrite(int64_t version, int64_t declaredWidth)
  {
    torch::serialize::OutputArchive archive, model;
    archive.write("format", c10::IValue(std::string("revgan-model")));
    archive.write("format_version", c10::IValue(version));
    writeModel(model, *generator_, normalization_, {}, {});
    model.write("width", c10::IValue(declaredWidth)); // declares another architecture than the weights have
    archive.write("model", model);
    archive.save_to(path_);
  }

  std::string                           path_;
  IntensityNormalization                normalization_;
  std::shared_ptr<TranslationGenerator> generator_;
};

TEST_F(ModelFileTest, RoundTripRebuildsTheSameNetwork)
{
  const Model model = loadModel(path_);
  EXPECT_TRUE(model.spec == generator_->spec());
  EXPECT_TRUE(model.normalization == normalization_);
  torch::NoGradGuard  noGrad;
  const torch::Tensor x = torch::randn({ 1, 1, 16, 16 });
  EXPECT_TRUE(torch::equal(model.generator->forward(x), generator_->forward(x)));
  EXPECT_TRUE(torch::equal(model.generator->inverse(x), generator_->inverse(x)));
  EXPECT_FALSE(std::filesystem::exists(path_ + ".partial"));
}

TEST_F(ModelFileTest, PlainModelsStayVersion1AndLogTensorModelsAreVersion2)
{
  const auto formatVersion = [this]
  {
    torch::serialize::InputArchive archive;
    archive.load_from(path_);
    c10::IValue version;
    archive.read("format_version", version);
    return version.toInt();
  };
  EXPECT_EQ(formatVersion(), 1); // earlier builds keep reading models that do not need version 2
  normalization_.logTensorsY = true;
  normalization_.tensorFloorY = 3e-6;
  saveModel(path_, *generator_, normalization_);
  EXPECT_EQ(formatVersion(), 2);
  const Model model = loadModel(path_);
  EXPECT_FALSE(model.normalization.logTensorsX);
  EXPECT_TRUE(model.normalization.logTensorsY);
  EXPECT_EQ(model.normalization.tensorFloorY, 3e-6);
  EXPECT_TRUE(model.normalization == normalization_);
}

TEST_F(ModelFileTest, RecordsTheFramesOfTheTrainingImages)
{
  EXPECT_TRUE(loadModel(path_).frameX == DomainFrame{}) << "nothing recorded, nothing read";
  const DomainFrame x{ true, { 1, 0, 0, 0, 0, -1, 0, 1, 0 } }, y{ false, { -1, 0, 0, 0, 1, 0, 0, 0, 1 } };
  saveModel(path_, *generator_, normalization_, x, y);
  const Model model = loadModel(path_);
  EXPECT_TRUE(model.frameX == x);
  EXPECT_TRUE(model.frameY == y);
  // Optional records: the format version stays 1, and earlier builds, which read records by
  // name, still read the file.
  torch::serialize::InputArchive archive;
  archive.load_from(path_);
  c10::IValue version;
  archive.read("format_version", version);
  EXPECT_EQ(version.toInt(), 1);

  // Checkpoints keep them, and a resumed trainer writes them again.
  Trainer trainer(tinyRevGAN(), tinyOptions(Objective::Paired), normalization_);
  trainer.setDomainFrames(x, y);
  trainer.saveCheckpoint(path_);
  const auto resumed = Trainer::resume(path_);
  EXPECT_TRUE(resumed->frameX() == x);
  EXPECT_TRUE(resumed->frameY() == y);
  resumed->saveModel(path_);
  EXPECT_TRUE(loadModel(path_).frameX == x);
}

TEST_F(ModelFileTest, TensorsInAnUnknownFrameAreAnError)
{
  torch::serialize::OutputArchive archive, model;
  archive.write("format", c10::IValue(std::string("revgan-model")));
  archive.write("format_version", c10::IValue(int64_t{ 1 }));
  writeModel(model, *generator_, normalization_, {}, {});
  model.write("tensor_frame_x", c10::IValue(std::string("measurement frame")));
  archive.write("model", model);
  archive.save_to(path_);
  expectLoadError("gives the tensors of domain x in a frame this build does not know ('measurement frame')");
}

TEST_F(ModelFileTest, RecordsTheToolkitVersion)
{
  torch::serialize::InputArchive archive;
  archive.load_from(path_);
  c10::IValue version;
  ASSERT_TRUE(archive.try_read("toolkit_version", version));
  EXPECT_EQ(version.toStringRef(), REVGAN_VERSION);
}

TEST_F(ModelFileTest, MissingFileIsAnError)
{
  std::filesystem::remove(path_);
  expectLoadError("cannot be opened");
}

TEST_F(ModelFileTest, TruncatedFileIsAnError)
{
  std::filesystem::resize_file(path_, std::filesystem::file_size(path_) / 2);
  expectLoadError("truncated or corrupted");
}

TEST_F(ModelFileTest, CorruptedWeightsAreDetected)
{
  // Overwrite bytes of a weight where they lie in the file (found by their values: the archive
  // also holds headers and alignment padding, where a change would be harmless).
  std::string bytes;
  {
    std::ifstream      in(path_, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    bytes = text.str();
  }
  const torch::Tensor weight = generator_->parameters().front().detach().contiguous();
  const std::string   pattern(static_cast<const char *>(weight.data_ptr()), 16);
  const size_t        position = bytes.find(pattern);
  ASSERT_NE(position, std::string::npos);
  bytes.replace(position, 16, "0123456789abcdef");
  std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;
  try
  {
    loadModel(path_);
    FAIL() << "corrupted file loaded";
  }
  catch (const ModelFileError & error)
  {
    // The record's CRC-32 catches it before LibTorch parses anything; the weights' own checksum
    // is the second line, for archives whose records were rewritten consistently.
    EXPECT_NE(std::string(error.what()).find("does not match its CRC-32"), std::string::npos) << error.what();
  }
}

TEST_F(ModelFileTest, TensorsThatClaimMoreThanTheirStoredBytesAreAnError)
{
  // LibTorch's reader takes a tensor's offset and shape from the archive as they are (found by
  // Testing/Fuzz); one that runs past its stored bytes must not reach a reader of its values.
  torch::Tensor outside = torch::zeros({ 10 });
  outside.unsafeGetTensorImpl()->set_storage_offset(8);
  torch::serialize::OutputArchive archive, nested;
  archive.write("format", c10::IValue(std::string("revgan-model")));
  archive.write("format_version", c10::IValue(kModelFormatVersion));
  nested.write("tensor_0", outside);
  archive.write("model", nested);
  archive.save_to(path_);
  expectLoadError("record 'model' claims a tensor of shape [10] that does not fit the 40 bytes stored for it");
}

TEST(ModelArchiveCheck, PickleOpcodesMustFitTheirRecord)
{
  using namespace std::string_literals;
  // PROTO 2, BINUNICODE "abc", BINPUT 0, STOP.
  EXPECT_NO_THROW(checkPickleLengths("\x80\x02X\x03\x00\x00\x00"
                                     "abc"
                                     "q\x00."s,
                                     "archive/data.pkl",
                                     "m.pt"));
  const auto expectRefused = [](const std::string & pickle, const std::string & problem)
  {
    try
    {
      checkPickleLengths(pickle, "archive/data.pkl", "m.pt");
      ADD_FAILURE() << "accepted; expected: " << problem;
    }
    catch (const ModelFileError & error)
    {
      EXPECT_NE(std::string(error.what()).find(problem), std::string::npos) << error.what();
    }
  };
  // BINBYTES8 claiming 4 GiB, followed by one byte: LibTorch would allocate the 4 GiB first.
  expectRefused("\x80\x02\x8e\x00\x00\x00\x00\x01\x00\x00\x00."s,
                "record 'archive/data.pkl' at byte 2: an opcode claims 4294967296 bytes but 1 follow");
  expectRefused("\x80\x02\xff."s, "at byte 2: not a pickle opcode (0xff)");
  expectRefused("\x80\x02X\x03\x00\x00\x00"
                "abc"s,
                "no STOP opcode");
  expectRefused("\x80\x02"
                "cbuiltins\nstr"s,
                "ends inside an opcode's text argument");
  expectRefused("\x80\x02J\x01\x00"s, "ends inside an opcode's argument");
}

TEST_F(ModelFileTest, ForeignFileIsAnError)
{
  std::ofstream(path_) << "not a model\n";
  expectLoadError("not a RevGAN model or checkpoint file (not a zip archive)");
}

TEST_F(ModelFileTest, ArchivesWithCodeAreNeverLoaded)
{
  // A TorchScript module with a method: LibTorch would compile it, and run __setstate__ methods
  // while loading. Model files hold data only.
  torch::jit::Module scripted("__torch__.Foreign");
  scripted.register_attribute("format", c10::StringType::get(), c10::IValue(std::string("revgan-model")));
  scripted.define("def forward(self, x: int) -> int:\n  return x + 1\n");
  scripted.save(path_);
  expectLoadError("defines methods; RevGAN files hold data only, never code");
}

TEST_F(ModelFileTest, WrongVersionIsAnError)
{
  rewrite(99, 4);
  expectLoadError("has format version 99, this build reads versions 1 to 2");
}

TEST_F(ModelFileTest, WeightsOfAnotherArchitectureAreAnError)
{
  rewrite(kModelFormatVersion, 8);
  expectLoadError("has shape");
}

TEST_F(ModelFileTest, CheckpointIsNotAcceptedWhereOnlyModelsAre)
{
  EXPECT_THROW(Trainer::resume(path_), ModelFileError);
}

} // namespace
} // namespace revgan

namespace revgan
{
namespace
{

TEST(CropSource, MaskFractionSelectsCropsInsideTheMask)
{
  torch::manual_seed(6);
  const torch::Tensor image = torch::randn({ 1, 40, 40 });
  torch::Tensor       mask = torch::zeros({ 40, 40 });
  mask.narrow(0, 30, 10).narrow(1, 30, 10).fill_(1.0); // a 10×10 corner
  CropSource source({ image }, { image }, { 8, 8 }, /*paired=*/true);
  source.setMasks({ mask }, {}, 0.5);
  for (int i = 0; i < 20; ++i)
  {
    const TrainingBatch batch = source.nextBatch(1);
    // The crop must be found in the image where at least half of it lies in the mask.
    bool found = false;
    for (int64_t r = 0; r <= 32 && !found; ++r)
      for (int64_t c = 0; c <= 32 && !found; ++c)
        if (torch::equal(image.narrow(1, r, 8).narrow(2, c, 8), batch.x[0]))
        {
          found = true;
          EXPECT_GE(mask.narrow(0, r, 8).narrow(1, c, 8).mean().item<double>(), 0.5);
        }
    EXPECT_TRUE(found);
  }
  source.setMasks({ torch::zeros({ 40, 40 }) }, {}, 0.01);
  EXPECT_THROW(source.nextBatch(1), std::runtime_error);
  EXPECT_THROW(source.setMasks({ torch::zeros({ 30, 40 }) }, {}, 0.01), std::invalid_argument);
  EXPECT_THROW(source.setMasks({ mask }, {}, 1.5), std::invalid_argument);
}

TEST(ImageBuffer, BecomesATensorOfItsShape)
{
  ImageBuffer buffer;
  buffer.shape = { 2, 2, 3 };
  buffer.data = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
  const torch::Tensor tensor = tensorFromBuffer(buffer);
  EXPECT_EQ(tensor.sizes(), torch::IntArrayRef({ 2, 2, 3 }));
  EXPECT_EQ(tensor[1][0][2].item<float>(), 8.0f);
  EXPECT_EQ(buffer.pixels(), 6);
  buffer.data.pop_back();
  EXPECT_THROW(tensorFromBuffer(buffer), std::invalid_argument);
}

} // namespace
} // namespace revgan
