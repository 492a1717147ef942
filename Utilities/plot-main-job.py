#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The main job's figure: FA within the brain of one held-out slice for the input, the interpolation,
the ground truth and each model, cropped to the brain, on one colour scale (top row), and under
each of them but the ground truth its error, all errors on one colour scale (bottom row).

Usage: plot-main-job.py WORK_DIR OUTPUT.png LABEL=VOLUME [LABEL=VOLUME ...]
  WORK_DIR holds hr_test.nii.gz (ground truth) and mask_test.nii.gz (brain mask) as
  Utilities/run-main-job.sh writes them; each VOLUME (a file name in WORK_DIR) is a DTI NIfTI
  (intent SYMMATRIX) shown under LABEL; the one whose file is hr_test.nii.gz is the ground truth.
  An error map is the Frobenius norm of a volume's tensors minus the ground truth's, in
  10^-4 mm^2/s; the scale's top is the 99th percentile of all errors within the brain.

Needs Debian's python3-matplotlib and python3-nibabel (NIfTI reading).
"""
import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nibabel  # noqa: E402
import numpy as np  # noqa: E402

# NIfTI stores a symmetric matrix as its lower triangle row by row: xx, yx, yy, zx, zy, zz.
ROWS = [0, 1, 1, 2, 2, 2]
COLUMNS = [0, 0, 1, 0, 1, 2]


def tensor_slice(path, z):
    """The 3x3 tensors of slice z of a DTI NIfTI, shape (x, y, 3, 3)."""
    try:
        image = nibabel.load(path)
    except Exception as error:  # nibabel raises several kinds for missing and malformed files
        sys.exit(f"plot-main-job: error: '{path}' cannot be read: {error}")
    if image.header.get_intent()[0] != "symmetric matrix" or image.shape[-1] != 6:
        sys.exit(f"plot-main-job: error: '{path}' is not a DTI NIfTI (intent SYMMATRIX, 6 components)")
    components = np.asarray(image.dataobj[:, :, z, 0, :], dtype=np.float64)
    tensors = np.zeros(components.shape[:2] + (3, 3))
    for c, (r, k) in enumerate(zip(ROWS, COLUMNS)):
        tensors[..., r, k] = components[..., c]
        tensors[..., k, r] = components[..., c]
    return tensors


def fractional_anisotropy(tensors):
    """FA from the eigenvalues (0 where the tensor is zero)."""
    values = np.linalg.eigvalsh(tensors)
    mean = values.mean(axis=-1, keepdims=True)
    norm = np.sqrt((values**2).sum(axis=-1))
    deviation = np.sqrt(((values - mean) ** 2).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        fa = np.where(norm > 0, np.sqrt(1.5) * deviation / norm, 0.0)
    return np.clip(fa, 0.0, 1.0)


def main():
    if len(sys.argv) < 4 or any("=" not in item for item in sys.argv[3:]):
        sys.exit(__doc__)
    work, output = Path(sys.argv[1]), Path(sys.argv[2])
    panels = [item.split("=", 1) for item in sys.argv[3:]]
    try:
        mask_image = nibabel.load(work / "mask_test.nii.gz")
    except Exception as error:
        sys.exit(f"plot-main-job: error: '{work / 'mask_test.nii.gz'}' cannot be read: {error}")
    z = mask_image.shape[2] // 2
    mask = np.asarray(mask_image.dataobj[:, :, z]) > 0
    if not mask.any():
        sys.exit(f"plot-main-job: error: slice {z} of '{work / 'mask_test.nii.gz'}' holds no brain")
    # The brain's bounding box in this slice, with a margin of 4 voxels.
    xs, ys = np.nonzero(mask)
    x0, x1 = max(xs.min() - 4, 0), min(xs.max() + 5, mask.shape[0])
    y0, y1 = max(ys.min() - 4, 0), min(ys.max() + 5, mask.shape[1])
    spacing = mask_image.header.get_zooms()[:2]

    truth = tensor_slice(work / "hr_test.nii.gz", z)
    tensors = [tensor_slice(work / volume, z) for _, volume in panels]
    # FA within the brain: outside it the networks' small leftover tensors have arbitrary FA.
    fas = [fractional_anisotropy(t) * mask for t in tensors]
    errors = [
        None if volume == "hr_test.nii.gz" else np.sqrt(((t - truth) ** 2).sum(axis=(-2, -1))) * 1e4 * mask
        for (_, volume), t in zip(panels, tensors)
    ]
    shown_errors = [e for e in errors if e is not None]
    if not shown_errors:
        sys.exit("plot-main-job: error: no volume other than the ground truth to show errors of")
    top = float(np.percentile(np.concatenate([e[mask] for e in shown_errors]), 99)) or 1.0

    def crop(values):
        # The volume's x across, y up.
        return values[x0:x1, y0:y1].T

    extent = [0, (x1 - x0) * spacing[0], 0, (y1 - y0) * spacing[1]]
    columns = len(panels)
    figure, axes = plt.subplots(2, columns, figsize=(2.5 * columns + 1.2, 6.2), constrained_layout=True)
    for column, ((label, _), fa, error) in enumerate(zip(panels, fas, errors)):
        shown = axes[0, column].imshow(crop(fa), cmap="gray", vmin=0.0, vmax=1.0, origin="lower", extent=extent)
        axes[0, column].set_title(label, fontsize=10)
        if error is None:
            axes[1, column].axis("off")
            continue
        error_shown = axes[1, column].imshow(crop(error), cmap="magma", vmin=0.0, vmax=top, origin="lower",
                                             extent=extent)
        rms = float(np.sqrt((error[mask] ** 2).mean()))
        axes[1, column].set_title(f"error, RMS {rms:.3f}", fontsize=9)
    figure.colorbar(shown, ax=axes[0, :], shrink=0.8, label="FA")
    figure.colorbar(error_shown, ax=axes[1, :], shrink=0.8, label="|D - D_true| (1e-4 mm²/s)")
    for axis in axes.flat:
        axis.set_xticks([])
        axis.set_yticks([])
    # A 20 mm scale bar in the first panel.
    axes[0, 0].plot([5, 25], [5, 5], color="yellow", linewidth=2)
    axes[0, 0].text(15, 9, "20 mm", color="yellow", ha="center", fontsize=8)
    figure.suptitle(f"FA within the brain (top) and the error of each volume (bottom), held-out slice z = {z}",
                    fontsize=10)
    # Written under a temporary name and renamed: never a half-written figure.
    partial = output.with_name(output.name + ".partial.png")
    figure.savefig(partial, dpi=110)
    os.replace(partial, output)
    print(f"figure: {output}")


if __name__ == "__main__":
    main()
