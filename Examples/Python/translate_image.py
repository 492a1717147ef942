#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Applies a model written by revgan-train to an image, as Examples/TranslateImage does in C++:
read, translate (patches of 64 overlapping by 16), write.

Usage: translate_image.py MODEL INPUT OUTPUT [forward|inverse]
"""

import sys

import revgan


def main(model, source, output, direction="forward"):
    image = revgan.imread(source)
    translated = revgan.translate(image, model, direction=direction, patch_size=64, overlap=16)
    revgan.imwrite(translated, output)
    print(f"{source} → {output}: {translated}")


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        raise SystemExit(__doc__)
    try:
        main(*sys.argv[1:])
    except revgan.Error as error:
        raise SystemExit(f"translate_image: error: {error}")
