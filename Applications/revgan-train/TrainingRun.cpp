// SPDX-License-Identifier: Apache-2.0
// runTraining: everything revgan-train does around revgan::Trainer, for the program and the Python
// package alike (TrainingRun.h).
#include "TrainingRun.h"

#include "itkRevGANInputGrid.h"
#include "revgan/ImageFiles.h"
#include "revgan/ImageGeometry.h"

#include "revgan/AtomicFileWriter.h"
#include "revgan/DataParallel.h"
#include "revgan/DeviceSelection.h"
#include "revgan/LossLog.h"
#include "revgan/MemoryBudget.h"
#include "revgan/ThreadConfiguration.h"
#include "revgan/Trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <sstream>
#include <type_traits>

namespace
{

/// Comma-separated files and folders; a folder stands for its image files in name order.
std::vector<std::string>
imageFiles(const std::string & text)
{
  static const std::vector<std::string> extensions{ ".nii", ".nii.gz", ".nrrd", ".nhdr", ".mha", ".mhd",
                                                    ".png", ".jpg",    ".jpeg", ".tif",  ".tiff" };
  std::vector<std::string>              files;
  std::stringstream                     stream(text);
  for (std::string item; std::getline(stream, item, ',');)
  {
    if (item.empty())
      continue;
    if (!std::filesystem::is_directory(item))
    {
      files.push_back(item);
      continue;
    }
    std::vector<std::string> found;
    for (const auto & entry : std::filesystem::directory_iterator(item))
    {
      const std::string name = entry.path().filename().string();
      for (const auto & extension : extensions)
      {
        if (entry.is_regular_file() && name.size() > extension.size() &&
            name.compare(name.size() - extension.size(), extension.size(), extension) == 0)
        {
          found.push_back(entry.path().string());
          break;
        }
      }
    }
    if (found.empty())
      throw std::invalid_argument("folder '" + item + "' holds no image files");
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

/// The images of one domain as (C, spatial...) tensors, with the files and geometry they came from.
struct Domain
{
  std::vector<std::string>           files;
  std::vector<torch::Tensor>         images;
  std::vector<revgan::ImageGeometry> geometries;
  /// The images are DTI volumes (random flips then transform the tensors too).
  bool tensors{ false };
  /// Images given on a coarser grid than their pairs' were interpolated onto it: how many times
  /// coarser per axis (x, y[, z]) and how (empty: on their pairs' grid already).
  std::vector<int64_t> gridFactors;
  std::string          interpolation;
};

/// How many times coarser than `fine` the grid of `coarse` is along each axis: 1 where the spacings
/// agree; otherwise the ratio of the spacings, which must be a whole number.
std::vector<int64_t>
gridFactors(const revgan::ImageGeometry & coarse,
            const std::string &           coarseFile,
            const revgan::ImageGeometry & fine,
            const std::string &           fineFile)
{
  std::vector<int64_t> factors;
  for (size_t d = 0; d < coarse.spacing.size(); ++d)
  {
    const double ratio = coarse.spacing[d] / fine.spacing[d];
    const auto   factor = static_cast<int64_t>(std::llround(ratio));
    if (factor < 1 || std::abs(ratio - static_cast<double>(factor)) > 1e-3 * ratio)
      throw std::invalid_argument("'" + coarseFile + "' has a spacing " + std::to_string(coarse.spacing[d]) +
                                  " along axis " + std::to_string(d) + ", not a whole multiple of its pair '" +
                                  fineFile + "''s " + std::to_string(fine.spacing[d]) +
                                  ": an input on a coarser grid must be a whole number of times coarser");
    factors.push_back(factor);
  }
  return factors;
}

/// Image `image` of `file`, given on a coarser grid than its pair `fineFile` (`fine`), interpolated
/// onto the pair's grid with `interpolation`; `factors` receives the grid factors. The coarse grid
/// must cover the fine one voxel for voxel (as revgan-prepare --task shrink writes it).
template<unsigned int D>
typename itk::VectorImage<float, D>::Pointer
onFineGrid(const itk::VectorImage<float, D> * image,
           const std::string &                file,
           const revgan::ImageGeometry &      fine,
           const std::string &                fineFile,
           const std::string &                interpolation,
           std::vector<int64_t> &             factors)
{
  factors = gridFactors(revgan::ImageGeometry::of<D>(image), file, fine, fineFile);
  const auto                  grid = itk::RevGANFineGrid<D>(image, factors);
  const revgan::ImageGeometry gridGeometry = revgan::ImageGeometry::of<D>(grid.GetPointer());
  if (gridGeometry.size != fine.size)
    throw std::invalid_argument("'" + file + "' is " + std::to_string(factors.front()) +
                                " times coarser than its pair '" + fineFile +
                                "' but does not cover it voxel for voxel (its fine grid differs in size)");
  revgan::requireSameGeometry(
    file, gridGeometry, fine, "its pair '" + fineFile + "' on the fine grid it is interpolated onto");
  return itk::InterpolateRevGANImage<D>(image, grid.GetPointer(), interpolation);
}

/// Reads the images of one domain, all of one dimensionality. With `pairs` (the Y images of
/// paired training), an image on a coarser grid than its pair is interpolated onto the pair's
/// grid with `interpolation`.
Domain
readDomain(const std::vector<std::string> & files,
           unsigned int &                   dimensions,
           bool                             masks = false,
           const Domain *                   pairs = nullptr,
           const std::string &              interpolation = {})
{
  Domain domain;
  domain.files = files;
  for (const auto & file : files)
  {
    const auto info = revgan::inspectImageFile(file);
    if (dimensions == 0)
      dimensions = info.dimensions;
    if (info.dimensions != dimensions || (dimensions != 2 && dimensions != 3))
      throw std::invalid_argument("'" + file + "' is " + std::to_string(info.dimensions) + "D, the other images " +
                                  std::to_string(dimensions) + "D (2D or 3D expected)");
    if (masks && info.components != 1)
      throw std::invalid_argument("mask '" + file + "' has " + std::to_string(info.components) + " components, not 1");
    if (&file != &files.front() && info.tensor != domain.tensors)
      throw std::invalid_argument("'" + file + "' is " + (info.tensor ? "" : "not ") + "a DTI volume, unlike '" +
                                  files.front() + "'");
    domain.tensors = info.tensor;
    const size_t        index = domain.images.size();
    revgan::ImageBuffer buffer;
    const auto          read = [&](auto image)
    {
      constexpr unsigned int D = std::remove_reference_t<decltype(*image)>::ImageDimension;
      revgan::ImageGeometry  geometry = revgan::ImageGeometry::of<D>(image.GetPointer());
      if (pairs != nullptr && index < pairs->geometries.size() &&
          geometry.spacing != pairs->geometries[index].spacing && geometry.size != pairs->geometries[index].size)
      {
        std::vector<int64_t> factors;
        image = onFineGrid<D>(
          image.GetPointer(), file, pairs->geometries[index], pairs->files[index], interpolation, factors);
        if (index > 0 && factors != domain.gridFactors)
          throw std::invalid_argument("'" + file + "' is coarser than its pair by other factors than '" +
                                      files.front() + "' is: one model takes one input grid");
        domain.gridFactors = factors;
        domain.interpolation = interpolation;
        geometry = revgan::ImageGeometry::of<D>(image.GetPointer());
      }
      else if (index > 0 && !domain.gridFactors.empty())
        throw std::invalid_argument("'" + file + "' lies on its pair's grid but '" + files.front() +
                                    "' on a coarser one: one model takes one input grid");
      domain.geometries.push_back(geometry);
      buffer = itk::ImageToRevGANBuffer(image.GetPointer());
    };
    if (dimensions == 2)
      read(revgan::readVectorImage<2>(file, info));
    else
      read(revgan::readVectorImage<3>(file, info));
    domain.images.push_back(revgan::tensorFromBuffer(buffer));
  }
  return domain;
}

/// The frame of a domain's images for the model file: their kind, and their direction when all
/// share it (a mixture of layouts has no one direction to record).
revgan::DomainFrame
trainingFrame(const Domain & domain)
{
  revgan::DomainFrame frame;
  frame.tensors = domain.tensors;
  frame.gridFactors = domain.gridFactors;
  frame.interpolation = domain.interpolation;
  frame.direction = domain.geometries.front().direction;
  for (const auto & geometry : domain.geometries)
  {
    for (size_t i = 0; i < frame.direction.size(); ++i)
      if (std::abs(geometry.direction[i] - frame.direction[i]) > 1e-6)
        frame.direction.clear();
  }
  return frame;
}

/// Requires image i of `images` to match image i of `reference` in size and (unless
/// `checkGeometry` is false) in origin, spacing and direction: the pairs of paired training and
/// the masks of their images are used voxel by voxel.
void
requireCorresponding(const Domain & images, const Domain & reference, const std::string & what, bool checkGeometry)
{
  if (images.files.size() != reference.files.size())
    throw std::invalid_argument("there are " + std::to_string(images.files.size()) + " " + what + " for " +
                                std::to_string(reference.files.size()) + " images");
  for (size_t i = 0; i < images.files.size(); ++i)
  {
    const std::string name = "'" + reference.files[i] + "'";
    if (images.geometries[i].size != reference.geometries[i].size)
      throw std::invalid_argument("'" + images.files[i] + "' differs in size from " + name);
    if (checkGeometry)
      revgan::requireSameGeometry(images.files[i], images.geometries[i], reference.geometries[i], name);
  }
}

/// The groups of image axes (0 = x, 1 = y, 2 = z) that --symmetries may exchange: axes whose voxel
/// spacing agrees (to 0.1 %) in every training image of both domains and whose patch extents
/// (`patch`, in tensor order z, y, x) agree. Exchanging such axes shows structures as a scan in
/// another orientation would; axes of other spacings are only flipped.
std::vector<std::vector<int64_t>>
exchangeableAxes(const Domain & x, const Domain & y, const std::vector<int64_t> & patch)
{
  const int64_t axes = static_cast<int64_t>(patch.size());
  auto          sameSpacing = [&](int64_t a, int64_t b)
  {
    for (const Domain * domain : { &x, &y })
      for (const revgan::ImageGeometry & geometry : domain->geometries)
      {
        const double sa = geometry.spacing[static_cast<size_t>(a)], sb = geometry.spacing[static_cast<size_t>(b)];
        if (std::abs(sa - sb) > 1e-3 * std::max(sa, sb))
          return false;
      }
    return patch[static_cast<size_t>(axes - 1 - a)] == patch[static_cast<size_t>(axes - 1 - b)];
  };
  std::vector<std::vector<int64_t>> groups;
  std::vector<bool>                 grouped(patch.size(), false);
  for (int64_t a = 0; a < axes; ++a)
  {
    if (grouped[static_cast<size_t>(a)])
      continue;
    std::vector<int64_t> group{ a };
    for (int64_t b = a + 1; b < axes; ++b)
      if (!grouped[static_cast<size_t>(b)] && sameSpacing(a, b))
      {
        group.push_back(b);
        grouped[static_cast<size_t>(b)] = true;
      }
    if (group.size() > 1)
      groups.push_back(group);
  }
  return groups;
}

/// The axes of `groups` as text: "x and y", "none".
std::string
axisGroupNames(const std::vector<std::vector<int64_t>> & groups)
{
  std::string text;
  for (const auto & group : groups)
  {
    text += text.empty() ? "" : "; ";
    for (size_t i = 0; i < group.size(); ++i)
      text += std::string(i == 0 ? "" : i + 1 == group.size() ? " and " : ", ") + "xyz"[group[i]];
  }
  return text.empty() ? "none" : text;
}

/// The values of `parts` in one flat tensor, or 4 million of them drawn at random when there are
/// more (torch::quantile's input is bounded, and percentiles need no more). The draw has a
/// generator of its own with a fixed seed: the normalization is a function of the data alone, the
/// same in every run (the global generator is not seeded yet when it is fitted).
torch::Tensor
sampledValues(const std::vector<torch::Tensor> & parts)
{
  std::vector<torch::Tensor> flat;
  for (const auto & part : parts)
    flat.push_back(part.flatten());
  const torch::Tensor all = torch::cat(flat);
  if (all.numel() <= 4'000'000)
    return all;
  const at::Generator draw = at::detail::createCPUGenerator(20190616);
  return all.index_select(0, torch::randperm(all.numel(), draw, torch::kLong).narrow(0, 0, 4'000'000));
}

/// The 99.9th percentile of |value| over the images.
double
magnitudeLevel(const std::vector<torch::Tensor> & images)
{
  std::vector<torch::Tensor> magnitudes;
  for (const auto & image : images)
    magnitudes.push_back(image.abs());
  return std::max(torch::quantile(sampledValues(magnitudes), 0.999).item<double>(), 1e-12);
}

/// Scales a domain to about [−1, 1]: offset 0, scale = the 99.9th percentile of |value|.
void
fitNormalization(const std::vector<torch::Tensor> & images, std::vector<double> & offset, std::vector<double> & scale)
{
  offset = { 0.0 };
  scale = { magnitudeLevel(images) };
}

/// Scales a log-tensor domain to about [−1, 1]: offset c·I (c on the channels xx, yy, zz, 0 on
/// xy, xz, yz), the logarithm of an isotropic tensor, which flips of the normalized data leave
/// alone, with c midway between the 0.1th and 99.9th percentiles of the diagonal components;
/// scale the 99.9th percentile of |value − offset|.
void
fitLogTensorNormalization(const std::vector<torch::Tensor> & images,
                          std::vector<double> &              offset,
                          std::vector<double> &              scale)
{
  std::vector<torch::Tensor> diagonal;
  for (const auto & image : images)
    diagonal.push_back(image.index_select(0, torch::tensor({ 0, 3, 5 }, torch::kLong)));
  const torch::Tensor all = sampledValues(diagonal);
  const double c = 0.5 * (torch::quantile(all, 0.001).item<double>() + torch::quantile(all, 0.999).item<double>());
  offset = { c, 0.0, 0.0, c, 0.0, c };
  const torch::Tensor        offsetTensor = torch::tensor(offset, images.front().options()).view({ 6, 1, 1, 1 });
  std::vector<torch::Tensor> centered;
  for (const auto & image : images)
    centered.push_back(image - offsetTensor);
  scale = { magnitudeLevel(centered) };
}

/// With --log-tensors, puts the tensor domains into the log-Euclidean domain (in place) and records
/// it in `normalization`. Eigenvalues below 10⁻³ of the domain's level (background, noise) are
/// raised to it before the logarithm: log 0 does not exist, and a floor far below tissue
/// diffusivities keeps the background distinct from tissue without dominating the scale.
void
mapTensorDomains(std::vector<torch::Tensor> &     x,
                 std::vector<torch::Tensor> &     y,
                 bool                             tensorsX,
                 bool                             tensorsY,
                 revgan::IntensityNormalization & normalization)
{
  if (!tensorsX && !tensorsY)
    throw std::invalid_argument("--log-tensors needs DTI volumes, and neither the X nor the Y images are");
  normalization.logTensorsX = tensorsX;
  normalization.logTensorsY = tensorsY;
  if (tensorsX)
    normalization.tensorFloorX = 1e-3 * magnitudeLevel(x);
  if (tensorsY)
    normalization.tensorFloorY = 1e-3 * magnitudeLevel(y);
  for (auto & image : x)
    image = normalization.mapTensors(image, false);
  for (auto & image : y)
    image = normalization.mapTensors(image, true);
}

/// The validation data of a run: --validation-x/--validation-y (with --validation-masks), or the
/// last --validation-fraction of each training pair's slices, which are then taken out of `x`,
/// `y` and `masks` (the training data, in network values). Validation files are read and mapped
/// to network values with `toNetwork`. Empty without either option.
template<typename ToNetwork>
revgan::ValidationSet
validationSet(const revgan::CommandLineModule & module,
              bool                              paired,
              unsigned int &                    dimensions,
              bool                              checkGeometry,
              const ToNetwork &                 toNetwork,
              std::vector<torch::Tensor> &      x,
              std::vector<torch::Tensor> &      y,
              std::vector<torch::Tensor> &      masks,
              const std::vector<int64_t> &      trainingGridFactors)
{
  const double fraction = module.number("validation-fraction");
  if (module.has("validation-x") != module.has("validation-y"))
    throw std::invalid_argument("--validation-x and --validation-y go together");
  if (module.has("validation-masks") && !module.has("validation-x"))
    throw std::invalid_argument("--validation-masks needs --validation-x and --validation-y (a held-out fraction "
                                "uses the training masks)");
  if (fraction > 0.0 && module.has("validation-x"))
    throw std::invalid_argument("--validation-fraction holds out training slices; with --validation-x there is "
                                "validation data already: give one or the other");
  if (!paired || (fraction == 0.0 && !module.has("validation-x")))
    return {};
  if (fraction > 0.0)
  {
    revgan::SliceSplit         xSplit = revgan::splitLastSlices(x, fraction);
    revgan::SliceSplit         ySplit = revgan::splitLastSlices(y, fraction);
    std::vector<torch::Tensor> heldOutMasks;
    if (!masks.empty())
    {
      revgan::SliceSplit maskSplit = revgan::splitLastSlices(masks, fraction);
      masks = std::move(maskSplit.kept);
      heldOutMasks = std::move(maskSplit.heldOut);
    }
    x = std::move(xSplit.kept);
    y = std::move(ySplit.kept);
    return revgan::ValidationSet(std::move(xSplit.heldOut), std::move(ySplit.heldOut), std::move(heldOutMasks));
  }
  Domain validationY = readDomain(imageFiles(module.text("validation-y")), dimensions);
  Domain validationX = readDomain(
    imageFiles(module.text("validation-x")), dimensions, false, &validationY, module.text("input-interpolation"));
  if (validationX.gridFactors != trainingGridFactors)
    throw std::invalid_argument("'" + validationX.files.front() +
                                "' lies on another grid, relative to its pair, than "
                                "the training images do relative to theirs");
  requireCorresponding(validationY, validationX, "validation Y images", checkGeometry);
  if (validationX.images.front().size(0) != x.front().size(0) ||
      validationY.images.front().size(0) != y.front().size(0))
    throw std::invalid_argument("'" + validationX.files.front() + "' or '" + validationY.files.front() +
                                "' has other components than the training images");
  std::vector<torch::Tensor> validationMasks;
  if (module.has("validation-masks"))
  {
    Domain maskDomain = readDomain(imageFiles(module.text("validation-masks")), dimensions, true);
    requireCorresponding(maskDomain, validationX, "validation masks", checkGeometry);
    validationMasks = std::move(maskDomain.images);
  }
  for (auto & image : validationX.images)
    image = toNetwork(image, false);
  for (auto & image : validationY.images)
    image = toNetwork(image, true);
  return revgan::ValidationSet(
    std::move(validationX.images), std::move(validationY.images), std::move(validationMasks));
}

/// The job this process belongs to: the environment (torchrun's variables), overridden by options.
revgan::DataParallelOptions
dataParallelOptions(const revgan::CommandLineModule & module)
{
  revgan::DataParallelOptions options = revgan::DataParallelOptions::fromEnvironment();
  if (module.integer("world-size") >= 0)
    options.worldSize = static_cast<int>(module.integer("world-size"));
  if (module.integer("rank") >= 0)
    options.rank = static_cast<int>(module.integer("rank"));
  if (module.integer("local-rank") >= 0)
    options.localRank = static_cast<int>(module.integer("local-rank"));
  if (module.has("master-addr"))
    options.masterAddress = module.text("master-addr");
  if (module.integer("master-port") >= 0)
    options.masterPort = static_cast<int>(module.integer("master-port"));
  options.timeout = std::chrono::seconds(module.integer("distributed-timeout"));
  options.backend = module.text("distributed-backend");
  options.validate();
  return options;
}

} // namespace

namespace revgan
{

TrainingRunResult
runTraining(const CommandLineModule & module, const TrainingRunHooks & hooks)
{
  const DataParallelOptions job = dataParallelOptions(module);
  TrainingRunResult         result;
  result.wroteFiles = job.rank == 0;
  const bool writesFiles = result.wroteFiles;
  const auto report = [&](const std::string & line)
  {
    if (writesFiles && hooks.report)
      hooks.report(line);
  };
  configureThreads(static_cast<int>(module.integer("threads")), job.processesOnMachine);
  result.output = module.text("output");
  // Checked before the images are read and training starts, not when the first file is due.
  result.checkpoint = module.has("checkpoint") ? module.text("checkpoint") : result.output + ".checkpoint";
  const std::string & checkpoint = result.checkpoint;
  if (writesFiles)
  {
    for (const std::string & output : { result.output, checkpoint })
      requireWritableLocation(output);
    if (module.has("loss-log"))
      requireWritableLocation(module.text("loss-log"));
  }
  // One GPU per process of a job: --device cuda means this process's, cuda:LOCAL_RANK.
  std::string deviceName = module.text("device");
  if (deviceName == "cuda" && job.worldSize > 1)
    deviceName += ":" + std::to_string(job.localRank);
  const torch::Device device = selectDevice(deviceName);
  // Joined before the images are read, so that a process that cannot join fails at once.
  std::shared_ptr<DataParallelGroup> group;
  if (job.worldSize > 1)
    group = DataParallelGroup::join(job, device);
  const bool paired = parseObjective(module.text("objective")) == Objective::Paired;

  unsigned int dimensions = 0;
  // Paired: Y first, so that X images on a coarser grid can be interpolated onto their pairs'.
  Domain yDomain = readDomain(imageFiles(module.text("y")), dimensions);
  Domain xDomain = readDomain(
    imageFiles(module.text("x")), dimensions, false, paired ? &yDomain : nullptr, module.text("input-interpolation"));
  Domain xMaskDomain, yMaskDomain;
  if (module.has("x-masks"))
    xMaskDomain = readDomain(imageFiles(module.text("x-masks")), dimensions, true);
  if (module.has("y-masks"))
    yMaskDomain = readDomain(imageFiles(module.text("y-masks")), dimensions, true);
  const bool checkGeometry = !module.has("ignore-geometry");
  if (paired)
    requireCorresponding(yDomain, xDomain, "Y images (paired)", checkGeometry);
  if (module.has("x-masks"))
    requireCorresponding(xMaskDomain, xDomain, "X masks", checkGeometry);
  if (module.has("y-masks") && !paired)
    requireCorresponding(yMaskDomain, yDomain, "Y masks", checkGeometry);
  std::vector<torch::Tensor>        x = std::move(xDomain.images), y = std::move(yDomain.images);
  const std::vector<torch::Tensor> &xMasks = xMaskDomain.images, &yMasks = yMaskDomain.images;
  if (!paired && (module.has("validation-x") || module.number("validation-fraction") > 0.0))
    throw std::invalid_argument("validation compares translations with their pairs: it needs --objective paired");

  std::vector<int64_t> patch = module.integersPerAxis("patch-size", dimensions);
  std::reverse(patch.begin(), patch.end()); // x,y,z on the command line; tensors are (z, y, x)

  GeneratorSpec spec;
  spec.kind = parseGeneratorKind(module.text("generator"));
  spec.dimensions = dimensions;
  spec.channelsX = x.front().size(0);
  spec.channelsY = y.front().size(0);
  spec.width = module.integer("width");
  spec.depth = module.integer("depth");
  spec.downsamplings = module.integer("downsamplings");
  spec.residual = module.has("residual");
  spec.validate();
  for (const int64_t extent : patch)
  {
    if (extent % spec.sizeMultiple() != 0)
      throw std::invalid_argument("--patch-size values must be multiples of " + std::to_string(spec.sizeMultiple()) +
                                  " for this generator");
  }

  std::unique_ptr<Trainer> trainer;
  // Whether x and y are already in the tensor domain the normalization describes.
  bool tensorsMapped = false;
  if (module.has("resume"))
  {
    trainer = Trainer::resume(module.text("resume"), group);
    if (!(trainer->generator()->spec() == spec))
      throw std::invalid_argument("checkpoint '" + module.text("resume") +
                                  "' was trained with another architecture or other images");
    if (xDomain.gridFactors != trainer->frameX().gridFactors ||
        (!xDomain.gridFactors.empty() && xDomain.interpolation != trainer->frameX().interpolation))
      throw std::invalid_argument("checkpoint '" + module.text("resume") +
                                  "' was trained with X images on another grid or with another "
                                  "--input-interpolation");
    if (module.has("log-tensors") != trainer->normalization().usesLogTensors())
      throw std::invalid_argument("checkpoint '" + module.text("resume") + "' was trained " +
                                  (module.has("log-tensors") ? "without" : "with") + " --log-tensors");
  }
  else
  {
    TrainerOptions options = TrainerOptions::forObjective(paired ? Objective::Paired : Objective::Unpaired);
    if (module.number("lambda") >= 0.0)
      options.lambda = module.number("lambda");
    options.ganWeight = module.number("gan-weight");
    options.identityWeight = module.number("identity-weight");
    options.reconstructionLoss = parseReconstructionLoss(module.text("reconstruction-loss"));
    options.ganLoss = module.text("gan-loss") == "default" ? options.ganLoss : parseGanLoss(module.text("gan-loss"));
    options.poolSize = module.integer("pool-size");
    options.discriminatorWidth = module.integer("discriminator-width");
    options.discriminatorLayers = module.integer("discriminator-layers");
    options.beta1 = module.number("beta1");
    options.beta2 = module.number("beta2");
    options.precision = parsePrecision(module.text("precision"));
    options.learningRate = module.number("learning-rate");
    options.epochs = module.integer("epochs");
    options.decayEpochs = module.integer("decay-epochs");
    options.batchSize = module.integer("batch-size");
    options.gradientMode = parseGradientMode(module.text("gradient-mode"));
    options.seed = static_cast<uint64_t>(module.integer("seed"));
    options.warmupIterations = module.integer("warmup-iterations");
    options.clipGradientNorm = module.number("clip-gradient-norm");
    options.spikeFactor = module.number("spike-factor");
    options.device = device;
    IntensityNormalization normalization;
    if (module.has("log-tensors"))
    {
      mapTensorDomains(x, y, xDomain.tensors, yDomain.tensors, normalization);
      tensorsMapped = true;
    }
    const auto fit = [](const std::vector<torch::Tensor> & images,
                        bool                               logTensors,
                        std::vector<double> &              offset,
                        std::vector<double> &              scale)
    {
      if (logTensors)
        fitLogTensorNormalization(images, offset, scale);
      else
        fitNormalization(images, offset, scale);
    };
    if (spec.residual)
    {
      if (normalization.logTensorsX != normalization.logTensorsY)
        throw std::invalid_argument("--residual with --log-tensors needs DTI volumes in both domains");
      // Input and output are the same quantity: one scale for both keeps the identity exact.
      std::vector<torch::Tensor> both = x;
      both.insert(both.end(), y.begin(), y.end());
      fit(both, normalization.logTensorsX, normalization.offsetX, normalization.scaleX);
      normalization.offsetY = normalization.offsetX;
      normalization.scaleY = normalization.scaleX;
    }
    else
    {
      fit(x, normalization.logTensorsX, normalization.offsetX, normalization.scaleX);
      fit(y, normalization.logTensorsY, normalization.offsetY, normalization.scaleY);
    }
    trainer = std::make_unique<Trainer>(spec, options, normalization);
    trainer->setDomainFrames(trainingFrame(xDomain), trainingFrame(yDomain));
    trainer->setDataParallel(group);
  }
  // Choices of this run, also when resuming.
  trainer->setSkipNonFinite(module.has("skip-non-finite"));
  if (module.has("monitor-reconstruction"))
  {
    if (trainer->options().gradientMode == GradientMode::Naive)
      throw std::invalid_argument("--monitor-reconstruction needs --gradient-mode reversible or reversible-core");
    trainer->setMonitorReconstruction(true);
  }
  const auto & normalization = trainer->normalization();
  // The normalization takes batches: each image is a batch of one.
  const auto toNetwork = [&](const torch::Tensor & image, bool domainY)
  {
    const torch::Tensor batch = image.unsqueeze(0);
    return (tensorsMapped ? normalization.mapIntensities(batch, domainY) : normalization.normalize(batch, domainY))
      .squeeze(0);
  };
  // Images read later (validation files) have not been mapped to the tensor domain yet.
  const auto rawToNetwork = [&](const torch::Tensor & image, bool domainY)
  { return normalization.normalize(image.unsqueeze(0), domainY).squeeze(0); };
  for (auto & image : x)
    image = toNetwork(image, false);
  for (auto & image : y)
    image = toNetwork(image, true);

  if (module.has("memory-budget"))
  {
    const int64_t budget = parseMemoryBudget(module.text("memory-budget"), device, "--memory-budget");
    // The probe's values do not matter, only its shape: one batch of patches.
    std::vector<int64_t> shapeX{ trainer->options().batchSize, spec.channelsX };
    std::vector<int64_t> shapeY{ trainer->options().batchSize, spec.channelsY };
    shapeX.insert(shapeX.end(), patch.begin(), patch.end());
    shapeY.insert(shapeY.end(), patch.begin(), patch.end());
    TrainingBatch probe;
    probe.x = torch::zeros(shapeX);
    probe.y = torch::zeros(shapeY);
    const GradientModeChoice choice = chooseGradientMode(*trainer, probe, budget);
    report("memory budget: " + choice.describe(budget));
  }

  std::vector<torch::Tensor> trainingMasks = xMasks;
  ValidationSet              validation =
    validationSet(module, paired, dimensions, checkGeometry, rawToNetwork, x, y, trainingMasks, xDomain.gridFactors);
  const bool validates = !validation.empty();
  if (validates)
    report("validating on " + std::to_string(validation.scoredVoxels()) + " voxels every " +
           std::to_string(module.integer("validation-interval")) + " iterations and at the end of each epoch");
  trainer->setValidation(std::move(validation), module.integer("validation-interval"));
  // The weights training starts from are the first candidates (a resumed run has its own best).
  if (validates && !trainer->bestValidation())
  {
    std::ostringstream line;
    line << "validation RMSE of the initial weights " << trainer->validate();
    report(line.str());
  }

  CropSource source(x, y, patch, paired, module.has("flips"), module.integer("samples-per-epoch"));
  source.setTensorDomains(xDomain.tensors, yDomain.tensors);
  if (module.has("symmetries"))
  {
    const auto groups = exchangeableAxes(xDomain, yDomain, patch);
    source.setRandomSymmetries(groups);
    report("random symmetries: flips along every axis; axes exchanged: " + axisGroupNames(groups));
  }
  if (!trainingMasks.empty() || !yMasks.empty())
    source.setMasks(trainingMasks, paired ? std::vector<torch::Tensor>{} : yMasks, module.number("min-mask-fraction"));

  // In a data-parallel job rank 0 alone logs, reports progress and writes files.
  std::unique_ptr<LossLog> log;
  if (writesFiles && module.has("loss-log") && module.has("resume"))
    log = std::make_unique<LossLog>(module.text("loss-log"), trainer->epoch(), trainer->iterationInEpoch());
  else if (writesFiles && module.has("loss-log"))
    log = std::make_unique<LossLog>(module.text("loss-log"));
  const int64_t checkpointInterval = module.integer("checkpoint-interval");
  const auto &  options = trainer->options();
  const int64_t totalEpochs = options.epochs + options.decayEpochs;
  // The log's rows reach the disk before the checkpoint does: after a crash of the machine the
  // log holds every row up to the checkpoint a resumed run continues from. A log that cannot
  // be flushed (removed, or a pipe) costs that guarantee, never the checkpoint: a warning, once.
  bool       logFlushWarned = false;
  const auto saveCheckpoint = [&]
  {
    try
    {
      if (log)
        log->flushToDisk();
    }
    catch (const std::exception & error)
    {
      if (!logFlushWarned && writesFiles && hooks.warn)
        hooks.warn(std::string(error.what()) + "; training and checkpoints go on");
      logFlushWarned = true;
    }
    trainer->saveCheckpoint(checkpoint);
  };
  try
  {
    while (trainer->epoch() < totalEpochs && !trainer->stopRequested())
    {
      trainer->train(source,
                     trainer->epoch() + 1,
                     [&](const TrainingProgress & p)
                     {
                       if (log)
                         log->write(p);
                       if (checkpointInterval > 0 && p.iteration % checkpointInterval == 0 &&
                           p.iteration < p.iterationsPerEpoch && !trainer->stopRequested())
                         saveCheckpoint(); // the end of an epoch has its own below
                       if (writesFiles && hooks.progress)
                         hooks.progress(p);
                       // Last, so that a stop asked for during the progress hook (Ctrl-C in Python,
                       // an exception of its callback) takes effect after this iteration.
                       if (hooks.stop && hooks.stop())
                         trainer->requestStop();
                     });
      if ((module.has("checkpoint") || checkpointInterval > 0) && !trainer->stopRequested())
        saveCheckpoint();
    }
  }
  catch (const TrainingDivergedError & error)
  {
    result.outcome = TrainingRunResult::Outcome::Diverged;
    result.divergence = error.what();
  }
  // A finished run has trained all its epochs; one that stopped early stands inside the next.
  const bool finished = result.outcome == TrainingRunResult::Outcome::Finished && !trainer->stopRequested();
  result.epoch = finished ? trainer->epoch() : trainer->epoch() + 1;
  result.iteration = finished ? 0 : trainer->iterationInEpoch();
  if (result.outcome != TrainingRunResult::Outcome::Diverged && trainer->stopRequested())
  {
    // Stopped between two iterations (all processes of a job after the same one): save where
    // training stands, so that --resume continues.
    saveCheckpoint();
    result.outcome = TrainingRunResult::Outcome::Stopped;
    return result;
  }
  const auto & best = trainer->bestValidation();
  if (module.text("keep") == "best" && trainer->restoreBestWeights())
    result.keptBest = ValidatedWeights{ best->rmse, best->epoch + 1, best->iteration };
  trainer->saveModel(result.output);
  return result;
}

} // namespace revgan
