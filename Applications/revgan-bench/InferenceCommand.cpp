// SPDX-License-Identifier: Apache-2.0
// revgan-bench inference: voxels per second of itk::RevGANImageFilter on a DTI-sized volume, and
// the share of time spent outside the network (patching, conversion, blending).
#include "BenchmarkCommands.h"
#include "BenchmarkTable.h"
#include "JsonLine.h"

#include "itkImageRegionIterator.h"
#include "itkRevGANImageFilter.h"
#include "itkTimeProbe.h"
#include "itkVectorImage.h"

#include "revgan/ConvolutionFlopCounter.h"
#include "revgan/DeviceSelection.h"
#include "revgan/Generators.h"
#include "revgan/MatrixMultiplyRate.h"
#include "revgan/ModelFile.h"
#include "revgan/UpperMedian.h"

#include <torch/torch.h>

#include <iostream>
#include <stdexcept>
#include <utility>

namespace revgan
{

namespace
{

using VolumeType = itk::VectorImage<float, 3>;

/// A volume of `channels` independent random values in [−1, 1] (the network's cost does not
/// depend on the values).
VolumeType::Pointer
makeVolume(const std::vector<int64_t> & size, unsigned int channels, uint64_t seed)
{
  auto                 volume = VolumeType::New();
  VolumeType::SizeType extent;
  for (unsigned int d = 0; d < 3; ++d)
    extent[d] = static_cast<itk::SizeValueType>(size[d]);
  volume->SetRegions(VolumeType::RegionType(extent));
  volume->SetNumberOfComponentsPerPixel(channels);
  volume->Allocate();
  torch::manual_seed(seed);
  const auto    voxels = static_cast<int64_t>(volume->GetLargestPossibleRegion().GetNumberOfPixels());
  torch::Tensor values = torch::rand({ voxels * static_cast<int64_t>(channels) }) * 2.0 - 1.0;
  std::copy_n(values.data_ptr<float>(), values.numel(), volume->GetBufferPointer());
  return volume;
}

} // namespace

int
runInferenceCommand(const std::vector<std::string> & arguments)
{
  std::vector<int64_t> size{ 145, 174, 145 };
  std::vector<int64_t> patchSize{ 64 };
  std::vector<int64_t> overlap{ 8 };
  int64_t              width = 64;
  int64_t              depth = 4;
  int64_t              channels = 6;
  int                  batch = 4;
  int                  repetitions = 1;
  uint64_t             seed = 1;
  MachineSettings      machine;
  BenchmarkOptions     options(
    "Usage: revgan-bench inference [options]\n\n"
        "Translates a volume of the HCP's size (145x174x145, 6 tensor components) with itk::RevGANImageFilter\n"
        "and an SRCNN+kR network (random weights), as revgan-translate does, and reports voxels per second,\n"
        "the convolution GFLOP/s, and the share of time outside the network (patching, conversion, blending).");
  options.add("size", size, "volume extent x y z")
    .add("patch-size", patchSize, "patch extent per axis (one value: all axes)")
    .add("overlap", overlap, "overlap of neighbouring patches per axis")
    .add("batch", batch, "patches per network call")
    .add("width", width, "SRCNN+kR width")
    .add("depth", depth, "reversible blocks k")
    .add("channels", channels, "components per voxel")
    .add("repeat", repetitions, "timed updates (median), after one warm-up")
    .add("seed", seed, "random seed");
  machine.addTo(options);
  if (!options.parse(arguments, std::cout))
    return 0;
  if (size.size() != 3)
    throw std::invalid_argument("--size needs 3 values (x y z)");
  for (auto * perAxis : { &patchSize, &overlap })
  {
    if (perAxis->size() == 1)
      perAxis->resize(3, perAxis->front());
    if (perAxis->size() != 3)
      throw std::invalid_argument("--patch-size and --overlap take 1 or 3 values");
  }
  if (repetitions < 1)
    throw std::invalid_argument("--repeat must be at least 1");

  const c10::Device device = selectDevice(machine.device);
  const int         threadCount = machine.apply();
  const double      sgemm = measureMatrixMultiplyRate(device);

  Model model;
  model.spec.kind = GeneratorKind::SRCNN;
  model.spec.dimensions = 3;
  model.spec.channelsX = model.spec.channelsY = channels;
  model.spec.width = width;
  model.spec.depth = depth;
  torch::manual_seed(seed);
  model.generator = makeGenerator(model.spec);

  auto filter = itk::RevGANImageFilter<VolumeType, VolumeType>::New();
  filter->SetModel(ModelRunner::fromModel(model, machine.device));
  filter->SetInput(makeVolume(size, static_cast<unsigned int>(channels), seed));
  itk::RevGANImageFilter<VolumeType, VolumeType>::SizeType patch, margin;
  for (unsigned int d = 0; d < 3; ++d)
  {
    patch[d] = static_cast<itk::SizeValueType>(patchSize[d]);
    margin[d] = static_cast<itk::SizeValueType>(overlap[d]);
  }
  filter->SetPatchSize(patch);
  filter->SetOverlap(margin);
  filter->SetPatchesPerBatch(static_cast<unsigned int>(batch));

  filter->Update();                            // warm-up: first-call allocations and kernel selection
  std::vector<std::pair<double, double>> runs; // (total seconds, network seconds)
  double                                 operations = 0.0;
  for (int i = 0; i < repetitions; ++i)
  {
    filter->Modified();
    ConvolutionFlopCounter counter;
    itk::TimeProbe         total;
    total.Start();
    filter->Update();
    synchronizeDevice(device);
    total.Stop();
    runs.emplace_back(total.GetTotal(), filter->GetNetworkSeconds());
    operations = counter.operations();
  }
  const auto [seconds, networkSeconds] = upperMedian(std::move(runs));
  const double voxels = static_cast<double>(size[0] * size[1] * size[2]);
  const double outsideShare = 1.0 - networkSeconds / seconds;
  const double rate = operations / seconds / 1e9;
  if (machine.json)
  {
    std::cout << JsonLine()
                   .add("benchmark", "inference")
                   .add("model", generatorDefinition(model.spec.kind).name)
                   .add("depth", depth)
                   .add("width", width)
                   .add("voxels", static_cast<int64_t>(voxels))
                   .add("seconds", seconds)
                   .add("network_seconds", networkSeconds)
                   .add("voxels_per_second", voxels / seconds)
                   .add("outside_network_share", outsideShare)
                   .add("gflop", operations / 1e9)
                   .add("gflops", rate)
                   .add("sgemm_gflops", sgemm)
                   .add("patch_size", patchSize[0])
                   .add("overlap", overlap[0])
                   .add("device", device.str())
                   .add("threads", threadCount)
                   .str()
              << std::endl;
    return 0;
  }
  std::cout << "inference benchmark: SRCNN+" << depth << "R width " << width << ", " << size[0] << "x" << size[1] << "x"
            << size[2] << " voxels x " << channels << " channels, patches " << patchSize[0] << "x" << patchSize[1]
            << "x" << patchSize[2] << " overlap " << overlap[0] << ", device " << device.str() << ", " << threadCount
            << " threads\n"
            << "  seconds            " << formatFixed(seconds, 2) << '\n'
            << "  voxels per second  " << formatFixed(voxels / seconds, 0) << '\n'
            << "  outside network    " << formatFixed(100.0 * outsideShare, 1) << " % of the time\n"
            << "  GFLOP/s            " << formatFixed(rate, 1) << " (sgemm " << formatFixed(sgemm, 1) << ", "
            << formatFixed(100.0 * rate / sgemm, 0) << " %)\n";
  return 0;
}

} // namespace revgan
