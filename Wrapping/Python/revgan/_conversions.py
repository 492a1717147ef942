# SPDX-License-Identifier: Apache-2.0
"""revgan.Image to and from NumPy-backed neighbours: nibabel images and torch tensors."""

import numpy as np

from ._images import Image
from ._revgan import InvalidArgumentError

# NIfTI keeps a symmetric matrix's lower triangle row by row (xx, yx, yy, zx, zy, zz); ITK and the
# toolkit keep xx, xy, xz, yy, yz, zz. The reordering swaps the third and fourth value, both ways.
_NIFTI_TENSOR_ORDER = [0, 1, 3, 2, 4, 5]
# ITK's world is LPS, NIfTI's (and nibabel's affine) RAS: the first two axes change sign.
_LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0])


def from_nibabel(nifti):
    """A revgan.Image of a nibabel NIfTI image, as revgan.imread reads the same file.

    The pixels are a view of nibabel's data transposed to (z, y, x[, components]) (no copy when
    nibabel holds the data in memory; its own dtype kept). The affine (RAS) becomes spacing,
    origin and direction in ITK's LPS. A 5D array (x, y, z, 1, c) holds c components per voxel;
    with NIfTI's intent "symmetric matrix" they are DTI tensors, reordered to ITK's xx, xy, xz, yy,
    yz, zz and kept in the image axes, as the toolkit reads NIfTI tensors (axes that are the same
    voxel axes in RAS and LPS: the tensors need no rotation).
    """
    data = np.asanyarray(nifti.dataobj)
    intent = nifti.header.get_intent()[0] if hasattr(nifti.header, "get_intent") else ""
    tensor = intent == "symmetric matrix"
    if data.ndim == 5 and data.shape[3] == 1:
        data = data[:, :, :, 0, :]
        is_vector = True
    elif data.ndim == 4:
        is_vector = True
    elif data.ndim in (2, 3):
        is_vector = False
    else:
        raise InvalidArgumentError(f"a NIfTI image of shape {data.shape} is no 2D or 3D image of pixels")
    if tensor:
        if data.shape[-1] != 6:
            raise InvalidArgumentError(f"a symmetric-matrix NIfTI holds 6 values per voxel, not {data.shape[-1]}")
        data = data[..., _NIFTI_TENSOR_ORDER]
    dimension = data.ndim - (1 if is_vector else 0)
    axes = list(reversed(range(dimension))) + ([dimension] if is_vector else [])
    array = data.transpose(axes)
    affine = np.asarray(nifti.affine, dtype=float)
    matrix = _LPS_TO_RAS @ affine[:3, :3]
    origin = _LPS_TO_RAS @ affine[:3, 3]
    spacing = np.linalg.norm(matrix, axis=0)
    direction = matrix / spacing
    if dimension == 2:
        spacing, origin, direction = spacing[:2], origin[:2], direction[:2, :2]
    return Image(array, spacing, origin, direction, is_vector=is_vector, tensor=tensor)


def to_nibabel(image):
    """A nibabel Nifti1Image of a revgan.Image, written by nibabel as revgan.imwrite writes NIfTI.

    The data are a view of the image's array in nibabel's (x, y, z[, 1, components]) order; the
    affine is the geometry in RAS. Tensors get NIfTI's intent "symmetric matrix" and its
    lower-triangle order (a copy); other vector images the intent "vector".
    """
    import nibabel

    if not isinstance(image, Image):
        raise InvalidArgumentError(f"to_nibabel takes a revgan.Image, not {type(image).__name__}")
    dimension = image.dimension
    axes = list(reversed(range(dimension))) + ([dimension] if image.is_vector else [])
    data = image.array.transpose(axes)
    spacing = np.ones(3)
    origin = np.zeros(3)
    direction = np.eye(3)
    spacing[:dimension] = image.spacing
    origin[:dimension] = image.origin
    direction[:dimension, :dimension] = image.direction
    affine = np.eye(4)
    affine[:3, :3] = _LPS_TO_RAS @ direction @ np.diag(spacing)
    affine[:3, 3] = _LPS_TO_RAS @ origin
    if image.is_vector:
        if dimension == 2:
            data = data[:, :, np.newaxis, :]
        if image.tensor:
            data = data[..., _NIFTI_TENSOR_ORDER]
        data = data[:, :, :, np.newaxis, :]
    nifti = nibabel.Nifti1Image(data, affine)
    if image.tensor:
        nifti.header.set_intent("symmetric matrix")
    elif image.is_vector:
        nifti.header.set_intent("vector")
    return nifti


def to_torch(image, *, channels_first=True):
    """The pixels as a torch tensor over the same memory (no copy): (C, [D,] H, W) with
    `channels_first` (PyTorch's layout, a permuted view), else the array's (z, y, x[, c])."""
    import torch

    if not isinstance(image, Image):
        raise InvalidArgumentError(f"to_torch takes a revgan.Image, not {type(image).__name__}")
    tensor = torch.from_numpy(np.asarray(image.array))
    if not channels_first:
        return tensor
    if not image.is_vector:
        return tensor.unsqueeze(0)
    return tensor.permute(image.dimension, *range(image.dimension))


def from_torch(tensor, like=None, *, channels_first=True, tensor_image=None):
    """A revgan.Image of a torch tensor (C, [D,] H, W) with `channels_first`, else (z, y, x[, c]):
    a view of its memory on the CPU (a copy from another device), in `like`'s place (spacing, origin,
    direction and, unless `tensor_image` says otherwise, its being DTI tensors) when given. One
    channel gives a scalar image."""
    if like is not None and not isinstance(like, Image):
        raise InvalidArgumentError(f"like must be a revgan.Image, not {type(like).__name__}")
    array = tensor.detach().cpu().numpy()
    if channels_first:
        array = np.moveaxis(array, 0, -1)
        is_vector = array.shape[-1] > 1
        if not is_vector:
            array = array[..., 0]
    else:
        is_vector = like.is_vector if like is not None else False
    is_tensor = tensor_image if tensor_image is not None else bool(like is not None and like.tensor and
                                                                    is_vector and array.shape[-1] == 6)
    if like is None:
        return Image(array, is_vector=is_vector, tensor=is_tensor)
    return Image(array, like.spacing, like.origin, like.direction, is_vector=is_vector, tensor=is_tensor)
