# SPDX-License-Identifier: Apache-2.0
"""The RevGAN toolkit from Python: reversible GANs for medical image translation.

Images in ITK-Python's and SimpleITK's habits (pixels as a NumPy array in (z, y, x[, components])
order, spacing, origin and direction in ITK's (x, y[, z]) order beside them), read and written
through the toolkit's own checked readers and atomic writers; the toolkit's ITK filters as
functions with keyword arguments.

    import revgan
    image = revgan.imread("dti-low-resolution.nii.gz")
    fine = revgan.translate(image, "model.pt")
    print(revgan.error_metrics(fine, revgan.imread("dti.nii.gz"), mask=revgan.imread("mask.nii.gz")))
    revgan.imwrite(fine, "dti-super-resolved.nii.gz")

The compiled part, revgan._revgan, links the toolkit's C++ libraries and the LibTorch that this
interpreter's torch uses: torch is imported first so that one LibTorch serves both.
"""

import torch  # noqa: F401  (first: it loads the LibTorch the compiled module shares)

from ._revgan import Error, InvalidArgumentError, ModelFileError, FileInfo, set_num_threads
from ._images import Image, imread, imwrite
from ._conversions import from_nibabel, to_nibabel, from_torch, to_torch
from ._models import Model, load_model
from ._filters import Translator, load_predictor, translate, error_metrics, tensor_metrics
from ._preparation import shrink, degrade, resample, crop, dti_phantom, dwi_to_dti
from ._training import TrainingResult, train
from . import nn

__all__ = [
    "Error",
    "InvalidArgumentError",
    "ModelFileError",
    "FileInfo",
    "Image",
    "imread",
    "imwrite",
    "from_nibabel",
    "to_nibabel",
    "from_torch",
    "to_torch",
    "Model",
    "load_model",
    "load_predictor",
    "translate",
    "Translator",
    "error_metrics",
    "shrink",
    "degrade",
    "resample",
    "crop",
    "dti_phantom",
    "dwi_to_dti",
    "tensor_metrics",
    "set_num_threads",
    "train",
    "TrainingResult",
    "nn",
]
