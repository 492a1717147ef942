// SPDX-License-Identifier: Apache-2.0
// Model files: round trips, recorded frames and versions, and every kind of damaged or foreign file.
#include "SyntheticTraining.h"
#include "TemporaryFolder.h"

#include "ModelArchive.h"
#include "revgan/ModelFile.h"
#include "revgan/Trainer.h"

#include <caffe2/serialize/inline_container.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace revgan
{
namespace
{

using test::temporaryPath;
using test::tinyOptions;
using test::tinyRevGAN;

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

  /// The model file's bytes, for tests that damage it where it matters.
  std::string
  fileBytes() const
  {
    std::ifstream      file(path_, std::ios::binary);
    std::ostringstream contents;
    contents << file.rdbuf();
    return contents.str();
  }

  /// Writes an archive that holds an empty data.pkl and `contents` as record `name`, as LibTorch's
  /// writer does (the version record is added when the writer closes).
  void
  writeArchiveWith(const std::string & name, const std::string & contents)
  {
    caffe2::serialize::PyTorchStreamWriter writer(path_);
    const std::string                      pickle = "\x80\x02).";
    writer.writeRecord("data.pkl", pickle.data(), pickle.size());
    writer.writeRecord(name, contents.data(), contents.size());
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

// A model trained on inputs given on a coarser grid records the grid factors and the interpolation
// that brought them onto the network's grid; earlier builds must refuse it (format version 3)
// rather than translate a coarse input as it is.
TEST_F(ModelFileTest, RecordsTheInputGridAndInterpolation)
{
  DomainFrame x{ true, { 1, 0, 0, 0, 1, 0, 0, 0, 1 } };
  x.gridFactors = { 2, 2, 1 };
  x.interpolation = "bspline";
  saveModel(path_, *generator_, normalization_, x, {});
  const Model model = loadModel(path_);
  EXPECT_TRUE(model.frameX == x);
  EXPECT_TRUE(model.frameX.resamplesInput());
  EXPECT_FALSE(model.frameY.resamplesInput());
  torch::serialize::InputArchive archive;
  archive.load_from(path_);
  c10::IValue version;
  archive.read("format_version", version);
  EXPECT_EQ(version.toInt(), 3);

  const auto writeWith = [&](const c10::IValue & factors, const std::string & interpolation)
  {
    torch::serialize::OutputArchive file, description;
    file.write("format", c10::IValue(std::string("revgan-model")));
    file.write("format_version", c10::IValue(int64_t{ 3 }));
    writeModel(description, *generator_, normalization_, {}, {});
    description.write("grid_factors_x", factors);
    description.write("interpolation_x", c10::IValue(interpolation));
    file.write("model", description);
    file.save_to(path_);
  };
  writeWith(c10::IValue(std::vector<int64_t>{ 2, 0 }), "bspline");
  expectLoadError("record 'grid_factors_x' must hold 2 or 3 factors between 1 and 64, one per image axis");
  writeWith(c10::IValue(std::vector<int64_t>{ 2, 2 }), "sinc");
  expectLoadError("record 'interpolation_x' names no interpolation this build knows (nearest, linear or bspline)");
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
  std::string         bytes = fileBytes();
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

TEST_F(ModelFileTest, TensorDataThatClaimsMoreThanItsRecordIsAnError)
{
  // LibTorch's unpickler takes a storage's size from the element count its persistent id claims
  // and never compares it with the record it reads (found by Testing/Fuzz: the weights' checksum
  // then read past the record). The model file rewritten record by record, with intact CRCs, and
  // the first storage's count raised from a BININT1 to 255.
  std::vector<std::pair<std::string, std::string>> records;
  uint64_t                                         version = 0;
  {
    caffe2::serialize::PyTorchStreamReader reader(path_);
    version = reader.version();
    for (const std::string & name : reader.getAllRecords())
    {
      const auto [data, size] = reader.getRecord(name);
      records.emplace_back(name, std::string(static_cast<const char *>(data.get()), size));
    }
  }
  uint64_t firstStorageBytes = 0;
  for (auto & [name, contents] : records)
  {
    if (name == "data.pkl")
    {
      const size_t persistentId = contents.find("tQ");
      ASSERT_NE(persistentId, std::string::npos);
      ASSERT_EQ(contents[persistentId - 2], 'K') << "the first storage's count is not a BININT1";
      contents[persistentId - 1] = static_cast<char>(0xff);
    }
    if (name == "data/0")
      firstStorageBytes = contents.size();
  }
  ASSERT_LT(firstStorageBytes, 255u * 4);
  {
    caffe2::serialize::PyTorchStreamWriter writer(path_);
    for (const auto & [name, contents] : records)
      if (name != "version" && name != ".data/version") // the writer adds its own
        writer.writeRecord(name, contents.data(), contents.size());
    writer.setMinVersion(version);
  }
  expectLoadError("/data.pkl' at byte ");
  const std::string folder = std::filesystem::path(path_).stem().string(); // the writer names it after the file
  expectLoadError("claims 1020 bytes of tensor data in '" + folder + "/data/0', which holds " +
                  std::to_string(firstStorageBytes) + ": the file is corrupted or crafted");
}

TEST_F(ModelFileTest, RecordNamesWithANulByteAreAnError)
{
  // LibTorch finds records by C string: "data/0<NUL>x" would be checked as one record and read as
  // another. The zip directory's copy of the version record's name, its last letter made a NUL.
  std::string  bytes = fileBytes();
  const size_t nameEnd = bytes.rfind("/version") + 8;
  const size_t entry = bytes.rfind("PK\x01\x02", nameEnd);
  ASSERT_NE(entry, std::string::npos);
  uint16_t nameLength = 0;
  std::memcpy(&nameLength, bytes.data() + entry + 28, 2);
  ASSERT_EQ(entry + 46 + nameLength, nameEnd) << "not the directory's copy of the name";
  bytes[nameEnd - 1] = '\0';
  std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;
  expectLoadError("the name of zip directory entry ");
  expectLoadError(" holds a NUL byte");
}

TEST_F(ModelFileTest, MalformedDeclarationsAreAnError)
{
  // The declaration a fuzzed file held (Testing/Fuzz/corpus/model/regressions/
  // malformed-type-crashes-torchscript-parser.pt): LibTorch's TorchScript parser crashed on it.
  writeArchiveWith("code/__torch__/___torch_mangle_55.py", "class Module(Module):\n  m_ar_apeters__ = []\n");
  expectLoadError("/code/__torch__/___torch_mangle_55.py' holds '  m_ar_apeters__ = []', which is not an attribute "
                  "declaration of a RevGAN file");
}

TEST_F(ModelFileTest, LegacyTorchScriptArchivesAreNeverLoaded)
{
  // With a model.json record LibTorch 1.13 takes its legacy path, which compiles the code that
  // model.json names (outside code/, which the check reads) and runs __setstate__ methods.
  writeArchiveWith("model.json", R"({"mainModule": {"torchscriptArena": {"key": "attack.py"}}})");
  expectLoadError("/model.json' would make LibTorch read a legacy TorchScript module, whose code it runs");
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
  expectLoadError("has format version 99, this build reads versions 1 to 3");
}

TEST_F(ModelFileTest, ArchiveVersionLibTorchDoesNotReadIsAnError)
{
  // LibTorch refuses such a version inside its reader's constructor and leaks the zip state it
  // has allocated (found by Testing/Fuzz), so the archive check refuses it first.
  {
    caffe2::serialize::PyTorchStreamWriter writer(path_);
    const std::string                      pickle = "\x80\x02).";
    writer.writeRecord("data.pkl", pickle.data(), pickle.size());
    writer.setMinVersion(caffe2::serialize::kMaxSupportedFileFormatVersion + 1);
  } // the version record is written when the writer closes
  expectLoadError("/.data/version' does not hold a file format version this LibTorch reads (1 to 10)");
  // Not a number (the fuzz finding): a .data/version record, which LibTorch reads before the
  // version record the writer adds.
  writeArchiveWith(".data/version", "\x08\xd1");
  expectLoadError("/.data/version' does not hold a file format version this LibTorch reads (1 to 10)");
}

TEST_F(ModelFileTest, Zip64EndRecordThatDisagreesWithTheDirectoryIsAnError)
{
  // LibTorch's writer ends every file with a zip64 end record and its locator before the end
  // record; its reader takes the directory from the zip64 record. The fuzz finding: a zip64 record
  // that counts no entries made LibTorch throw out of its reader's constructor, leaking its state.
  const std::string bytes = fileBytes();
  const size_t      end = bytes.rfind("PK\x05\x06");
  ASSERT_NE(end, std::string::npos);
  const size_t locator = end - 20;
  ASSERT_EQ(bytes.compare(locator, 4, "PK\x06\x07"), 0) << "LibTorch's writer no longer adds a zip64 locator";
  uint64_t record = 0;
  std::memcpy(&record, bytes.data() + locator + 8, 8);
  ASSERT_EQ(bytes.compare(record, 4, "PK\x06\x06"), 0);
  // Writes the model file with one 8-byte field changed.
  const auto writeWith = [&](size_t offset, uint64_t value)
  {
    std::string changed = bytes;
    std::memcpy(changed.data() + offset, &value, 8);
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << changed;
  };
  writeWith(record + 24, 0); // entries on this disk
  expectLoadError("the zip64 end of the zip directory disagrees with its end record");
  writeWith(record + 32, 0); // entries in all
  expectLoadError("the zip64 end of the zip directory disagrees with its end record");
  uint64_t directoryOffset = 0;
  std::memcpy(&directoryOffset, bytes.data() + record + 48, 8);
  writeWith(record + 48, directoryOffset + 46); // the directory's place, one entry further
  expectLoadError("the zip64 end of the zip directory disagrees with its end record");
  writeWith(locator + 8, end); // the locator points at the end record instead
  expectLoadError("the zip64 end of the zip directory is not where its locator says");
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
