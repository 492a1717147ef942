// SPDX-License-Identifier: Apache-2.0
// The parameters of revgan-figure: its command line, --help and its 3D Slicer description.
#include "ModuleDescriptions.h"

namespace revgan
{

CommandLineModule
describeFigure()
{
  CommandLineModule module("revgan-figure",
                           "RevGAN Figure",
                           "Quantification.Deep Learning",
                           "Writes a PNG with one axial slice of each volume side by side (fractional "
                           "anisotropy for DTI, intensity otherwise), then the error map |last - reference|.");
  module.add(Parameter("string", "volumes", "Volumes", "comma-separated volumes, shown left to right"))
    .add(Parameter("image", "reference", "Reference", "ground truth for the error map")
           .withFlag('r')
           .in("input")
           .ofImageType("any"))
    .add(Parameter("integer", "slice", "Slice", "axial slice index (-1: the middle)").byDefault("-1").within(-1.0))
    .add(Parameter("file", "output", "Output", "PNG file to write").withFlag('o').in("output"));
  return module;
}

} // namespace revgan
