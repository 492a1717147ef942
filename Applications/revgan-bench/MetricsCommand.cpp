// SPDX-License-Identifier: Apache-2.0
// revgan-bench metrics: voxels per second of the metric sinks revgan-evaluate runs — RMSE and MAE
// over a masked volume, RMSE, PSNR and SSIM over an image, the tensor measures over a DTI volume.
#include "BenchmarkCommands.h"
#include "BenchmarkTable.h"
#include "JsonLine.h"

#include "itkRevGANErrorMetricsImageFilter.h"
#include "itkRevGANTensorMetricsImageFilter.h"
#include "itkTimeProbe.h"
#include "itkVectorImage.h"

#include "revgan/UpperMedian.h"

#include <iostream>
#include <random>
#include <stdexcept>
#include <type_traits>

namespace revgan
{

namespace
{

/// An image of `components` random values per voxel around `level` (tensors: a positive definite
/// diagonal plus noise), and a ball-shaped mask over 80 % of its extent.
template<unsigned int D>
typename itk::VectorImage<float, D>::Pointer
randomImage(const std::vector<int64_t> & size, unsigned int components, uint64_t seed)
{
  auto                                          image = itk::VectorImage<float, D>::New();
  typename itk::VectorImage<float, D>::SizeType extent;
  for (unsigned int d = 0; d < D; ++d)
    extent[d] = static_cast<itk::SizeValueType>(size[d]);
  image->SetRegions(extent);
  image->SetNumberOfComponentsPerPixel(components);
  image->Allocate();
  std::mt19937                    random(static_cast<unsigned int>(seed));
  std::normal_distribution<float> noise(0.0f, 0.1f);
  float *                         values = image->GetBufferPointer();
  const size_t                    count = image->GetPixelContainer()->Size();
  for (size_t i = 0; i < count; ++i)
  {
    const bool diagonal = components == 6 && (i % 6 == 0 || i % 6 == 3 || i % 6 == 5);
    values[i] = (diagonal ? 1.0f : 0.0f) + noise(random);
  }
  return image;
}

template<unsigned int D>
typename itk::Image<unsigned char, D>::Pointer
ballMask(const std::vector<int64_t> & size)
{
  auto                                            mask = itk::Image<unsigned char, D>::New();
  typename itk::Image<unsigned char, D>::SizeType extent;
  for (unsigned int d = 0; d < D; ++d)
    extent[d] = static_cast<itk::SizeValueType>(size[d]);
  mask->SetRegions(extent);
  mask->Allocate();
  for (itk::ImageRegionIteratorWithIndex<itk::Image<unsigned char, D>> it(mask, mask->GetLargestPossibleRegion());
       !it.IsAtEnd();
       ++it)
  {
    double r2 = 0.0;
    for (unsigned int d = 0; d < D; ++d)
    {
      const double offset = (static_cast<double>(it.GetIndex()[d]) - 0.5 * size[d]) / (0.4 * size[d]);
      r2 += offset * offset;
    }
    it.Set(r2 < 1.0 ? 1 : 0);
  }
  return mask;
}

/// Seconds of one Update() of `filter` (median of `repetitions`, after one warm-up).
template<typename Filter>
double
timeUpdates(Filter * filter, int repetitions)
{
  filter->Update();
  std::vector<double> seconds;
  for (int i = 0; i < repetitions; ++i)
  {
    filter->Modified();
    itk::TimeProbe probe;
    probe.Start();
    filter->Update();
    probe.Stop();
    seconds.push_back(probe.GetTotal());
  }
  return upperMedian(std::move(seconds));
}

} // namespace

int
runMetricsCommand(const std::vector<std::string> & arguments)
{
  std::vector<int64_t> volume{ 145, 174, 145 };
  std::vector<int64_t> image{ 512, 512 };
  int                  repetitions = 5;
  uint64_t             seed = 1;
  MachineSettings      machine;
  BenchmarkOptions     options(
    "Usage: revgan-bench metrics [options]\n\n"
        "Times the metric sinks revgan-evaluate runs, on random data with a ball-shaped mask: RMSE and MAE\n"
        "(total and interior) of a scalar volume, the same with PSNR and SSIM of a scalar image, and the\n"
        "tensor measures (FA, MD, AD, RD, angle, log-Euclidean) of a DTI volume. Reports voxels per second.");
  options.add("volume", volume, "volume extent x y z (HCP's DTI size by default)")
    .add("image", image, "image extent x y")
    .add("repeat", repetitions, "timed updates per case (median), after one warm-up")
    .add("seed", seed, "random seed");
  machine.addTo(options);
  if (!options.parse(arguments, std::cout))
    return 0;
  if (volume.size() != 3 || image.size() != 2)
    throw std::invalid_argument("--volume needs 3 values (x y z) and --image 2 (x y)");
  if (repetitions < 1)
    throw std::invalid_argument("--repeat must be at least 1");
  const int threadCount = machine.apply();

  struct Case
  {
    const char * name;
    double       voxels;
    double       seconds;
  };
  std::vector<Case> cases;
  // Each sink on a random prediction and reference and a ball-shaped mask.
  const auto timeSink = [&](const char * name, auto sink, const auto & extent, unsigned int components)
  {
    constexpr unsigned int D = std::remove_reference_t<decltype(*sink)>::ImageDimension;
    sink->SetInput(randomImage<D>(extent, components, seed + 2 * cases.size()));
    sink->SetReferenceImage(randomImage<D>(extent, components, seed + 2 * cases.size() + 1));
    sink->SetMaskImage(ballMask<D>(extent));
    sink->SetNumberOfWorkUnits(static_cast<unsigned int>(threadCount));
    double voxels = 1.0;
    for (const int64_t size : extent)
      voxels *= static_cast<double>(size);
    cases.push_back({ name, voxels, timeUpdates(sink.GetPointer(), repetitions) });
  };
  timeSink("error-3d", itk::RevGANErrorMetricsImageFilter<itk::VectorImage<float, 3>>::New(), volume, 1);
  timeSink("error-ssim-2d", itk::RevGANErrorMetricsImageFilter<itk::VectorImage<float, 2>>::New(), image, 1);
  timeSink("tensor-3d", itk::RevGANTensorMetricsImageFilter<itk::VectorImage<float, 3>>::New(), volume, 6);

  if (!machine.json)
    std::cout << "metrics benchmark: volume " << volume[0] << "x" << volume[1] << "x" << volume[2] << ", image "
              << image[0] << "x" << image[1] << ", " << threadCount << " threads, median of " << repetitions << "\n";
  for (const Case & measured : cases)
  {
    if (machine.json)
      std::cout << JsonLine()
                     .add("benchmark", "metrics")
                     .add("case", measured.name)
                     .add("voxels", static_cast<int64_t>(measured.voxels))
                     .add("seconds", measured.seconds)
                     .add("voxels_per_second", measured.voxels / measured.seconds)
                     .add("threads", threadCount)
                     .str()
                << std::endl;
    else
      std::cout << "  " << measured.name << std::string(16 - std::string(measured.name).size(), ' ')
                << formatFixed(measured.seconds, 4) << " s  "
                << formatFixed(measured.voxels / measured.seconds / 1e6, 2) << " M voxels/s\n";
  }
  return 0;
}

} // namespace revgan
