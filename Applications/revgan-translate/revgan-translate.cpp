// revgan-translate: applies a model file to one image or volume, forward (X→Y) or inverse (Y→X).
#include "CommandLineModule.h"
#include "ImageFiles.h"

#include "itkCommand.h"
#include "itkRevGANImageFilter.h"
#include "revgan/ModelRunner.h"
#include "revgan/ThreadConfiguration.h"

#include <iostream>

namespace
{

revgan::CommandLineModule
describe()
{
  revgan::CommandLineModule module("revgan-translate",
                                   "RevGAN Translate",
                                   "Filtering.Deep Learning",
                                   "Applies a trained RevGAN-toolkit model to an image or volume, patch by patch, "
                                   "forward (X to Y) or inverse (Y to X) with the same weights. The output keeps the "
                                   "input's geometry.");
  module
    .add(revgan::Parameter("image", "input", "Input", "image or volume to translate")
           .atIndex(0)
           .withFlag('i')
           .in("input")
           .ofImageType("vector"))
    .add(
      revgan::Parameter("image", "output", "Output", "translated image (written under a temporary name, then renamed)")
        .atIndex(1)
        .withFlag('o')
        .in("output")
        .ofImageType("vector"))
    .add(revgan::Parameter("file", "model", "Model", "model file written by revgan-train").withFlag('m').in("input"))
    .add(revgan::Parameter("string-enumeration", "direction", "Direction", "forward: X to Y; inverse: Y to X")
           .withFlag('d')
           .byDefault("forward")
           .among({ "forward", "inverse" }))
    .add(revgan::Parameter(
           "integer-vector", "patch-size", "Patch size", "patch size per axis (x,y[,z]); one value for all axes")
           .byDefault("64")
           .within(1.0))
    .add(
      revgan::Parameter("integer-vector", "overlap", "Overlap", "overlap of neighbouring patches per axis, in pixels")
        .byDefault("8")
        .within(0.0))
    .add(revgan::Parameter("string-enumeration", "blending", "Blending", "weights of overlapping patches")
           .byDefault("gaussian")
           .among({ "gaussian", "constant" }))
    .add(revgan::Parameter("integer", "batch", "Patches per call", "patches sent to the network at once")
           .byDefault("4")
           .within(1.0, 4096.0))
    .add(revgan::Parameter("string", "device", "Device", "cpu, cuda or cuda:N").byDefault("cpu"))
    .add(revgan::Parameter("integer", "threads", "Threads", "CPU threads (0: all)").byDefault("0").within(0.0, 4096.0));
  return module;
}

template<unsigned int D>
int
translate(const revgan::CommandLineModule &    module,
          const revgan::ImageFileInfo &        info,
          std::shared_ptr<revgan::ModelRunner> model)
{
  using VectorType = itk::VectorImage<float, D>;
  const auto input = revgan::readVectorImage<D>(module.text("input"), info);
  auto       filter = itk::RevGANImageFilter<VectorType>::New();
  filter->SetInput(input);
  filter->SetModel(model);
  filter->SetDirection(revgan::parseDirection(module.text("direction")));
  const auto                                            sizes = module.integersPerAxis("patch-size", D);
  const auto                                            overlaps = module.integersPerAxis("overlap", D);
  typename itk::RevGANImageFilter<VectorType>::SizeType patch, overlap;
  for (unsigned int d = 0; d < D; ++d)
  {
    patch[d] = static_cast<itk::SizeValueType>(sizes[d]);
    overlap[d] = static_cast<itk::SizeValueType>(overlaps[d]);
  }
  filter->SetPatchSize(patch);
  filter->SetOverlap(overlap);
  filter->SetBlending(module.text("blending") == "gaussian" ? itk::RevGANBlending::Gaussian
                                                            : itk::RevGANBlending::Constant);
  filter->SetPatchesPerBatch(static_cast<unsigned int>(module.integer("batch")));

  revgan::ProgressPrinter progress("revgan-translate", "translating " + module.text("input"));
  auto                    observer = itk::CStyleCommand::New();
  observer->SetClientData(&progress);
  observer->SetCallback(
    [](itk::Object * caller, const itk::EventObject &, void * data) {
      static_cast<revgan::ProgressPrinter *>(data)->update(static_cast<itk::ProcessObject *>(caller)->GetProgress());
    });
  filter->AddObserver(itk::ProgressEvent(), observer);
  filter->Update();
  revgan::writeVectorImage<D>(filter->GetOutput(), module.text("output"), info.tensor);
  return 0;
}

} // namespace

int
main(int argc, char ** argv)
{
  return revgan::runApplication(
    "revgan-translate",
    [&]
    {
      revgan::CommandLineModule module = describe();
      if (!module.parse(argc, argv))
        return 0;
      revgan::configureThreads(static_cast<int>(module.integer("threads")));
      const revgan::ImageFileInfo info = revgan::inspectImageFile(module.text("input"));
      const auto                  model = revgan::ModelRunner::fromFile(module.text("model"), module.text("device"));
      if (model->dimensions() != static_cast<int64_t>(info.dimensions))
        throw std::invalid_argument("model file '" + module.text("model") + "' is for " +
                                    std::to_string(model->dimensions()) + "D images but '" + module.text("input") +
                                    "' is " + std::to_string(info.dimensions) + "D");
      return info.dimensions == 2 ? translate<2>(module, info, model) : translate<3>(module, info, model);
    });
}
