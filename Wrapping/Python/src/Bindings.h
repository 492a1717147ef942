// SPDX-License-Identifier: Apache-2.0
#pragma once
// The parts of the compiled module revgan._revgan, one per source file (each compiles on its own).

#include <pybind11/pybind11.h>

namespace revgan::python
{

/// revgan.Error and its subclasses, and the translation of C++ exceptions into them.
void
bindErrors(pybind11::module_ & module);

/// Reading and writing image files with the toolkit's checks (_read_image, _write_image, FileInfo).
void
bindImageFiles(pybind11::module_ & module);

/// itk::RevGANImageFilter (_translate) and what it runs (_Predictor, _Model for model files).
void
bindTranslation(pybind11::module_ & module);

/// Models as torch.nn.Modules and Python callables as predictors (_LoadedModel, _PythonPredictor):
/// the one file with LibTorch's Python headers.
void
bindTorchBridge(pybind11::module_ & module);

/// revgan-prepare's steps on images (_lower_resolution, _resample, _phantom, _dwi_to_dti).
void
bindPreparation(pybind11::module_ & module);

/// The reversible networks for PyTorch users (_Network) and the memory tracker (revgan.nn).
void
bindNetworks(pybind11::module_ & module);

/// revgan-train's training as one call (_train, _train_parameters).
void
bindTraining(pybind11::module_ & module);

/// The figures of revgan-evaluate (_compare).
void
bindMetrics(pybind11::module_ & module);

} // namespace revgan::python
