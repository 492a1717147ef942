// SPDX-License-Identifier: Apache-2.0
// Checkpoints and model files of a Trainer: what it writes to continue a run, and how a run
// continues from it. The optimisation itself is in Trainer.cpp.
#include "revgan/Trainer.h"

#include "ModelArchive.h"
#include "TrainerOptionFields.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <type_traits>

namespace revgan
{

namespace
{

// How each kind of option is stored: enumerations, the precision and the device by name, the seed
// as int64. Checkpoints of 0.x stored the reconstruction loss and the precision as booleans
// ("squared_error", "double_precision"); they are read as such.
template<typename T>
c10::IValue
toRecord(const T & value)
{
  if constexpr (std::is_same_v<T, Objective> || std::is_same_v<T, GanLoss> || std::is_same_v<T, GradientMode> ||
                std::is_same_v<T, ReconstructionLoss>)
    return c10::IValue(toString(value));
  else if constexpr (std::is_same_v<T, torch::Device>)
    return c10::IValue(value.str());
  else if constexpr (std::is_same_v<T, torch::ScalarType>)
    return c10::IValue(precisionName(value));
  else if constexpr (std::is_same_v<T, uint64_t>)
    return c10::IValue(static_cast<int64_t>(value));
  else
    return c10::IValue(value);
}

template<typename T>
void
fromRecord(const c10::IValue & record, T & value)
{
  if constexpr (std::is_same_v<T, Objective>)
    value = parseObjective(record.toStringRef());
  else if constexpr (std::is_same_v<T, GanLoss>)
    value = parseGanLoss(record.toStringRef());
  else if constexpr (std::is_same_v<T, GradientMode>)
    value = parseGradientMode(record.toStringRef());
  else if constexpr (std::is_same_v<T, torch::Device>)
    value = torch::Device(record.toStringRef());
  else if constexpr (std::is_same_v<T, ReconstructionLoss>)
    value = record.isBool() ? (record.toBool() ? ReconstructionLoss::L2 : ReconstructionLoss::L1)
                            : parseReconstructionLoss(record.toStringRef());
  else if constexpr (std::is_same_v<T, torch::ScalarType>)
    value = record.isBool() ? (record.toBool() ? torch::kDouble : torch::kFloat) : parsePrecision(record.toStringRef());
  else if constexpr (std::is_same_v<T, uint64_t>)
    value = static_cast<uint64_t>(record.toInt());
  else if constexpr (std::is_same_v<T, bool>)
    value = record.toBool();
  else if constexpr (std::is_same_v<T, double>)
    value = record.toDouble();
  else
    value = record.toInt();
}

void
writeOptions(torch::serialize::OutputArchive & archive, const TrainerOptions & options)
{
  visitTrainerOptions(options,
                      [&](const TrainerOptionField & field, const auto & value)
                      {
                        if (field.stored)
                          archive.write(field.name, toRecord(value));
                      });
}

TrainerOptions
readOptions(torch::serialize::InputArchive & archive, const std::string & path)
{
  TrainerOptions options;
  try
  {
    visitTrainerOptions(options,
                        [&](const TrainerOptionField & field, auto & value)
                        {
                          if (!field.stored)
                            return;
                          c10::IValue record;
                          if (archive.try_read(field.name, record) ||
                              (field.formerName != nullptr && archive.try_read(field.formerName, record)))
                            fromRecord(record, value);
                          else if (!field.optionalInRecords)
                            readValue(archive, field.name, path); // throws, naming the missing record
                          // else an earlier version's checkpoint: the default
                        });
    options.validate();
  }
  catch (const ModelFileError &)
  {
    throw;
  }
  catch (const std::exception & error)
  {
    throw ModelFileError(path, std::string("invalid training options: ") + error.what());
  }
  return options;
}

/// A process's pools as the bytes of an archive holding pool_x and pool_y.
torch::Tensor
poolArchiveBytes(const ImagePool & poolX, const ImagePool & poolY)
{
  torch::serialize::OutputArchive archive, x, y;
  poolX.save(x);
  poolY.save(y);
  archive.write("pool_x", x);
  archive.write("pool_y", y);
  return bytesTensor(archiveBytes(archive));
}

/// Every process's `bytes` (of any length), in rank order, on the CPU.
std::vector<torch::Tensor>
gatherBytes(DataParallelGroup & group, const torch::Tensor & bytes, const torch::Device & device)
{
  const torch::Tensor lengths = group.gather(torch::tensor({ bytes.numel() }, torch::kLong).to(device)).flatten().cpu();
  const int64_t       longest = lengths.max().item<int64_t>();
  torch::Tensor       padded = torch::zeros({ longest }, torch::kUInt8);
  padded.narrow(0, 0, bytes.numel()).copy_(bytes);
  const torch::Tensor        all = group.gather(padded.to(device)).cpu();
  std::vector<torch::Tensor> result;
  for (int64_t r = 0; r < all.size(0); ++r)
    result.push_back(all[r].narrow(0, 0, lengths[r].item<int64_t>()).clone());
  return result;
}

std::string
poolsRecordName(int64_t rank)
{
  return "pools_rank" + std::to_string(rank);
}

} // namespace

void
Trainer::saveModel(const std::string & path) const
{
  if (writesFiles())
    revgan::saveModel(path, *generator_, normalization_, frameX_, frameY_);
}

void
Trainer::saveCheckpoint(const std::string & path) const
{
  // Each process keeps its own pools; rank 0 collects them so that every process can resume.
  std::vector<torch::Tensor> pools;
  if (dataParallel_ && dataParallel_->worldSize() > 1)
    pools = gatherBytes(*dataParallel_, poolArchiveBytes(poolX_, poolY_), options_.device);
  if (!writesFiles())
    return;
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(std::string("revgan-checkpoint")));
  archive.write("format_version", c10::IValue(modelFormatVersion(normalization_, frameX_)));
  torch::serialize::OutputArchive model, options, generatorOptimizer, poolX, poolY;
  writeModel(model, *generator_, normalization_, frameX_, frameY_);
  archive.write("model", model);
  writeOptions(options, options_);
  archive.write("options", options);
  generatorOptimizer_->save(generatorOptimizer);
  archive.write("generator_optimizer", generatorOptimizer);
  if (discriminatorOptimizer_)
  {
    torch::serialize::OutputArchive discriminatorX, discriminatorY, discriminatorOptimizer;
    writeWeights(discriminatorX, *discriminatorX_);
    writeWeights(discriminatorY, *discriminatorY_);
    discriminatorOptimizer_->save(discriminatorOptimizer);
    archive.write("discriminator_x", discriminatorX);
    archive.write("discriminator_y", discriminatorY);
    archive.write("discriminator_optimizer", discriminatorOptimizer);
  }
  poolX_.save(poolX);
  poolY_.save(poolY);
  archive.write("pool_x", poolX);
  archive.write("pool_y", poolY);
  archive.write("epoch", c10::IValue(epoch_));
  archive.write("iteration_in_epoch", c10::IValue(iterationInEpoch_));
  archive.write("random_state", at::detail::getDefaultCPUGenerator().get_state());
  archive.write("world_size", c10::IValue(static_cast<int64_t>(dataParallel_ ? dataParallel_->worldSize() : 1)));
  for (size_t rank = 1; rank < pools.size(); ++rank)
    archive.write(poolsRecordName(static_cast<int64_t>(rank)), pools[rank]);
  archive.write("learning_rate_scale", c10::IValue(guard_.rateScale()));
  archive.write("divergence_recoveries", c10::IValue(static_cast<int64_t>(guard_.recoveries())));
  if (bestValidation_)
  {
    archive.write("best_validation_rmse", c10::IValue(bestValidation_->rmse));
    archive.write("best_validation_epoch", c10::IValue(bestValidation_->epoch));
    archive.write("best_validation_iteration", c10::IValue(bestValidation_->iteration));
    archive.write("best_weights", bytesTensor(bestWeights_));
  }
  saveArchive(archive, path);
}

