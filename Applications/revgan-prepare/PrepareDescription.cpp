// SPDX-License-Identifier: Apache-2.0
// The parameters of revgan-prepare: its command line, --help and its 3D Slicer description.
#include "ModuleDescriptions.h"

namespace revgan
{

CommandLineModule
describePrepare()
{
  CommandLineModule module(
    "revgan-prepare",
    "RevGAN Prepare",
    "Diffusion.Deep Learning",
    "Prepares data for RevGAN training and tests. Tasks: dti (diffusion-weighted scan + bval/bvec to tensors), "
    "degrade (the paper's low-resolution input: 2x block average, then nearest-neighbour upsampling to the original "
    "grid), shrink (the 2x block averages alone, on the coarse grid), phantom (DTI phantom in the geometry of a T1 "
    "volume and brain mask), crop (a sub-volume keeping its "
    "position), resample (an image or mask onto the grid of --reference, by nearest-neighbour, linear or "
    "cubic B-spline interpolation), split-pair (a Pix2pix A|B image, or a folder of them, into A and B), slices (each "
    "slice of a volume along its third axis as a 2D image, into the folder --output).");
  module
    .add(Parameter("string-enumeration", "task", "Task", "what to prepare")
           .withFlag('t')
           .among({ "dti", "degrade", "shrink", "phantom", "crop", "resample", "split-pair", "slices" }))
    .add(Parameter(
           "image", "input", "Input", "input of dti (4D scan), degrade, shrink, crop, resample, split-pair and slices")
           .withFlag('i')
           .in("input")
           .ofImageType("any")
           .isOptional())
    .add(Parameter("file", "bval", "b-values", "b-values of the scan (dti)").in("input").isOptional())
    .add(Parameter("file",
                   "bvec",
                   "Gradient directions",
                   "gradient directions of the scan, in FSL's convention as dcm2niix writes them (dti)")
           .in("input")
           .isOptional())
    .add(Parameter("image", "t1", "T1 volume", "T1-weighted volume (phantom)")
           .in("input")
           .ofImageType("scalar")
           .isOptional())
    .add(Parameter("image", "mask", "Brain mask", "brain mask of the T1 volume (phantom)")
           .in("input")
           .ofImageType("label")
           .isOptional())
    .add(Parameter("integer-vector", "size", "Phantom size", "voxels per axis of the phantom (x,y,z)")
           .isOptional()
           .within(1.0))
    .add(Parameter("integer", "factor", "Factor", "downsampling factor (degrade, shrink)")
           .byDefault("2")
           .within(1.0, 16.0))
    .add(Parameter("integer-vector", "start", "Start", "first voxel of the sub-volume (crop)").isOptional().within(0.0))
    .add(Parameter("integer-vector", "extent", "Extent", "voxels per axis of the sub-volume (crop)")
           .isOptional()
           .within(1.0))
    .add(Parameter("image", "reference", "Reference grid", "image whose grid resample uses")
           .in("input")
           .ofImageType("any")
           .isOptional())
    .add(Parameter("string-enumeration", "interpolation", "Interpolation", "resample's interpolation")
           .byDefault("nearest")
           .among({ "nearest", "linear", "bspline" }))
    .add(Parameter("image", "output", "Output", "result (tensor volume for dti and phantom; a folder for slices)")
           .withFlag('o')
           .in("output")
           .ofImageType("any"))
    .add(Parameter("image", "output-b", "Output B", "right half of an A|B image (split-pair)")
           .in("output")
           .ofImageType("any")
           .isOptional())
    .add(Parameter("integer", "threads", "Threads", "CPU threads (0: all)").byDefault("0").within(0.0, 4096.0));
  return module;
}

} // namespace revgan
