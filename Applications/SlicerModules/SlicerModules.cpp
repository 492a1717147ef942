// SPDX-License-Identifier: Apache-2.0
#include "SlicerModules.h"

#include "ModuleDescriptions.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <unistd.h>

namespace revgan
{

namespace
{

struct DataKind
{
  /// Suffix of the executable and the title ("scalar", "Scalar volume").
  std::string suffix;
  std::string title;
  /// SlicerExecutionModel image type.
  std::string imageType;
};

const std::vector<DataKind> &
volumeKinds()
{
  static const std::vector<DataKind> kinds{ { "scalar", "scalar volume", "scalar" },
                                            { "vector", "vector volume", "vector" },
                                            { "dti", "DTI volume", "tensor" } };
  return kinds;
}

std::vector<std::string>
allParameters(const CommandLineModule & module)
{
  std::vector<std::string> names;
  for (const auto & parameter : module.parameters())
    names.push_back(parameter.name);
  return names;
}

} // namespace

std::vector<SlicerModule>
slicerModules()
{
  std::vector<SlicerModule> modules;
  const CommandLineModule   translate = describeTranslate();
  const CommandLineModule   evaluate = describeEvaluate();
  const CommandLineModule   prepare = describePrepare();
  for (const auto & kind : volumeKinds())
  {
    modules.push_back({ "revgan-translate-" + kind.suffix,
                        "revgan-translate",
                        {},
                        translate.variant("revgan-translate-" + kind.suffix,
                                          "RevGAN Translate (" + kind.title + ")",
                                          "Applies a trained RevGAN-toolkit model to a " + kind.title +
                                            ", patch by patch, forward (X to Y) or inverse (Y to X) with the same "
                                            "weights. A 2D model is applied slice by slice. The output keeps the "
                                            "input's geometry" +
                                            (kind.imageType == "tensor" ? " and measurement frame." : "."),
                                          allParameters(translate),
                                          { { "input", kind.imageType }, { "output", kind.imageType } }) });
    std::vector<std::string> evaluated{ "prediction",      "reference", "mask", "ignore-geometry",
                                        "interior-radius", "range",     "json" };
    if (kind.imageType == "scalar")
      evaluated.push_back("labels");
    if (kind.imageType == "tensor")
      evaluated.push_back("fa-threshold");
    modules.push_back(
      { "revgan-evaluate-" + kind.suffix,
        "revgan-evaluate",
        {},
        evaluate.variant("revgan-evaluate-" + kind.suffix,
                         "RevGAN Evaluate (" + kind.title + ")",
                         "Error of a predicted " + kind.title +
                           " against a reference: RMSE over the mask (total) and over its interior "
                           "(voxels whose 5x5x5 neighbourhood lies in the mask), MAE" +
                           (kind.imageType == "scalar" ? "; PSNR and SSIM of 2D images; accuracy and IoU of label maps."
                            : kind.imageType == "tensor"
                              ? "; errors of FA, MD, AD and RD, angular error of the principal direction, "
                                "log-Euclidean distance and the fraction of predicted tensors that are "
                                "not positive definite."
                              : "."),
                         evaluated,
                         { { "prediction", kind.imageType }, { "reference", kind.imageType }, { "mask", "label" } }) });
  }
  modules.push_back(
    { "revgan-prepare-dti",
      "revgan-prepare",
      { "--task", "dti" },
      prepare.variant("revgan-prepare-dti",
                      "RevGAN Prepare: DWI to DTI",
                      "Fits diffusion tensors to a diffusion-weighted volume (gradients and b-value from its NRRD "
                      "header, or from b-value and gradient files for NIfTI).",
                      { "input", "bval", "bvec", "output", "threads" },
                      { { "input", "diffusion-weighted" }, { "output", "tensor" } }) });
  modules.push_back(
    { "revgan-prepare-phantom",
      "revgan-prepare",
      { "--task", "phantom" },
      prepare.variant("revgan-prepare-phantom",
                      "RevGAN Prepare: DTI phantom",
                      "A DTI phantom in the geometry of a T1 volume and its brain mask, for training and tests.",
                      { "t1", "mask", "size", "output", "threads" },
                      { { "output", "tensor" } }) });
  for (const auto & kind : volumeKinds())
  {
    if (kind.imageType == "vector")
      continue;
    modules.push_back(
      { "revgan-prepare-degrade-" + kind.suffix,
        "revgan-prepare",
        { "--task", "degrade" },
        prepare.variant("revgan-prepare-degrade-" + kind.suffix,
                        "RevGAN Prepare: degrade a " + kind.title,
                        "The paper's low-resolution input: block average by the factor, then nearest-neighbour "
                        "upsampling to the original grid.",
                        { "input", "factor", "output", "threads" },
                        { { "input", kind.imageType }, { "output", kind.imageType } }) });
  }
  const CommandLineModule train = describeTrain();
  modules.push_back({ "revgan-train", "revgan-train", {}, train });
  const CommandLineModule figure = describeFigure();
  modules.push_back({ "revgan-figure", "revgan-figure", {}, figure });
  return modules;
}

SlicerModule
findSlicerModule(const std::string & executable)
{
  for (auto & module : slicerModules())
  {
    if (module.executable == executable)
      return module;
  }
  throw std::invalid_argument("no Slicer module named '" + executable + "'");
}

namespace
{

/// The program beside the module: in the build tree one folder up, when installed in bin/.
std::filesystem::path
findProgram(const std::string & program)
{
  std::error_code             error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error)
    throw std::runtime_error("cannot find this module's own path (/proc/self/exe): " + error.message());
  for (const char * relative : { REVGAN_SLICER_PROGRAM_FOLDERS })
  {
    const std::filesystem::path candidate = self.parent_path() / relative / program;
    if (access(candidate.c_str(), X_OK) == 0)
      return candidate.lexically_normal();
  }
  throw std::runtime_error("the program '" + program + "' is not installed beside this module (looked in " +
                           self.parent_path().string() + "/{" REVGAN_SLICER_PROGRAM_FOLDERS_TEXT "})");
}

} // namespace

int
runSlicerModule(const std::string & executable, int argc, char ** argv)
{
  try
  {
    SlicerModule module = findSlicerModule(executable);
    if (!module.description.parse(argc, argv))
      return 0;
    const std::filesystem::path program = findProgram(module.program);
    std::vector<std::string>    arguments{ program.string() };
    arguments.insert(arguments.end(), module.fixedArguments.begin(), module.fixedArguments.end());
    arguments.insert(arguments.end(), argv + 1, argv + argc);
    std::vector<char *> pointers;
    for (auto & argument : arguments)
      pointers.push_back(argument.data());
    pointers.push_back(nullptr);
    std::cout.flush();
    execv(program.c_str(), pointers.data());
    throw std::runtime_error("cannot run '" + program.string() + "': " + std::strerror(errno));
  }
  catch (const std::exception & error)
  {
    std::cerr << executable << ": error: " << error.what() << std::endl;
    return 1;
  }
}

} // namespace revgan
