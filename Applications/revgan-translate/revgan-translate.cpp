// SPDX-License-Identifier: Apache-2.0
// revgan-translate: applies a model file to one image or volume, forward (X→Y) or inverse (Y→X);
// a 2D model is applied slice by slice to a 3D volume (3D Slicer passes 2D images as one-slice
// volumes).
#include "ApplicationMain.h"
#include "CommandLineModule.h"
#include "ModuleDescriptions.h"
#include "ProgressPrinter.h"
#include "revgan/ImageFiles.h"
#include "revgan/ImageGeometry.h"

#include "itkCommand.h"
#include "itkExtractImageFilter.h"
#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIterator.h"
#include "itkRevGANImageFilter.h"
#include "itkRevGANInputGrid.h"
#include "revgan/ModelRunner.h"
#include "revgan/ThreadConfiguration.h"

namespace
{

/// The part of the progress bar for reading the input and loading the model.
constexpr double readShare = 0.1;

/// An itk::RevGANImageFilter set up from the command line, its progress mapped to
/// [start, start + share] of `progress`.
template<unsigned int D>
class Translation
{
public:
  using ImageType = itk::VectorImage<float, D>;
  using FilterType = itk::RevGANImageFilter<ImageType>;

  Translation(const revgan::CommandLineModule &    module,
              std::shared_ptr<revgan::ModelRunner> model,
              revgan::ProgressPrinter &            progress)
    : filter_(FilterType::New())
    , progress_(progress)
  {
    filter_->SetModel(std::move(model));
    filter_->SetDirection(revgan::parseDirection(module.text("direction")));
    const auto                    sizes = module.integersPerAxis("patch-size", D);
    const auto                    overlaps = module.integersPerAxis("overlap", D);
    typename FilterType::SizeType patch, overlap;
    for (unsigned int d = 0; d < D; ++d)
    {
      patch[d] = static_cast<itk::SizeValueType>(sizes[d]);
      overlap[d] = static_cast<itk::SizeValueType>(overlaps[d]);
    }
    filter_->SetPatchSize(patch);
    filter_->SetOverlap(overlap);
    filter_->SetBlending(itk::RevGANBlendingFromName(module.text("blending")));
    filter_->SetPatchesPerBatch(static_cast<unsigned int>(module.integer("batch")));
    auto observer = itk::CStyleCommand::New();
    observer->SetClientData(this);
    observer->SetCallback(
      [](itk::Object * caller, const itk::EventObject &, void * data)
      {
        auto * self = static_cast<Translation *>(data);
        self->progress_.update(self->start_ + self->share_ * static_cast<itk::ProcessObject *>(caller)->GetProgress());
      });
    filter_->AddObserver(itk::ProgressEvent(), observer);
  }

