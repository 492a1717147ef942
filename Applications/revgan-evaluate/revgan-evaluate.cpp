// SPDX-License-Identifier: Apache-2.0
// revgan-evaluate: compares a prediction with a reference (within a brain mask) and reports RMSE
// total/interior, MAE, PSNR and SSIM (2D), segmentation scores for label maps, and the tensor
// measures (FA, MD, AD, RD, principal direction, log-Euclidean, positive definiteness) for DTI.
#include "ApplicationMain.h"
#include "CommandLineModule.h"
#include "JsonLine.h"
#include "ModuleDescriptions.h"
#include "ProgressPrinter.h"
#include "revgan/ImageFiles.h"
#include "revgan/ImageGeometry.h"

#include "itkRevGANImageMetrics.h"
#include "revgan/MetricFigures.h"

#include <iomanip>
#include <iostream>

namespace
{

/// The comparison's settings from the command line.
revgan::MetricSettings
settingsOf(const revgan::CommandLineModule & module)
{
  revgan::MetricSettings settings;
  settings.interiorRadius = static_cast<unsigned int>(module.integer("interior-radius"));
  settings.dataRange = module.number("range");
  settings.faThreshold = module.number("fa-threshold");
  return settings;
}

template<unsigned int D>
int
evaluate(const revgan::CommandLineModule & module)
{
  using MaskType = itk::Image<unsigned char, D>;
  const auto              predictionInfo = revgan::inspectImageFile(module.text("prediction"));
  const auto              referenceInfo = revgan::inspectImageFile(module.text("reference"));
  revgan::ProgressPrinter progress("revgan-evaluate", "comparing " + module.text("prediction"), !module.has("json"));
  const auto              prediction = revgan::readVectorImage<D>(module.text("prediction"), predictionInfo);
  progress.update(0.25);
  const auto reference = revgan::readVectorImage<D>(module.text("reference"), referenceInfo);
  progress.update(0.5);
  if (prediction->GetLargestPossibleRegion().GetSize() != reference->GetLargestPossibleRegion().GetSize())
    throw std::invalid_argument("'" + module.text("reference") + "' differs in size from the prediction");
  const bool checkGeometry = !module.has("ignore-geometry");
  if (checkGeometry)
    revgan::requireSameGeometry<D>(
      module.text("reference"), reference.GetPointer(), prediction.GetPointer(), "the prediction");
  if (prediction->GetNumberOfComponentsPerPixel() != reference->GetNumberOfComponentsPerPixel())
    throw std::invalid_argument(
      "'" + module.text("reference") + "' has " + std::to_string(reference->GetNumberOfComponentsPerPixel()) +
      " components per pixel, the prediction " + std::to_string(prediction->GetNumberOfComponentsPerPixel()));
  typename MaskType::Pointer mask;
  if (module.has("mask"))
  {
    revgan::inspectImageFile(module.text("mask"));
    mask = revgan::readingImageFile(module.text("mask"), [&] { return itk::ReadImage<MaskType>(module.text("mask")); });
    if (mask->GetLargestPossibleRegion().GetSize() != prediction->GetLargestPossibleRegion().GetSize())
      throw std::invalid_argument("mask '" + module.text("mask") + "' differs in size from the prediction");
    if (checkGeometry)
      revgan::requireSameGeometry<D>(module.text("mask"), mask.GetPointer(), prediction.GetPointer(), "the prediction");
  }
  else
  {
    mask = MaskType::New();
    mask->CopyInformation(prediction);
    mask->SetRegions(prediction->GetLargestPossibleRegion());
    mask->Allocate();
    mask->FillBuffer(1);
  }
  progress.update(0.6);
  // The geometry was checked above (or --ignore-geometry given): compare voxel by voxel.
  revgan::MetricFigures figures =
    revgan::errorFigures<D>(prediction.GetPointer(), reference.GetPointer(), mask.GetPointer(), settingsOf(module));
  if constexpr (D == 3)
  {
    if (predictionInfo.tensor && referenceInfo.tensor)
    {
      const auto tensors =
        revgan::tensorFigures(prediction.GetPointer(), reference.GetPointer(), mask.GetPointer(), settingsOf(module));
      figures.insert(figures.end(), tensors.begin(), tensors.end());
    }
  }
  if (module.integer("labels") > 0)
  {
    using LabelType = itk::Image<unsigned short, D>;
    const auto a = revgan::readingImageFile(module.text("prediction"),
                                            [&] { return itk::ReadImage<LabelType>(module.text("prediction")); });
    const auto b = revgan::readingImageFile(module.text("reference"),
                                            [&] { return itk::ReadImage<LabelType>(module.text("reference")); });
    const auto scores = itk::ComputeRevGANSegmentationScores(
      a.GetPointer(), b.GetPointer(), static_cast<unsigned int>(module.integer("labels")));
    figures.emplace_back("pixel_accuracy", scores.pixelAccuracy);
    figures.emplace_back("mean_class_accuracy", scores.meanClassAccuracy);
    figures.emplace_back("mean_iou", scores.meanIoU);
  }

  if (module.has("json"))
  {
    revgan::JsonLine line;
    line.add("prediction", module.text("prediction")).add("reference", module.text("reference"));
    for (const auto & [name, value] : figures)
      line.add(name, value);
    std::cout << line.str() << std::endl;
    return 0;
  }
  std::cout << "prediction " << module.text("prediction") << "\nreference  " << module.text("reference") << '\n';
  for (const auto & [name, value] : figures)
    std::cout << std::left << std::setw(32) << name << std::setprecision(6) << value << '\n';
  return 0;
}

} // namespace

int
main(int argc, char ** argv)
{
  return revgan::runApplication("revgan-evaluate",
                                [&]
                                {
                                  revgan::CommandLineModule module = revgan::describeEvaluate();
                                  if (!module.parse(argc, argv))
                                    return 0;
                                  const auto info = revgan::inspectImageFile(module.text("prediction"));
                                  if (info.dimensions != 2 && info.dimensions != 3)
                                    throw std::invalid_argument("'" + module.text("prediction") + "' is " +
                                                                std::to_string(info.dimensions) +
                                                                "D; 2D and 3D images are supported");
                                  // 3D Slicer passes a 2D image as a volume of one slice.
                                  const bool oneSlice = info.dimensions == 3 && info.size[2] == 1;
                                  return info.dimensions == 2 || oneSlice ? evaluate<2>(module) : evaluate<3>(module);
                                });
}
