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
              device="cpu", progress=None, predictor=None, output_components=None, size_multiple=1):
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
    the fraction done. The GIL is released while the filter runs; Ctrl-C stops it.
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
    if image.dimension != predictor.dimensions:
        raise InvalidArgumentError(
            f"the model is {predictor.dimensions}D but the image is {image.dimension}D")
    array, spacing, origin, direction_cosines = _revgan._translate(
        image._pixels(), *image._geometry(), predictor, direction, _axes(patch_size, image.dimension, "patch_size"),
        _axes(overlap, image.dimension, "overlap"), blending, int(batch), progress)
    return Image._from_module(array, spacing, origin, direction_cosines,
                              tensor=image.tensor and array.shape[-1] == 6, file_info=image.file_info)


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
        _revgan._compare("error", mask._pixels(), mask._pixels(), None, *prediction._geometry(), *mask._geometry(),
                         True, _revgan._MetricSettings(0, 1.0, 0.2))
    return (prediction._pixels(), reference._pixels(), _mask_pixels(mask, prediction), *prediction._geometry(),
            *reference._geometry(), check_geometry)


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
