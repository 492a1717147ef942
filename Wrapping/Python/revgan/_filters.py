# SPDX-License-Identifier: Apache-2.0
"""The toolkit's ITK filters as functions: translation by a model, and the evaluation metrics."""

import os

import numpy as np

from . import _revgan
from ._images import Image
from ._models import Model
from ._revgan import InvalidArgumentError


def load_predictor(path, device="cpu"):
    """A model file loaded once for revgan.translate (so that several images share it)."""
    return _revgan._Model.load(os.fspath(path), device)


def _predictor(model, device):
    if isinstance(model, _revgan._Predictor):
        return model
    if isinstance(model, Model):
        return model.predictor()
    if isinstance(model, (str, os.PathLike)):
        return load_predictor(model, device)
    raise InvalidArgumentError(f"model must be a model file's path, a revgan.Model or revgan.load_predictor's "
                               f"result, not {type(model).__name__}")


def _axes(values, dimension, name):
    values = [int(v) for v in (values if np.ndim(values) else [values])]
    if len(values) not in (1, dimension):
        raise InvalidArgumentError(f"{name} needs 1 or {dimension} values (x, y[, z]), not {len(values)}")
    return values


def translate(image, model=None, *, direction="forward", patch_size=64, overlap=8, blending="gaussian", batch=4,
              device="cpu", progress=None, predictor=None, output_components=None, size_multiple=1,
              slice_axis=None, pieces=1):
    """Applies a model written by revgan-train to `image`, patch by patch (itk::RevGANImageFilter).

    The same call as ``revgan-translate`` with the same defaults, and the same result. `model` is
    a model file's path, a revgan.Model (revgan.load_model) or revgan.load_predictor's result;
    ``direction="inverse"`` runs Y→X with the same weights.

    Instead of a model, any PyTorch model may run on the toolkit's patch grid, blending and
    streaming: `predictor` is a callable taking a batch of patches as a float32 torch tensor
    (N, C, [D,] H, W) on the CPU and returning (N, output_components, same extent);
    `output_components` defaults to the image's components and `size_multiple` is the multiple
    the patch extents must have (2^downsamplings). A super-resolution model trained on low-resolution images on their own
    coarse grid takes `image` on its coarse grid, and the result lies on the fine grid. `patch_size`
    and `overlap` are one value or one per axis (x, y[, z]); `progress`, if given, is called with
    the fraction done. The GIL is released while the filter runs; Ctrl-C stops it. With `pieces`
    above 1 the output is made in that many pieces (itk::StreamingImageFilter): less memory for the
    blend, the same result.

    A 2D model on a volume runs slice by slice across `slice_axis` (0, 1 or 2 in ITK's order; by
    default the axis of a single voxel, else z), as revgan-translate does; a model trained from a
    coarse grid refines each slice in its plane.
    """
    if not isinstance(image, Image):
        raise InvalidArgumentError(f"revgan.translate takes a revgan.Image, not {type(image).__name__}")
    if (model is None) == (predictor is None):
        raise InvalidArgumentError("give a model or a predictor, not both and not neither")
    if predictor is not None:
        if not callable(predictor):
            raise InvalidArgumentError(f"predictor must be callable, not {type(predictor).__name__}")
        predictor = _revgan._PythonPredictor(predictor, image.dimension, image.components,
                                             int(output_components or image.components), int(size_multiple))
    else:
        predictor = _predictor(model, device)
    settings = (direction, _axes(patch_size, predictor.dimensions, "patch_size"),
                _axes(overlap, predictor.dimensions, "overlap"), blending, int(batch), int(pieces))
    if image.dimension == 3 and predictor.dimensions == 2:
        return _translate_slices(image, predictor, settings, slice_axis, progress)
    if image.dimension != predictor.dimensions:
        raise InvalidArgumentError(
            f"the model is {predictor.dimensions}D but the image is {image.dimension}D")
    array, geometry, _ = _revgan._translate(image._pixels(), image._geometry(), predictor, *settings, progress)
    return Image._from_module(array, geometry, tensor=image.tensor and array.shape[-1] == 6, file_info=image.file_info)


class Translator:
    """revgan.translate as an object, in the manner of ITK's filter classes: the model loaded once
    and the settings kept, applied to image after image.

        translator = revgan.Translator("model.pt", patch_size=32, overlap=8)
        high = translator(low)

    Takes revgan.translate's arguments (but `image` and `progress`, given per call); they can be
    changed between calls through ``translator.settings``.
    """

    def __init__(self, model=None, *, device="cpu", predictor=None, **settings):
        if (model is None) == (predictor is None):
            raise InvalidArgumentError("give a model or a predictor, not both and not neither")
        self.model = _predictor(model, device) if model is not None else None
        self.predictor = predictor
        self.settings = settings

    def __call__(self, image, progress=None):
        return translate(image, self.model, predictor=self.predictor, progress=progress, **self.settings)

    def __repr__(self):
        what = self.model.description if self.model is not None else repr(self.predictor)
        return f"<revgan.Translator {what}, {self.settings}>"


