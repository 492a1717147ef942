// SPDX-License-Identifier: Apache-2.0
// The parameters of revgan-evaluate: its command line, --help and its 3D Slicer description.
#include "ModuleDescriptions.h"

namespace revgan
{

CommandLineModule
describeEvaluate()
{
  CommandLineModule module("revgan-evaluate",
                           "RevGAN Evaluate",
                           "Quantification.Deep Learning",
                           "Error of a prediction against a reference: RMSE over the brain mask (total) and "
                           "over its interior (voxels whose 5x5x5 neighbourhood lies in the mask), MAE; PSNR "
                           "and SSIM for 2D images; accuracy and IoU for label maps; for diffusion tensors, errors "
                           "of FA, MD, AD and RD, angular error of the principal direction, log-Euclidean distance "
                           "and the fraction of predicted tensors that are not positive definite.");
  module
    .add(Parameter("image", "prediction", "Prediction", "translated image")
           .atIndex(0)
           .withFlag('p')
           .in("input")
           .ofImageType("any"))
    .add(Parameter("image", "reference", "Reference", "ground truth of the same size")
           .atIndex(1)
           .withFlag('r')
           .in("input")
           .ofImageType("any"))
    .add(Parameter("image", "mask", "Mask", "brain mask (nonzero inside); the whole image when absent")
           .withFlag('m')
           .isOptional()
           .in("input")
           .ofImageType("scalar"))
    .add(Parameter("boolean",
                   "ignore-geometry",
                   "Ignore geometry",
                   "compare voxel by voxel even if origin, spacing or direction differ"))
    .add(Parameter("integer", "interior-radius", "Interior radius", "box radius of the interior mask (2: 5x5x5)")
           .byDefault("2")
           .within(0.0, 50.0))
    .add(Parameter("double", "range", "Data range", "intensity range for PSNR and SSIM (2D)")
           .byDefault("255")
           .within(1e-12))
    .add(Parameter("double",
                   "fa-threshold",
                   "FA threshold",
                   "tensors: reference FA above which a voxel's principal direction counts for the angular error")
           .byDefault("0.2")
           .within(0.0, 1.0))
    .add(Parameter("integer", "labels", "Classes", "number of classes when the images are label maps (0: not labels)")
           .byDefault("0")
           .within(0.0, 65536.0))
    .add(Parameter("boolean", "json", "JSON", "print one JSON object instead of a table"));
  return module;
}

} // namespace revgan
