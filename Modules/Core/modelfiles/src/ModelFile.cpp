// SPDX-License-Identifier: Apache-2.0
#include "revgan/ModelFile.h"

#include "ModelArchive.h"
#include "ModelArchiveCheck.h"
#include "revgan/AtomicFileWriter.h"

#include <torch/serialize.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>
#include <vector>

namespace revgan
{

namespace
{

const char * const kModelFormat = "revgan-model";
const char * const kCheckpointFormat = "revgan-checkpoint";

std::string
shapeText(const torch::Tensor & tensor)
{
  std::ostringstream text;
  text << tensor.sizes();
  return text.str();
}

/// FNV-1a over the bytes of every tensor, in order: detects corrupted weights, which the archive
/// format itself does not check.
int64_t
checksum(const std::vector<torch::Tensor> & tensors)
{
  uint64_t hash = 1469598103934665603ULL;
  for (const auto & tensor : tensors)
  {
    const torch::Tensor contiguous = tensor.detach().to(torch::kCPU).contiguous();
    const auto *        bytes = static_cast<const unsigned char *>(contiguous.data_ptr());
    const size_t        count = static_cast<size_t>(contiguous.numel()) * contiguous.element_size();
    for (size_t i = 0; i < count; ++i)
    {
      hash ^= bytes[i];
      hash *= 1099511628211ULL;
    }
  }
  return static_cast<int64_t>(hash);
}

/// LibTorch's unpickler gives a tensor the offset, sizes and strides its archive claims without
/// checking them against the storage it read (found by Testing/Fuzz): a crafted file would make
/// every later read of the tensor run past its memory. The storage's own size was checked against
/// its record by checkModelArchive.
void
checkTensorLiesInItsStorage(const torch::Tensor & tensor, const std::string & key, const std::string & path)
{
  if (!tensor.defined())
    return;
  if (tensor.layout() != torch::kStrided)
    throw ModelFileError(path, "record '" + key + "' holds a tensor that is not dense, which RevGAN files never do");
  if (tensor.numel() == 0)
    return;
  // The last element's index, in elements; every step is checked for overflow.
  const int64_t limit = static_cast<int64_t>(tensor.storage().nbytes() / tensor.element_size());
  int64_t       last = tensor.storage_offset();
  bool          inside = last >= 0;
  for (int64_t d = 0; inside && d < tensor.dim(); ++d)
  {
    const int64_t size = tensor.size(d), stride = tensor.stride(d);
    int64_t       reach = 0;
    inside =
      stride >= 0 && !__builtin_mul_overflow(size - 1, stride, &reach) && !__builtin_add_overflow(last, reach, &last);
  }
  if (!inside || last >= limit)
    throw ModelFileError(path,
                         "record '" + key + "' claims a tensor of shape " + shapeText(tensor) +
                           " that does not fit the " + std::to_string(tensor.storage().nbytes()) +
                           " bytes stored for it: the file is corrupted");
}

void
checkTensorsLieInTheirStorage(torch::serialize::InputArchive & archive, const std::string & path)
{
  // Containers already visited: a crafted pickle can make a list hold itself, and IValue::visit
  // would follow it for ever.
  std::unordered_set<const void *> visited;
  for (const std::string & key : archive.keys())
  {
    c10::IValue value;
    if (!archive.try_read(key, value))
      continue;
    // Visits nested archives (module objects), lists and dictionaries too.
    value.visit(
      [&](const c10::IValue & item)
      {
        if (item.isTensor())
          checkTensorLiesInItsStorage(item.toTensor(), key, path);
        else if (item.isList() || item.isTuple() || item.isGenericDict() || item.isObject())
          return !visited.insert(item.internalToPointer()).second; // true: do not descend again
        return false;
      });
  }
}

std::vector<std::pair<std::string, torch::Tensor>>
namedTensors(const torch::nn::Module & module)
{
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (const auto & item : module.named_parameters())
    tensors.emplace_back(item.key(), item.value());
  for (const auto & item : module.named_buffers())
    tensors.emplace_back(item.key(), item.value());
  return tensors;
}

c10::List<double>
toList(const std::vector<double> & values)
{
  c10::List<double> list;
  for (const double v : values)
    list.push_back(v);
  return list;
}

std::vector<double>
toVector(const c10::IValue & value)
{
  std::vector<double> result;
  for (const double v : value.toDoubleList())
    result.push_back(v);
  return result;
}

/// The intensity normalization of a model archive; a record of the wrong type or an impossible
/// floor is a ModelFileError.
IntensityNormalization
readNormalization(torch::serialize::InputArchive & archive, const std::string & path)
{
  IntensityNormalization normalization;
  try
  {
    normalization.offsetX = toVector(readValue(archive, "offset_x", path));
    normalization.scaleX = toVector(readValue(archive, "scale_x", path));
    normalization.offsetY = toVector(readValue(archive, "offset_y", path));
    normalization.scaleY = toVector(readValue(archive, "scale_y", path));
    c10::IValue value;
    if (archive.try_read("log_tensors_x", value))
    {
      normalization.logTensorsX = value.toBool();
      normalization.tensorFloorX = readValue(archive, "tensor_floor_x", path).toDouble();
    }
    if (archive.try_read("log_tensors_y", value))
    {
      normalization.logTensorsY = value.toBool();
      normalization.tensorFloorY = readValue(archive, "tensor_floor_y", path).toDouble();
    }
  }
  catch (const ModelFileError &)
  {
    throw;
  }
  catch (const std::exception & error)
  {
    throw ModelFileError(path, std::string("invalid intensity normalization: ") + error.what());
  }
  for (const auto & [used, floor] : { std::pair{ normalization.logTensorsX, normalization.tensorFloorX },
                                      std::pair{ normalization.logTensorsY, normalization.tensorFloorY } })
    if (used && !(floor > 0.0 && std::isfinite(floor)))
      throw ModelFileError(path, "has an invalid tensor eigenvalue floor " + std::to_string(floor));
  return normalization;
}

/// What the `tensor_frame_*` records say: the only frame this toolkit gives tensors to networks in.
const char * const kImageAxesTensorFrame = "image axes; components xx xy xz yy yz zz";

/// Optional records, absent in files of earlier builds (which, reading records by name, ignore
/// them): the format version stays 1.
void
writeFrame(torch::serialize::OutputArchive & archive, const DomainFrame & frame, const std::string & domain)
{
  if (frame.tensors)
    archive.write("tensor_frame_" + domain, c10::IValue(std::string(kImageAxesTensorFrame)));
  if (!frame.direction.empty())
    archive.write("direction_" + domain, c10::IValue(toList(frame.direction)));
  if (frame.resamplesInput())
  {
    archive.write("grid_factors_" + domain, c10::IValue(frame.gridFactors));
    archive.write("interpolation_" + domain, c10::IValue(frame.interpolation));
  }
}

DomainFrame
readFrame(torch::serialize::InputArchive & archive, const std::string & domain, const std::string & path)
{
  DomainFrame frame;
  c10::IValue value;
  if (archive.try_read("tensor_frame_" + domain, value))
  {
    if (!value.isString() || value.toStringRef() != kImageAxesTensorFrame)
      throw ModelFileError(path,
                           "gives the tensors of domain " + domain + " in a frame this build does not know (" +
                             (value.isString() ? "'" + value.toStringRef() + "'" : std::string("not a text")) + ")");
    frame.tensors = true;
  }
  if (archive.try_read("direction_" + domain, value))
  {
    if (!value.isDoubleList())
      throw ModelFileError(path, "record 'direction_" + domain + "' is not a list of numbers");
    frame.direction = toVector(value);
    const size_t count = frame.direction.size();
    bool         finite = true;
    for (const double v : frame.direction)
      finite = finite && std::isfinite(v);
    if ((count != 4 && count != 9) || !finite)
      throw ModelFileError(path,
                           "record 'direction_" + domain + "' holds " + std::to_string(count) +
                             " values, not the finite 2×2 or 3×3 direction cosines of an image");
  }
  if (archive.try_read("grid_factors_" + domain, value))
  {
    if (!value.isIntList())
      throw ModelFileError(path, "record 'grid_factors_" + domain + "' is not a list of whole numbers");
    frame.gridFactors = value.toIntVector();
    const size_t count = frame.gridFactors.size();
    const bool   valid = std::all_of(
      frame.gridFactors.begin(), frame.gridFactors.end(), [](int64_t factor) { return factor >= 1 && factor <= 64; });
    if ((count != 2 && count != 3) || !valid)
      throw ModelFileError(
        path, "record 'grid_factors_" + domain + "' must hold 2 or 3 factors between 1 and 64, one per image axis");
    const c10::IValue interpolation = readValue(archive, "interpolation_" + domain, path);
    if (!interpolation.isString() || !isInputInterpolation(interpolation.toStringRef()))
      throw ModelFileError(path,
                           "record 'interpolation_" + domain +
                             "' names no interpolation this build knows (nearest, linear or bspline)");
    frame.interpolation = interpolation.toStringRef();
  }
  return frame;
}

} // namespace

int64_t
modelFormatVersion(const IntensityNormalization & normalization, const DomainFrame & frameX)
{
  // Earlier builds would ignore the grid records and translate a coarse input as it is.
  if (frameX.resamplesInput())
    return 3;
  return normalization.usesLogTensors() ? 2 : 1;
}

std::string
archiveBytes(torch::serialize::OutputArchive & archive)
{
  std::string bytes;
  archive.save_to(
    [&](const void * data, size_t size)
    {
      bytes.append(static_cast<const char *>(data), size);
      return size;
    });
  return bytes;
}

torch::Tensor
bytesTensor(const std::string & bytes)
{
  return torch::tensor(std::vector<uint8_t>(bytes.begin(), bytes.end()), torch::kUInt8);
}

std::string
tensorBytes(const torch::Tensor & tensor)
{
  const torch::Tensor bytes = tensor.contiguous().to(torch::kUInt8);
  return std::string(reinterpret_cast<const char *>(bytes.data_ptr<uint8_t>()), static_cast<size_t>(bytes.numel()));
}

c10::IValue
readValue(torch::serialize::InputArchive & archive, const std::string & key, const std::string & path)
{
  c10::IValue value;
  if (!archive.try_read(key, value))
    throw ModelFileError(path, "entry '" + key + "' is missing");
  return value;
}

torch::serialize::InputArchive
readArchive(torch::serialize::InputArchive & archive, const std::string & key, const std::string & path)
{
  torch::serialize::InputArchive nested;
  if (!archive.try_read(key, nested))
    throw ModelFileError(path, "entry '" + key + "' is missing");
  return nested;
}

void
saveArchive(torch::serialize::OutputArchive & archive, const std::string & path)
{
  writeFileAtomically(path, [&](const ByteSink & sink) { archive.save_to(sink); });
}

void
writeWeights(torch::serialize::OutputArchive & archive, const torch::nn::Module & module)
{
  c10::List<std::string>     names;
  std::vector<torch::Tensor> tensors;
  int64_t                    index = 0;
  for (const auto & [name, tensor] : namedTensors(module))
  {
    names.push_back(name);
    tensors.push_back(tensor);
    archive.write("tensor_" + std::to_string(index++), tensor.detach().to(torch::kCPU));
  }
  archive.write("names", c10::IValue(names));
  archive.write("checksum", c10::IValue(checksum(tensors)));
}

void
readWeights(torch::serialize::InputArchive & archive, torch::nn::Module & module, const std::string & path)
{
  const auto                   expected = namedTensors(module);
  const c10::IValue            namesValue = readValue(archive, "names", path);
  const c10::List<c10::IValue> names = namesValue.toList();
  if (names.size() != expected.size())
  {
    throw ModelFileError(path,
                         "holds " + std::to_string(names.size()) + " weight tensors but its architecture has " +
                           std::to_string(expected.size()));
  }
  std::vector<torch::Tensor> loaded;
  for (size_t i = 0; i < expected.size(); ++i)
  {
    const auto & [name, target] = expected[i];
    const std::string stored = names.get(i).toStringRef();
    if (stored != name)
      throw ModelFileError(
        path, "weight " + std::to_string(i) + " is '" + stored + "' but the architecture expects '" + name + "'");
    torch::Tensor value;
    if (!archive.try_read("tensor_" + std::to_string(i), value))
      throw ModelFileError(path, "weight '" + name + "' is missing");
    if (value.sizes() != target.sizes())
      throw ModelFileError(path,
                           "weight '" + name + "' has shape " + shapeText(value) + " but the architecture needs " +
                             shapeText(target));
    loaded.push_back(value);
  }
  if (checksum(loaded) != readValue(archive, "checksum", path).toInt())
    throw ModelFileError(path, "weights do not match their checksum: the file is corrupted");
  torch::NoGradGuard noGrad;
  for (size_t i = 0; i < expected.size(); ++i)
  {
    torch::Tensor target = expected[i].second;
    target.copy_(loaded[i]);
  }
}

torch::serialize::InputArchive
parseArchive(const std::string & bytes, const std::string & path)
{
  checkModelArchive(bytes, path);
  torch::serialize::InputArchive archive;
  try
  {
    archive.load_from(bytes.data(), bytes.size());
  }
  catch (const std::bad_alloc &)
  {
    // LibTorch allocates what the archive's contents claim (found by Testing/Fuzz).
    throw ModelFileError(path,
                         "not a readable RevGAN model or checkpoint: its contents claim more memory than there "
                         "is (a corrupted or crafted size)");
  }
  catch (const std::exception & error)
  {
    std::string reason = error.what();
    reason = reason.substr(0, reason.find('\n'));
    throw ModelFileError(path, "not a readable RevGAN model or checkpoint (truncated or corrupted?): " + reason);
  }
  checkTensorsLieInTheirStorage(archive, path);
  return archive;
}

torch::serialize::InputArchive
openArchive(const std::string & path, const std::string & expectedFormat)
{
  std::ifstream file(path, std::ios::binary);
  if (!file.good() || std::filesystem::is_directory(path))
    throw ModelFileError(path, "cannot be opened (missing or unreadable)");
  // Read once and parsed from memory: LibTorch gets exactly the bytes that were checked.
  std::ostringstream contents;
  contents << file.rdbuf();
  torch::serialize::InputArchive archive = parseArchive(contents.str(), path);
  c10::IValue                    format;
  if (!archive.try_read("format", format) || !format.isString())
    throw ModelFileError(path, "not a RevGAN model or checkpoint file");
  const std::string formatName = format.toStringRef();
  if (!expectedFormat.empty() ? formatName != expectedFormat
                              : (formatName != kModelFormat && formatName != kCheckpointFormat))
    throw ModelFileError(path,
                         "is a '" + formatName + "' file, expected " +
                           (expectedFormat.empty() ? std::string(kModelFormat) : expectedFormat));
  const int64_t version = readValue(archive, "format_version", path).toInt();
  if (version < kOldestModelFormatVersion || version > kModelFormatVersion)
    throw ModelFileError(path,
                         "has format version " + std::to_string(version) + ", this build reads versions " +
                           std::to_string(kOldestModelFormatVersion) + " to " + std::to_string(kModelFormatVersion));
  return archive;
}

void
writeModel(torch::serialize::OutputArchive & archive,
           const TranslationGenerator &      generator,
           const IntensityNormalization &    normalization,
           const DomainFrame &               frameX,
           const DomainFrame &               frameY)
{
  const GeneratorSpec & spec = generator.spec();
  archive.write("generator", c10::IValue(toString(spec.kind)));
  archive.write("dimensions", c10::IValue(spec.dimensions));
  archive.write("channels_x", c10::IValue(spec.channelsX));
  archive.write("channels_y", c10::IValue(spec.channelsY));
  archive.write("width", c10::IValue(spec.width));
  archive.write("depth", c10::IValue(spec.depth));
  archive.write("downsamplings", c10::IValue(spec.effectiveDownsamplings()));
  archive.write("residual", c10::IValue(spec.residual));
  archive.write("offset_x", c10::IValue(toList(normalization.offsetX)));
  archive.write("scale_x", c10::IValue(toList(normalization.scaleX)));
  archive.write("offset_y", c10::IValue(toList(normalization.offsetY)));
  archive.write("scale_y", c10::IValue(toList(normalization.scaleY)));
  // Written only when used: a version-1 file has none of these records.
  if (normalization.logTensorsX)
  {
    archive.write("log_tensors_x", c10::IValue(true));
    archive.write("tensor_floor_x", c10::IValue(normalization.tensorFloorX));
  }
  if (normalization.logTensorsY)
  {
    archive.write("log_tensors_y", c10::IValue(true));
    archive.write("tensor_floor_y", c10::IValue(normalization.tensorFloorY));
  }
  writeFrame(archive, frameX, "x");
  writeFrame(archive, frameY, "y");
  torch::serialize::OutputArchive weights;
  writeWeights(weights, generator);
  archive.write("weights", weights);
}

Model
readModelDescription(torch::serialize::InputArchive & archive, const std::string & path)
{
  Model model;
  try
  {
    model.spec.kind = parseGeneratorKind(readValue(archive, "generator", path).toStringRef());
    model.spec.dimensions = readValue(archive, "dimensions", path).toInt();
    model.spec.channelsX = readValue(archive, "channels_x", path).toInt();
    model.spec.channelsY = readValue(archive, "channels_y", path).toInt();
    model.spec.width = readValue(archive, "width", path).toInt();
    model.spec.depth = readValue(archive, "depth", path).toInt();
    model.spec.downsamplings = readValue(archive, "downsamplings", path).toInt();
    model.spec.residual = readValue(archive, "residual", path).toBool();
    model.spec.validate();
  }
  catch (const ModelFileError &)
  {
    throw;
  }
  catch (const std::exception & error)
  {
    throw ModelFileError(path, std::string("invalid architecture description: ") + error.what());
  }
  model.normalization = readNormalization(archive, path);
  model.frameX = readFrame(archive, "x", path);
  model.frameY = readFrame(archive, "y", path);
  return model;
}

Model
readModel(torch::serialize::InputArchive & archive, const std::string & path, GradientMode mode)
{
  Model model = readModelDescription(archive, path);
  model.generator = makeGenerator(model.spec, mode);
  torch::serialize::InputArchive weights = readArchive(archive, "weights", path);
  readWeights(weights, *model.generator, path);
  return model;
}

void
saveModel(const std::string &            path,
          const TranslationGenerator &   generator,
          const IntensityNormalization & normalization,
          const DomainFrame &            frameX,
          const DomainFrame &            frameY)
{
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(std::string(kModelFormat)));
  archive.write("format_version", c10::IValue(modelFormatVersion(normalization, frameX)));
  // Which toolkit wrote the file (the project() version), for people; readers go by format_version.
  archive.write("toolkit_version", c10::IValue(std::string(REVGAN_VERSION)));
  torch::serialize::OutputArchive model;
  writeModel(model, generator, normalization, frameX, frameY);
  archive.write("model", model);
  saveArchive(archive, path);
}

Model
loadModel(const std::string & path, GradientMode mode)
{
  torch::serialize::InputArchive archive = openArchive(path);
  torch::serialize::InputArchive model = readArchive(archive, "model", path);
  return readModel(model, path, mode);
}

} // namespace revgan
