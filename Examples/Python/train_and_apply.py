#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Super-resolution from Python, training included: train a small SRCNN+2R on a scan's 2x block
averages (on their own coarse grid) against the scan, apply it to the coarse scan, and compare it
with cubic B-spline interpolation of the same data inside a mask.

Usage: train_and_apply.py COARSE FINE MASK MODEL OUTPUT

COARSE is FINE's low-resolution version on its own grid (revgan-prepare --task shrink, or
revgan.shrink). Writes the model file MODEL (what `revgan-train` with the same options writes) and
the super-resolved OUTPUT; prints one JSON object with the interior and total RMSE of the network
and of cubic B-spline against FINE.
"""

import json
import sys

import revgan

# Small and quick (a minute on 2 cores); real runs train longer (see Documentation/Results.md).
OPTIONS = dict(generator="srcnn", residual=True, width=8, depth=2, patch_size=16, batch_size=4,
               samples_per_epoch=64, epochs=1, gan_weight=0, validation_fraction=0.1, flips=True, seed=1)


def main(coarse_path, fine_path, mask_path, model_path, output_path):
    revgan.train(coarse_path, fine_path, model_path, x_masks=mask_path, **OPTIONS)
    coarse, fine, mask = revgan.imread(coarse_path), revgan.imread(fine_path), revgan.imread(mask_path)
    network = revgan.translate(coarse, model_path, patch_size=32, overlap=8)
    bspline = revgan.resample(coarse, fine, interpolation="bspline")
    revgan.imwrite(network, output_path)
    figures = {}
    for name, image in (("network", network), ("bspline", bspline)):
        metrics = revgan.error_metrics(image, fine, mask=mask)
        figures[name] = {key: metrics[key] for key in ("rmse_interior", "rmse_total")}
    print(json.dumps(figures, separators=(",", ":")))


if __name__ == "__main__":
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    try:
        main(*sys.argv[1:])
    except revgan.Error as error:
        raise SystemExit(f"train_and_apply: error: {error}")
