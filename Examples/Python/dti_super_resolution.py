#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Super-resolution of a DTI volume with a trained model, from Python: read the low-resolution
tensors, translate them with the model, compare them with a reference inside a brain mask, and
write the result.

Usage: dti_super_resolution.py MODEL LOW_RESOLUTION REFERENCE MASK OUTPUT

Prints one JSON object: the figures of revgan.error_metrics and revgan.tensor_metrics, which are
those of `revgan-evaluate --json` on the written output.
"""

import json
import sys

import revgan


def main(model, low_resolution, reference, mask, output):
    low = revgan.imread(low_resolution)  # tensors, (z, y, x, 6), in the image axes
    if not low.tensor:
        raise SystemExit(f"dti_super_resolution: '{low_resolution}' holds no DTI tensors")
    predictor = revgan.load_predictor(model)
    done = []
    high = revgan.translate(low, predictor, patch_size=16, overlap=4, progress=done.append)
    reference_image, mask_image = revgan.imread(reference), revgan.imread(mask)
    figures = revgan.error_metrics(high, reference_image, mask=mask_image)
    figures.update(revgan.tensor_metrics(high, reference_image, mask=mask_image))
    revgan.imwrite(high, output)
    print(json.dumps(figures, separators=(",", ":")))


if __name__ == "__main__":
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    try:
        main(*sys.argv[1:])
    except revgan.Error as error:
        raise SystemExit(f"dti_super_resolution: error: {error}")