def _translate_slices(volume, predictor, settings, slice_axis, progress):
    """A 2D predictor over each slice of `volume` across ITK axis `slice_axis`."""
    if slice_axis is None:
        ones = [axis for axis, extent in enumerate(volume.size) if extent == 1]
        slice_axis = ones[0] if ones else 2
    if slice_axis not in (0, 1, 2):
        raise InvalidArgumentError(f"slice_axis must be 0, 1 or 2 (x, y, z), not {slice_axis}")
    in_plane = [axis for axis in range(3) if axis != slice_axis]
    pixels = volume._pixels()
    count = volume.size[slice_axis]
    # A slice's pixels keep the volume's other axes in their order; only their grid indices matter
    # to the network and the interpolation, so the slices need no place in space of their own.
    plane_geometry = ([volume.spacing[axis] for axis in in_plane], [0.0, 0.0], [1.0, 0.0, 0.0, 1.0])
    translated = []
    for k in range(count):
        part = None if progress is None else (lambda fraction, k=k: progress((k + fraction) / count))
        array, _, _ = _revgan._translate(np.ascontiguousarray(np.take(pixels, k, axis=2 - slice_axis)),
                                         plane_geometry, predictor, *settings, part)
        translated.append(array)
    stacked = np.stack(translated, axis=2 - slice_axis)
    factors, _ = predictor.input_grid(settings[0])
    factors = list(factors) if factors else [1, 1]
    factors.insert(slice_axis, 1)
    spacing, origin = _fine_grid(volume, factors)
    return Image._from_module(stacked, (spacing, origin, volume.direction.ravel()),
                              tensor=volume.tensor and stacked.shape[-1] == 6, file_info=volume.file_info)


def _fine_grid(image, factors):
    """Spacing and origin of the grid `factors` times finer over the same extent (the fine voxels
    tiling each coarse one), as itk::RevGANFineGrid."""
    factors = np.asarray(factors, dtype=float)
    spacing = np.asarray(image.spacing) / factors
    shift = -0.5 * (factors - 1.0) * spacing
    return list(spacing), list(np.asarray(image.origin) + image.direction @ shift)


def _mask_pixels(mask, prediction):
    if mask is None:
        return None
    if not isinstance(mask, Image):
        raise InvalidArgumentError(f"mask must be a revgan.Image, not {type(mask).__name__}")
    if mask.is_vector:
        raise InvalidArgumentError("a mask has one component per voxel")
    if mask.size != prediction.size:
        raise InvalidArgumentError(f"the mask's size {mask.size} differs from the prediction's {prediction.size}")
    return np.ascontiguousarray(mask.array != 0, dtype=np.uint8)


def _comparison(prediction, reference, mask, check_geometry):
    for name, image in (("prediction", prediction), ("reference", reference)):
        if not isinstance(image, Image):
            raise InvalidArgumentError(f"{name} must be a revgan.Image, not {type(image).__name__}")
    if check_geometry and mask is not None:
        # The mask must lie where the prediction lies, as revgan-evaluate requires.
        _revgan._compare("error", mask._pixels(), mask._pixels(), None, prediction._geometry(), mask._geometry(),
                         True, _revgan._MetricSettings(0, 1.0, 0.2))
    return (prediction._pixels(), reference._pixels(), _mask_pixels(mask, prediction), prediction._geometry(),
            reference._geometry(), check_geometry)


def error_metrics(prediction, reference, mask=None, *, interior_radius=2, data_range=255.0, check_geometry=True):
    """RMSE and MAE of `prediction` against `reference` inside `mask` (its non-zero voxels; all
    voxels without one), over all of it ("_total") and its interior ("_interior": the voxels whose
    box of `interior_radius` lies inside it), with the voxel counts; PSNR and SSIM for 2D scalar
    images. A dict with the keys of ``revgan-evaluate --json``, whose figures it equals.
    """
    return _revgan._compare("error", *_comparison(prediction, reference, mask, check_geometry),
                            _revgan._MetricSettings(int(interior_radius), float(data_range), 0.2))


def tensor_metrics(prediction, reference, mask=None, *, interior_radius=2, fa_threshold=0.2, check_geometry=True):
    """The DTI measures of ``revgan-evaluate --json`` for two tensor volumes: FA, MD, AD and RD
    errors, the principal direction's angular error (where the reference's FA exceeds
    `fa_threshold`), the log-Euclidean distance and the share of non-positive-definite tensors,
    total and interior.
    """
    return _revgan._compare("tensor", *_comparison(prediction, reference, mask, check_geometry),
                            _revgan._MetricSettings(int(interior_radius), 255.0, float(fa_threshold)))
