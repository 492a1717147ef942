// SPDX-License-Identifier: Apache-2.0
// The parameters of revgan-translate: its command line, --help and its 3D Slicer description.
#include "ModuleDescriptions.h"
#include "itkRevGANBlending.h"

namespace revgan
{

CommandLineModule
describeTranslate()
{
  CommandLineModule module("revgan-translate",
                           "RevGAN Translate",
                           "Filtering.Deep Learning",
                           "Applies a trained RevGAN-toolkit model to an image or volume, patch by patch, "
                           "forward (X to Y) or inverse (Y to X) with the same weights. The output keeps the "
                           "input's geometry.");
  module
    .add(Parameter("image", "input", "Input", "image or volume to translate")
           .atIndex(0)
           .withFlag('i')
           .in("input")
           .ofImageType("any"))
    .add(Parameter("image", "output", "Output", "translated image (written under a temporary name, then renamed)")
           .atIndex(1)
           .withFlag('o')
           .in("output")
           .ofImageType("any"))
    .add(Parameter("file", "model", "Model", "model file written by revgan-train").withFlag('m').in("input"))
    .add(Parameter("string-enumeration", "direction", "Direction", "forward: X to Y; inverse: Y to X")
           .withFlag('d')
           .byDefault("forward")
           .among({ "forward", "inverse" }))
    .add(
      Parameter("integer-vector", "patch-size", "Patch size", "patch size per axis (x,y[,z]); one value for all axes")
        .byDefault("64")
        .within(1.0))
    .add(Parameter("integer-vector", "overlap", "Overlap", "overlap of neighbouring patches per axis, in pixels")
           .byDefault("8")
           .within(0.0))
    .add(Parameter("string-enumeration", "blending", "Blending", "weights of overlapping patches")
           .byDefault(itk::RevGANBlendingNameList().front())
           .among(itk::RevGANBlendingNameList()))
    .add(Parameter("integer", "batch", "Patches per call", "patches sent to the network at once")
           .byDefault("4")
           .within(1.0, 4096.0))
    .add(Parameter("integer",
                   "slice-axis",
                   "Slice axis",
                   "for a 2D model on a 3D volume, the axis across its slices (0: x, 1: y, 2: z; -1: the axis "
                   "of one voxel, as in the one-slice volumes 3D Slicer passes, otherwise z)")
           .byDefault("-1")
           .within(-1.0, 2.0))
    .add(Parameter("string", "device", "Device", "cpu, cuda or cuda:N").byDefault("cpu"))
    .add(Parameter("integer", "threads", "Threads", "CPU threads (0: all)").byDefault("0").within(0.0, 4096.0));
  return module;
}

} // namespace revgan
