# SPDX-License-Identifier: Apache-2.0
"""Model files as torch.nn.Modules: revgan.load_model and revgan.Model."""

import os

import torch

from . import _revgan
from ._revgan import Error


def _attach_tensors(module, named_tensors, parameter):
    """Registers a toolkit network's tensors ((name, tensor, is_parameter) with dotted names) on
    `module`, building the submodule tree the names describe; `parameter(tensor)` makes each
    parameter's nn.Parameter."""
    for name, tensor, is_parameter in named_tensors:
        owner = module
        *path, leaf = name.split(".")
        for part in path:
            if part not in owner._modules:
                owner.add_module(part, torch.nn.Module())
            owner = owner._modules[part]
        if is_parameter:
            owner.register_parameter(leaf, parameter(tensor))
        else:
            owner.register_buffer(leaf, tensor)


class Model(torch.nn.Module):
    """A model file of the toolkit as a ``torch.nn.Module`` (made by revgan.load_model).

    ``model(x)`` maps a batch of X images to Y and ``model.inverse(y)`` Y to X with the same
    weights, on raw intensities as the files hold them (the model's intensity scaling, and the
    tensor logarithm of a log-Euclidean model, are applied and undone inside): a batch (N, C, H, W)
    or (N, C, D, H, W) of float32 on the model's device, channels in the toolkit's order (DTI:
    xx, xy, xz, yy, yz, zz). ``state_dict()`` and ``load_state_dict()`` work as usual; the
    parameters are the toolkit's own (shared, not copied), so ``save(path)`` writes the current
    weights as a model file that revgan-translate reads, and revgan.translate(image, model) runs
    them. Gradients reach the input, not the parameters: training from Python is revgan.train's.

    The model stays on the device and dtype it was loaded with (``revgan.load_model(path,
    device=...)``); ``.to()``, ``.cuda()``, ``.double()`` and the like raise revgan.Error.
    """

    def __init__(self, loaded):
        super().__init__()
        object.__setattr__(self, "_loaded", loaded)
        # Parameters over the same storage: in-place changes (load_state_dict) reach C++.
        _attach_tensors(self, loaded.named_tensors(),
                        lambda tensor: torch.nn.Parameter(tensor, requires_grad=tensor.requires_grad))

    @property
    def dimensions(self):
        """2 or 3."""
        return self._loaded.dimensions

    @property
    def device(self):
        return torch.device(self._loaded.device)

    def forward(self, x):
        """X → Y on a batch of raw intensities."""
        return self._loaded.run(x, "forward", self.training)

    def inverse(self, y):
        """Y → X with the same weights."""
        return self._loaded.run(y, "inverse", self.training)

    def core_forward(self, features):
        """The reversible core alone, on features (N, width, [D,] H, W): exactly invertible by
        core_inverse (the whole model is not: its encoders and decoders are not invertible). Only
        for generators with a reversible core (RevGAN, SRCNN+kR, EDSR-F)."""
        return self._loaded.run_core(features, "forward", self.training)

    def core_inverse(self, features):
        """The inverse of core_forward, computed from its output (no stored activations)."""
        return self._loaded.run_core(features, "inverse", self.training)

    def save(self, path):
        """Writes the current weights as a model file (atomically), readable by revgan-translate."""
        self._loaded.save(os.fspath(path))

    def predictor(self):
        """The model as itk::RevGANImageFilter runs it (what revgan.translate uses)."""
        return self._loaded.predictor()

    def extra_repr(self):
        return self._loaded.description

    def _apply(self, fn, *args, **kwargs):
        raise Error("a revgan.Model stays on the device and dtype it was loaded with: "
                    "use revgan.load_model(path, device=...)")

    def __reduce__(self):
        raise Error("a revgan.Model is not pickled: save(path) writes it as a model file, "
                    "and state_dict() gives its weights")


def load_model(path, device="cpu"):
    """Loads a model file written by revgan-train (or Model.save) as a revgan.Model, on `device`
    ("cpu", "cuda" or "cuda:N"). A missing or damaged file raises revgan.ModelFileError naming it."""
    return Model(_revgan._LoadedModel.load(os.fspath(path), device))