  typename ImageType::Pointer
  run(const ImageType * input, double start, double share)
  {
    start_ = start;
    share_ = share;
    filter_->SetInput(input);
    filter_->Update();
    typename ImageType::Pointer output = filter_->GetOutput();
    output->DisconnectPipeline();
    return output;
  }

private:
  typename FilterType::Pointer filter_;
  revgan::ProgressPrinter &    progress_;
  double                       start_{ 0.0 };
  double                       share_{ 1.0 };
};

/// The axis across the slices of `info`'s volume for a 2D model: --slice-axis, or the one axis of
/// a single voxel (3D Slicer's one-slice volumes), or z.
unsigned int
sliceAxis(const revgan::CommandLineModule & module, const revgan::ImageFileInfo & info)
{
  const int64_t requested = module.integer("slice-axis");
  if (requested >= 0)
    return static_cast<unsigned int>(requested);
  for (unsigned int d = 0; d < 3; ++d)
  {
    if (info.size[d] == 1)
      return d;
  }
  return 2;
}

/// A 2D model applied to each slice of a volume across `axis`; the output keeps the volume's
/// geometry, refined in the slices' two axes when the model takes its input on a coarser grid
/// (`frame`; the filter interpolates each slice as the model's training slices were).
itk::VectorImage<float, 3>::Pointer
translateSlices(const itk::VectorImage<float, 3> * volume,
                unsigned int                       axis,
                const revgan::DomainFrame &        frame,
                Translation<2> &                   translation)
{
  using VolumeType = itk::VectorImage<float, 3>;
  using SliceType = itk::VectorImage<float, 2>;
  std::vector<int64_t> factors{ 1, 1, 1 };
  if (frame.resamplesInput())
  {
    factors = frame.gridFactors;
    factors.insert(factors.begin() + axis, 1);
  }
  const auto               grid = itk::RevGANFineGrid<3>(volume, factors);
  const auto               region = volume->GetLargestPossibleRegion();
  const auto               outputRegion = grid->GetLargestPossibleRegion();
  const itk::SizeValueType slices = region.GetSize(axis);
  VolumeType::Pointer      output;
  for (itk::SizeValueType k = 0; k < slices; ++k)
  {
    VolumeType::RegionType slab = region;
    slab.SetIndex(axis, region.GetIndex(axis) + static_cast<itk::IndexValueType>(k));
    slab.SetSize(axis, 0);
    auto extract = itk::ExtractImageFilter<VolumeType, SliceType>::New();
    extract->SetInput(volume);
    extract->SetExtractionRegion(slab);
    extract->SetDirectionCollapseToIdentity();
    extract->Update();
    const auto translated = translation.run(
      extract->GetOutput(), static_cast<double>(k) / static_cast<double>(slices), 1.0 / static_cast<double>(slices));
    if (!output)
    {
      output = VolumeType::New();
      output->CopyInformation(grid);
      output->SetRegions(outputRegion);
      output->SetNumberOfComponentsPerPixel(translated->GetNumberOfComponentsPerPixel());
      output->Allocate();
    }
    // The slice's axes are the volume's other axes in their order, so both run through the same
    // voxels in the same order.
    slab = outputRegion;
    slab.SetIndex(axis, outputRegion.GetIndex(axis) + static_cast<itk::IndexValueType>(k));
    slab.SetSize(axis, 1);
    itk::ImageRegionIterator<VolumeType>     out(output, slab);
    itk::ImageRegionConstIterator<SliceType> in(translated, translated->GetLargestPossibleRegion());
    for (; !out.IsAtEnd(); ++out, ++in)
      out.Set(in.Get());
  }
  return output;
}

/// Warns when `input` is laid out otherwise than the images the model read in training: the
/// network then sees its anatomy (and its tensors) in a layout it did not learn. An input whose
/// components the model cannot read is left to the filter's error. Axes are compared only when
/// the model runs on the image's own grid (a 2D model on a volume's slices does not).
void
warnAboutLayout(const revgan::CommandLineModule & module,
                const revgan::ModelRunner &       model,
                const revgan::ImageFileInfo &     info,
                const std::vector<double> &       axisDirections)
{
  const revgan::Direction direction = revgan::parseDirection(module.text("direction"));
  if (static_cast<int64_t>(info.components) != model.inputChannels(direction))
    return;
  const revgan::DomainFrame & trained = model.inputFrame(direction);
  const std::string           kind = revgan::describeTensorKindDifference(trained.tensors, info.tensor);
  const std::string           axes = revgan::describeAxisDifference(trained.direction, axisDirections);
  if (kind.empty() && axes.empty())
    return;
  std::cerr << "revgan-translate: warning: '" << module.text("input")
            << "' is laid out otherwise than the images model '" << module.text("model") << "' was trained on: " << kind
            << (kind.empty() || axes.empty() ? "" : "; ") << axes << "."
            << (axes.empty()
                  ? ""
                  : " A model trained without --flips or --symmetries has not seen such a layout; resampling the input "
                    "onto the training images' axes avoids the question.")
            << std::endl;
}

int
translate(const revgan::CommandLineModule & module)
{
  const std::string input = module.text("input");
  const std::string outputFile = module.text("output");
  revgan::requireWritableImageFile(outputFile);
  const revgan::ImageFileInfo info = revgan::inspectImageFile(input);
  const auto                  model = revgan::ModelRunner::fromFile(module.text("model"), module.text("device"));
  const auto                  modelDimensions = static_cast<unsigned int>(model->dimensions());
  if (modelDimensions > info.dimensions || info.dimensions > 3)
    throw std::invalid_argument("model file '" + module.text("model") + "' is for " + std::to_string(modelDimensions) +
                                "D images but '" + input + "' is " + std::to_string(info.dimensions) + "D");
  // A model trained on inputs on a coarser grid takes them so here too: the filter interpolates
  // them onto the finer grid (forward only: the inverse maps the fine Y grid to the fine X grid).
  revgan::ProgressPrinter progress("revgan-translate", "translating " + input);
  if (info.dimensions == 2)
  {
    Translation<2> translation(module, model, progress);
    const auto     image = revgan::readVectorImage<2>(input, info);
    warnAboutLayout(module, *model, info, revgan::ImageGeometry::of<2>(image.GetPointer()).direction);
    progress.update(readShare);
    revgan::writeVectorImage<2>(translation.run(image, readShare, 1.0 - readShare).GetPointer(), outputFile, info);
    return 0;
  }
  const auto volume = revgan::readVectorImage<3>(input, info);
  warnAboutLayout(module,
                  *model,
                  info,
                  modelDimensions == 3 ? revgan::ImageGeometry::of<3>(volume.GetPointer()).direction
                                       : std::vector<double>{});
  progress.update(readShare);
  if (modelDimensions == 2)
  {
    Translation<2>              translation(module, model, progress);
    const revgan::DomainFrame & frame = model->inputFrame(revgan::parseDirection(module.text("direction")));
    revgan::writeVectorImage<3>(
      translateSlices(volume.GetPointer(), sliceAxis(module, info), frame, translation).GetPointer(), outputFile, info);
    return 0;
  }
  Translation<3> translation(module, model, progress);
  revgan::writeVectorImage<3>(translation.run(volume, readShare, 1.0 - readShare).GetPointer(), outputFile, info);
  return 0;
}

} // namespace

int
main(int argc, char ** argv)
{
  return revgan::runApplication("revgan-translate",
                                [&]
                                {
                                  revgan::CommandLineModule module = revgan::describeTranslate();
                                  if (!module.parse(argc, argv))
                                    return 0;
                                  revgan::configureThreads(static_cast<int>(module.integer("threads")));
                                  return translate(module);
                                });
}
