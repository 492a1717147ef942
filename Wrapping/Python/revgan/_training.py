# SPDX-License-Identifier: Apache-2.0
"""Training as revgan-train does it, as one call: revgan.train."""

import logging
import os
import tempfile
import warnings

from . import _revgan
from ._images import Image, imwrite

_log = logging.getLogger("revgan")

# revgan-train's parameters (name, Slicer type, default, description, choices): the program's one
# table, from which its command line, --help and 3D Slicer description come too.
_PARAMETERS = _revgan._train_parameters()
_NAMES = {name for name, *_ in _PARAMETERS}
# Keyword arguments of train() itself: the images, given as paths or revgan.Images.
_IMAGE_LISTS = ("x", "y", "x_masks", "y_masks", "validation_x", "validation_y", "validation_masks")


class TrainingResult(dict):
    """How revgan.train ended: ``outcome`` ("finished" or "diverged"), ``output`` (the model file),
    ``checkpoint``, ``epoch`` and ``iteration`` where training stood, ``divergence`` (what stopped a
    diverged run, else None), ``kept_best`` ((validation RMSE, epoch, iteration) of the weights in
    the model file when they are the best validated ones, else None). Also readable as attributes."""

    def __getattr__(self, name):
        # AttributeError, not KeyError, for a missing name: hasattr, copy and pickle rely on it.
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self):
        return f"TrainingResult({dict.__repr__(self)})"


def _file_list(value, name, scratch):
    """Comma-separated files for the program's option: paths, folders or revgan.Images (written to
    a temporary folder first, in the toolkit's NRRD, which keeps tensors and geometry)."""
    items = value if isinstance(value, (list, tuple)) else [value]
    files = []
    for index, item in enumerate(items):
        if isinstance(item, Image):
            path = os.path.join(scratch(), f"{name}-{index:04d}.nrrd")
            imwrite(item, path)
            files.append(path)
        elif isinstance(item, (str, os.PathLike)):
            files.append(os.fspath(item))
        else:
            raise TypeError(f"train() takes {name} as paths or revgan.Images, not {type(item).__name__}")
    for path in files:
        if "," in path:
            raise _revgan.InvalidArgumentError(f"'{path}': a comma in a file name cannot be passed to training")
    return ",".join(files)


def _arguments(options, scratch):
    arguments = []
    for name, value in options.items():
        if name not in _NAMES:
            raise TypeError(f"train() got an unexpected keyword argument '{name}'")
        if value is None or value is False:
            continue
        flag = "--" + name
        if value is True:
            arguments.append(flag)
        elif name in _IMAGE_LISTS:
            arguments += [flag, _file_list(value, name, scratch)]
        elif isinstance(value, (list, tuple)):
            arguments += [flag, ",".join(str(v) for v in value)]
        else:
            arguments += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return arguments


def train(x, y, output, *, progress=None, **options):
    """Trains a model as ``revgan-train`` does and writes the model file `output`.

    Everything the program does, the program's code does here: reading and pairing the images
    (`x` and `y`: paths, folders or revgan.Images, one or a list), masks, the intensity scaling,
    tensor domains, validation and the best weights, the memory budget, checkpoints, resume and
    data-parallel jobs (under torchrun). The options are the program's, spelled with underscores
    (``gan_weight=0``, ``patch_size=[24, 24, 24]``, ``flips=True``); the same options and seed give
    the same model file as the program. ``threads`` is the program's too: 0 (the default) sets
    LibTorch's threads to all of the machine's (or REVGAN_NUM_THREADS), for this process from then
    on, as revgan.set_num_threads does.

    `progress`, if given, is called after every iteration with a dict (epoch, epochs, iteration,
    iterations_per_epoch, learning_rate, samples_per_second, losses, validation_rmse,
    best_validation, event). What the program prints goes to the logger "revgan" (INFO), its
    warnings to :mod:`warnings` (RuntimeWarning). Ctrl-C, or an exception of `progress`, stops
    training after the iteration in progress, writes the checkpoint (``checkpoint``, by default
    `output` + ".checkpoint") and is raised; ``resume=`` that checkpoint continues exactly.

    Returns a TrainingResult. Raises revgan.InvalidArgumentError for bad options or images, and
    TypeError for an unknown keyword argument.

    The options (name, type, default, description):
    """
    options = {"x": x, "y": y, "output": output, **options}
    temporary = []

    def scratch():
        if not temporary:
            temporary.append(tempfile.TemporaryDirectory(prefix="revgan-train-"))
        return temporary[0].name

    try:
        arguments = _arguments(options, scratch)
        outcome = _revgan._train(arguments, progress, lambda line: _log.info("%s", line),
                                 lambda line: warnings.warn(line, RuntimeWarning, stacklevel=3))
    finally:
        for directory in temporary:
            directory.cleanup()
    if outcome["outcome"] == "diverged":
        kept = "the best validated weights" if outcome["kept_best"] else "the last weights before the divergence"
        warnings.warn(f"training diverged and stopped early at {outcome['divergence']}; '{outcome['output']}' "
                      f"holds {kept}", RuntimeWarning, stacklevel=2)
    return TrainingResult(outcome)


def _describe(parameters):
    lines = []
    for name, kind, default, description, choices in parameters:
        shown = "" if default is None else f" = {default}"
        among = f" ({', '.join(choices)})" if choices else ""
        lines.append(f"        {name} ({kind}{shown}): {description}{among}")
    return "\n".join(lines) + "\n"


train.__doc__ += "\n" + _describe(_PARAMETERS)