std::unique_ptr<Trainer>
Trainer::resume(const std::string & path, std::shared_ptr<DataParallelGroup> dataParallel)
{
  torch::serialize::InputArchive archive = openArchive(path, "revgan-checkpoint");
  auto                           nested = [&](const char * key) { return readArchive(archive, key, path); };
  torch::serialize::InputArchive optionsArchive = nested("options");
  const TrainerOptions           options = readOptions(optionsArchive, path);
  // Checkpoints written before data-parallel training existed have no world size: one process.
  c10::IValue   savedWorldSize;
  const int64_t writtenBy = archive.try_read("world_size", savedWorldSize) ? savedWorldSize.toInt() : 1;
  const int64_t processes = dataParallel ? dataParallel->worldSize() : 1;
  if (writtenBy != processes)
    throw ModelFileError(path,
                         "was written by a job of " + std::to_string(writtenBy) + " process(es); resume it with " +
                           std::to_string(writtenBy) + ", not " + std::to_string(processes) +
                           " (the global batch, each process's samples and its pools depend on it)");
  torch::serialize::InputArchive modelArchive = nested("model");
  // The trainer builds its own generator; only the description is needed to do so.
  const Model description = readModelDescription(modelArchive, path);

  auto trainer = std::make_unique<Trainer>(description.spec, options, description.normalization);
  trainer->setDomainFrames(description.frameX, description.frameY);
  torch::serialize::InputArchive weights = readArchive(modelArchive, "weights", path);
  readWeights(weights, *trainer->generator_, path);
  try
  {
    torch::serialize::InputArchive generatorOptimizer = nested("generator_optimizer");
    trainer->generatorOptimizer_->load(generatorOptimizer);
    if (trainer->discriminatorOptimizer_)
    {
      torch::serialize::InputArchive discriminatorX = nested("discriminator_x");
      torch::serialize::InputArchive discriminatorY = nested("discriminator_y");
      torch::serialize::InputArchive discriminatorOptimizer = nested("discriminator_optimizer");
      readWeights(discriminatorX, *trainer->discriminatorX_, path);
      readWeights(discriminatorY, *trainer->discriminatorY_, path);
      trainer->discriminatorOptimizer_->load(discriminatorOptimizer);
    }
    torch::serialize::InputArchive poolX = nested("pool_x");
    torch::serialize::InputArchive poolY = nested("pool_y");
    trainer->poolX_.load(poolX);
    trainer->poolY_.load(poolY);
    trainer->epoch_ = readValue(archive, "epoch", path).toInt();
    trainer->iterationInEpoch_ = readValue(archive, "iteration_in_epoch", path).toInt();
    torch::Tensor randomState;
    archive.read("random_state", randomState);
    at::Generator randomGenerator = at::detail::getDefaultCPUGenerator(); // a handle to the same generator
    randomGenerator.set_state(randomState);
    // Records that checkpoints of earlier versions lack: no recovery, no validation yet.
    c10::IValue scale, recoveries, bestRmse;
    if (archive.try_read("learning_rate_scale", scale) && archive.try_read("divergence_recoveries", recoveries))
      trainer->guard_.restore(scale.toDouble(), static_cast<int>(recoveries.toInt()));
    if (archive.try_read("best_validation_rmse", bestRmse))
    {
      trainer->bestValidation_ = ValidationRecord{ bestRmse.toDouble(),
                                                   readValue(archive, "best_validation_epoch", path).toInt(),
                                                   readValue(archive, "best_validation_iteration", path).toInt() };
      torch::Tensor bytes;
      archive.read("best_weights", bytes);
      trainer->bestWeights_ = tensorBytes(bytes);
    }
    const int64_t rank = dataParallel ? dataParallel->rank() : 0;
    if (rank > 0)
    {
      torch::Tensor bytes;
      archive.read(poolsRecordName(rank), bytes);
      torch::serialize::InputArchive pools = parseArchive(tensorBytes(bytes), path);
      torch::serialize::InputArchive poolX, poolY;
      pools.read("pool_x", poolX);
      pools.read("pool_y", poolY);
      trainer->poolX_.load(poolX);
      trainer->poolY_.load(poolY);
    }
  }
  catch (const ModelFileError &)
  {
    throw;
  }
  catch (const std::exception & error)
  {
    std::string reason = error.what();
    throw ModelFileError(path, "training state cannot be restored: " + reason.substr(0, reason.find('\n')));
  }
  trainer->setDataParallel(std::move(dataParallel));
  return trainer;
}

} // namespace revgan
