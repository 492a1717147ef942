# SPDX-License-Identifier: Apache-2.0
"""The preparation steps of revgan-prepare on revgan.Images: lower resolutions, resampling,
cropping, the DTI phantom and tensors fitted to a diffusion-weighted scan."""

import os

import numpy as np

from . import _revgan
from ._images import Image
from ._revgan import InvalidArgumentError


def _image(value, name):
    if not isinstance(value, Image):
        raise InvalidArgumentError(f"{name} must be a revgan.Image, not {type(value).__name__}")
    return value


def _result(parts, like):
    array, geometry = parts
    return Image._from_module(array, geometry, tensor=like.tensor, file_info=like.file_info,
                              keep_components=like.is_vector)


def shrink(image, factor=2):
    """The paper's low-resolution acquisition on its own coarse grid: each factor^D block averaged
    (ITK's BinShrinkImageFilter), as ``revgan-prepare --task shrink``."""
    image = _image(image, "image")
    return _result(_revgan._lower_resolution(image._pixels(), image._geometry(), int(factor), False), image)


def degrade(image, factor=2):
    """The paper's input on the original grid: the block averages brought back by nearest
    neighbour, as ``revgan-prepare --task degrade``."""
    image = _image(image, "image")
    return _result(_revgan._lower_resolution(image._pixels(), image._geometry(), int(factor), True), image)


def resample(image, reference, interpolation="linear"):
    """`image` on `reference`'s grid (size, spacing, origin, direction) by "nearest", "linear" or
    "bspline" (cubic B-spline, one component at a time), as ``revgan-prepare --task resample``."""
    image, reference = _image(image, "image"), _image(reference, "reference")
    if interpolation not in ("nearest", "linear", "bspline"):
        raise InvalidArgumentError(f"interpolation must be nearest, linear or bspline, not '{interpolation}'")
    return _result(_revgan._resample(image._pixels(), image._geometry(), list(reference.size), reference._geometry(),
                                     interpolation), image)


def crop(image, start, extent):
    """The part of `image` from voxel `start` with `extent` voxels per axis (both in ITK's (x, y[, z])
    order), keeping its place in space: a view of the pixels, the origin moved to the first voxel."""
    image = _image(image, "image")
    start, extent = [int(s) for s in start], [int(e) for e in extent]
    if len(start) != image.dimension or len(extent) != image.dimension:
        raise InvalidArgumentError(f"start and extent need {image.dimension} values (x, y[, z])")
    if any(s < 0 or e < 1 or s + e > n for s, e, n in zip(start, extent, image.size)):
        raise InvalidArgumentError(f"start {tuple(start)} and extent {tuple(extent)} reach outside the image of size "
                                   f"{image.size}")
    window = tuple(slice(s, s + e) for s, e in zip(reversed(start), reversed(extent)))
    origin = np.asarray(image.origin) + image.direction @ (np.asarray(image.spacing) * np.asarray(start))
    return Image(image.array[window], image.spacing, origin, image.direction, is_vector=image.is_vector,
                 tensor=image.tensor, file_info=image.file_info)


def dti_phantom(t1, mask, size=None):
    """The DTI phantom in a T1 volume's geometry (``revgan-prepare --task phantom``): tensors from
    the brain's anatomy inside `mask`, on `size` voxels (x, y, z) over the T1 volume's extent."""
    t1, mask = _image(t1, "t1"), _image(mask, "mask")
    if t1.dimension != 3 or mask.dimension != 3:
        raise InvalidArgumentError("the phantom is made from 3D volumes")
    mask_pixels = np.ascontiguousarray(mask.array != 0, dtype=np.uint8)
    size = None if size is None else [int(s) for s in size]
    array, geometry = _revgan._phantom(t1._pixels(), t1._geometry(), mask_pixels, size)
    return Image._from_module(array, geometry, tensor=True, keep_components=True)


def dwi_to_dti(path, bval=None, bvec=None):
    """DTI tensors fitted to a diffusion-weighted scan file (``revgan-prepare --task dti``): a NRRD
    with its gradients in its header, or a 4D NIfTI with FSL's `bval` and `bvec` files."""
    array, geometry = _revgan._dwi_to_dti(
        os.fspath(path), os.fspath(bval) if bval is not None else "", os.fspath(bvec) if bvec is not None else "")
    return Image._from_module(array, geometry, tensor=True, keep_components=True)
