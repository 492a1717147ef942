# SPDX-License-Identifier: Apache-2.0
"""revgan.Image, and reading and writing image files."""

import os

import numpy as np

from . import _revgan
from ._revgan import InvalidArgumentError


class Image:
    """An image: pixels as a NumPy array with its place in space beside it.

    ``array`` holds the pixels in (z, y, x) order for a scalar volume, (y, x) for a scalar 2D image,
    and with the components last, (z, y, x, c), for vector and tensor images — the order of
    ``itk.array_view_from_image`` and ``SimpleITK.GetArrayViewFromImage``. ``spacing`` and
    ``origin`` are in ITK's (x, y[, z]) order and ``direction`` is ITK's matrix (column j is axis
    j's direction in LPS coordinates). DTI volumes hold 6 components per voxel in ITK's order
    (xx, xy, xz, yy, yz, zz) in the frame of the image axes, and have ``tensor`` set.

    ``file_info`` (a revgan.FileInfo) is what the file it was read from held; revgan.imwrite uses it
    to write the same kind of file back (a NRRD's header fields, its measurement frame).
    """

    def __init__(self, array, spacing=None, origin=None, direction=None, *, is_vector=False, tensor=False,
                 file_info=None):
        array = np.asarray(array)
        if array.dtype.kind not in "fiub":
            raise InvalidArgumentError(f"pixels must be real numbers, not {array.dtype}")
        self.is_vector = bool(is_vector or tensor)
        dimension = array.ndim - (1 if self.is_vector else 0)
        if dimension not in (2, 3):
            raise InvalidArgumentError(
                f"an array of shape {array.shape} is no 2D or 3D {'vector ' if self.is_vector else ''}image")
        if tensor and array.shape[-1] != 6:
            raise InvalidArgumentError(f"tensor images hold 6 components per voxel, not {array.shape[-1]}")
        self.array = array
        self.spacing = tuple(float(s) for s in (spacing if spacing is not None else (1.0,) * dimension))
        self.origin = tuple(float(o) for o in (origin if origin is not None else (0.0,) * dimension))
        self.direction = np.array(direction if direction is not None else np.eye(dimension), dtype=float)
        if len(self.spacing) != dimension or len(self.origin) != dimension or self.direction.shape != (
                dimension, dimension):
            raise InvalidArgumentError(
                f"a {dimension}D image needs {dimension} spacings and origin coordinates and a "
                f"{dimension}×{dimension} direction")
        self.tensor = bool(tensor)
        self.file_info = file_info

    @property
    def dimension(self):
        """2 or 3."""
        return self.array.ndim - (1 if self.is_vector else 0)

    @property
    def components(self):
        """Values per pixel."""
        return self.array.shape[-1] if self.is_vector else 1

    @property
    def size(self):
        """Pixels per axis in ITK's (x, y[, z]) order."""
        return tuple(reversed(self.array.shape[:self.dimension]))

    def with_array(self, array, *, is_vector=None, tensor=None):
        """A new image of `array` in this image's place (same spacing, origin and direction)."""
        return Image(array, self.spacing, self.origin, self.direction,
                     is_vector=self.is_vector if is_vector is None else is_vector,
                     tensor=self.tensor if tensor is None else tensor, file_info=self.file_info)

    def __repr__(self):
        kind = "tensor" if self.tensor else ("vector" if self.is_vector else "scalar")
        return (f"<revgan.Image {self.dimension}D {kind}, size {self.size}, {self.components} component(s), "
                f"spacing {self.spacing}, origin {self.origin}>")

    # The compiled module's view: float32 in C order with the components last, and the geometry
    # as flat lists. No copy when the array already is float32 and C-contiguous.
    def _pixels(self):
        array = np.ascontiguousarray(self.array, dtype=np.float32)
        return array if self.is_vector else array[..., np.newaxis]

    def _geometry(self):
        return list(self.spacing), list(self.origin), [float(v) for v in self.direction.ravel()]

    @classmethod
    def _from_module(cls, array, geometry, *, tensor=False, file_info=None, keep_components=None):
        spacing, origin, direction = geometry
        dimension = len(spacing)
        direction = np.array(direction, dtype=float).reshape(dimension, dimension)
        is_vector = keep_components if keep_components is not None else array.shape[-1] > 1
        pixels = array if is_vector else array[..., 0]
        return cls(pixels, spacing, origin, direction, is_vector=is_vector, tensor=tensor, file_info=file_info)


def imread(path):
    """Reads a 2D or 3D image file (NIfTI, NRRD, MetaImage, PNG, JPEG, …) as a revgan.Image.

    The file passes the toolkit's checks first (its header, and all the pixel data the header
    promises); pixels become float32, tensors come in ITK's component order in the image axes (a
    NRRD measurement frame is rotated away, and restored by revgan.imwrite). A file that cannot be
    read raises revgan.Error naming it.
    """
    path = os.fspath(path)
    array, geometry, info = _revgan._read_image(path)
    return Image._from_module(array, geometry, tensor=info.tensor, file_info=info)


def imwrite(image, path):
    """Writes `image` to `path` atomically (a temporary file, then a rename: nothing half-written).

    The file type follows the extension. A tensor image is written as tensors (a NRRD made from a
    NRRD keeps that file's header fields and measurement frame), one component as a scalar image,
    otherwise as a vector image.
    """
    if not isinstance(image, Image):
        raise InvalidArgumentError(f"revgan.imwrite writes a revgan.Image, not {type(image).__name__}")
    _revgan._write_image(image._pixels(), image._geometry(), os.fspath(path), image.file_info, image.tensor)
