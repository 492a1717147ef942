#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""How much better than cubic B-spline can a *linear* correction be? Fits, by least squares on the
training slices of a depth study (run-depth-study.sh's folder), the 3x3x3 filter (and constant)
that best predicts the high-resolution volume's difference from the B-spline interpolation of the
block averages, inside the brain mask, and applies it to the held-out slices. A network learning a
residual on top of B-spline (--residual, --input-interpolation bspline) can represent this filter
(SRCNN with k = 0 and a linear ReLU region does), so the figure tells how much of B-spline's error
any local linear method recovers on that data: the rest is nonlinear structure or noise.
Writes WORK_DIR/linear-bound_test.nii.gz (geometry of bspline_test.nii.gz), to be measured with
revgan-evaluate as the study measures its models.
Usage: /usr/bin/python3 Utilities/linear-bound.py WORK_DIR   (needs python3-nibabel)"""
import os
import sys

import nibabel
import numpy


def load(folder, name):
    return numpy.asanyarray(nibabel.load(os.path.join(folder, name)).dataobj).astype(numpy.float64)


def neighbourhoods(volume, radius=1):
    """Each voxel's (2r+1)^3 neighbours (edge-replicated) and a constant, as columns."""
    padded = numpy.pad(volume, radius, mode="edge")
    columns = []
    for dx in range(2 * radius + 1):
        for dy in range(2 * radius + 1):
            for dz in range(2 * radius + 1):
                columns.append(padded[dx:dx + volume.shape[0], dy:dy + volume.shape[1], dz:dz + volume.shape[2]])
    columns.append(numpy.ones_like(volume))
    return numpy.stack(columns, axis=-1)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    for name in ("bspline_train.nii.gz", "bspline_test.nii.gz", "hr_train.nii.gz", "mask_train.nii.gz"):
        if not os.path.exists(os.path.join(folder, name)):
            sys.exit(f"linear-bound: '{os.path.join(folder, name)}' is missing: run Utilities/run-depth-study.sh first")
    train_input, train_target = load(folder, "bspline_train.nii.gz"), load(folder, "hr_train.nii.gz")
    train_mask = load(folder, "mask_train.nii.gz") > 0
    features = neighbourhoods(train_input)[train_mask]
    weights, *_ = numpy.linalg.lstsq(features, (train_target - train_input)[train_mask], rcond=None)
    test_image = nibabel.load(os.path.join(folder, "bspline_test.nii.gz"))
    test_input = numpy.asanyarray(test_image.dataobj).astype(numpy.float64)
    prediction = test_input + neighbourhoods(test_input) @ weights
    output = os.path.join(folder, "linear-bound_test.nii.gz")
    partial = output + ".partial.nii.gz"
    nibabel.save(nibabel.Nifti1Image(prediction.astype(numpy.float32), test_image.affine, test_image.header), partial)
    os.replace(partial, output)
    print(f"linear-bound: fitted on {features.shape[0]} voxels, wrote {output}")


main()
