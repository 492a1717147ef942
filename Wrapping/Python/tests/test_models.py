# SPDX-License-Identifier: Apache-2.0
"""revgan.load_model (model files as torch.nn.Modules) and Python callables as predictors."""

import pickle

import numpy as np
import pytest
import torch

import revgan


@pytest.fixture(scope="module")
def t1_fine_input(t1, programs, work):
    """The coarse T1 scan interpolated by cubic B-spline onto the fine grid: what the network of a
    model trained from the coarse grid reads."""
    path = work / "t1-bspline.nii.gz"
    programs("revgan-prepare", "--task", "resample", "--interpolation", "bspline", "--input", t1["coarse"],
             "--reference", t1["hr"], "--output", path)
    return revgan.imread(path)


def test_a_model_file_is_a_torch_module_with_the_toolkits_weights(t1, t1_model, t1_fine_input):
    model = revgan.load_model(t1_model)
    assert isinstance(model, torch.nn.Module) and model.dimensions == 3
    state = model.state_dict()
    assert "core.block0.F.layers.conv1.weight" in state and len(state) == len(list(model.parameters()))
    assert "srcnn 3D" in repr(model)
    # The network over the whole fine-grid input equals revgan.translate of the coarse scan in one patch.
    batch = torch.from_numpy(t1_fine_input.array)[None, None]
    with torch.no_grad():
        whole = model(batch)[0, 0].numpy()
    one_patch = revgan.translate(revgan.imread(t1["coarse"]), model, patch_size=[128, 128, 62], overlap=0)
    np.testing.assert_allclose(whole, one_patch.array, atol=1e-3)
    # Gradients reach the input.
    batch = batch[..., :16, :16, :16].clone().requires_grad_()
    model(batch).sum().backward()
    assert batch.grad is not None and batch.grad.abs().sum() > 0


def test_weights_changed_in_python_are_saved_and_run_by_revgan_translate(t1, t1_model, programs, work):
    model = revgan.load_model(t1_model)
    coarse = revgan.imread(t1["coarse"])
    revgan.set_num_threads(1)  # as the program below: the same order of float sums
    before = revgan.translate(coarse, model)
    state = model.state_dict()
    state["decoderY.layers.0.bias"] = state["decoderY.layers.0.bias"] + 0.5
    model.load_state_dict(state)
    after = revgan.translate(coarse, model)  # the same C++ weights, changed in place
    assert np.abs(after.array - before.array).max() > 1e-2
    saved = work / "changed-in-python.pt"
    model.save(saved)
    program = work / "changed-in-python.nii.gz"
    programs("revgan-translate", "--input", t1["coarse"], "--model", saved, "--output", program, "--threads", "1")
    np.testing.assert_array_equal(revgan.imread(program).array, after.array)
    # And the file loads back with the same weights.
    again = revgan.load_model(saved).state_dict()
    for name, value in model.state_dict().items():
        torch.testing.assert_close(again[name], value, rtol=0, atol=0)


def test_both_directions_share_the_weights(phantom, phantom_revgan):
    model = revgan.load_model(phantom_revgan).eval()
    tensors = torch.from_numpy(revgan.imread(phantom["phantom"]).array).permute(3, 0, 1, 2)[None, :, :16, :16, :16]
    with torch.no_grad():
        forward, inverse = model(tensors.contiguous()), model.inverse(tensors.contiguous())
    assert forward.shape == inverse.shape == tensors.shape
    assert not torch.allclose(forward, inverse)


def test_model_errors_are_clear(t1_model, work):
    with pytest.raises(revgan.ModelFileError, match="missing.pt"):
        revgan.load_model(work / "missing.pt")
    model = revgan.load_model(t1_model)
    with pytest.raises(revgan.InvalidArgumentError, match=r"takes a batch of shape \(N, 1, D, H, W\)"):
        model(torch.zeros(1, 2, 8, 8, 8))
    with pytest.raises(revgan.Error, match="stays on the device and dtype"):
        model.double()
    with pytest.raises(revgan.Error, match="not pickled"):
        pickle.dumps(model)


def test_a_pytorch_module_runs_on_the_toolkits_patch_grid(t1):
    hr = revgan.imread(t1["hr"])
    torch.manual_seed(0)
    smooth = torch.nn.Conv3d(1, 2, 3, padding=1)
    with torch.no_grad():
        expected = smooth(torch.from_numpy(hr.array)[None, None])[0].permute(1, 2, 3, 0).numpy()

        def predict(patches):
            return smooth(patches)

        # Overlap 4 ≥ twice the receptive radius: the patches leave no seams.
        result = revgan.translate(hr, predictor=predict, output_components=2, patch_size=32, overlap=4)
    assert result.components == 2 and result.size == hr.size
    np.testing.assert_allclose(result.array[1:-1, 1:-1, 1:-1], expected[1:-1, 1:-1, 1:-1], rtol=1e-4, atol=1e-3)


def test_predictor_errors_reach_python_as_they_were(t1, t1_model):
    coarse = revgan.imread(t1["coarse"])

    def broken(patches):
        raise KeyError("inside the predictor")

    with pytest.raises(KeyError, match="inside the predictor"):
        revgan.translate(coarse, predictor=broken, patch_size=16)
    with pytest.raises(revgan.Error, match=r"returned a tensor of shape \[4, 1, 2, 16, 16\]"):
        revgan.translate(coarse, predictor=lambda patches: patches[:, :, :2], patch_size=16)
    with pytest.raises(revgan.Error, match="not a torch.Tensor"):
        revgan.translate(coarse, predictor=lambda patches: 3, patch_size=16)
    with pytest.raises(revgan.InvalidArgumentError, match="predictor must be callable"):
        revgan.translate(coarse, predictor=3)
    with pytest.raises(revgan.InvalidArgumentError, match="not both"):
        revgan.translate(coarse, t1_model, predictor=lambda patches: patches)


def test_the_reversible_core_is_inverted_to_float_precision(phantom_revgan):
    model = revgan.load_model(phantom_revgan).eval()
    # The core's features: twice the channels one half of a coupling block reads.
    width = 2 * model.state_dict()["core.block0.F.layers.conv1.weight"].shape[1]
    features = torch.randn(2, width, 12, 12, 12, generator=torch.Generator().manual_seed(4))
    with torch.no_grad():
        mapped = model.core_forward(features)
        back = model.core_inverse(mapped)
    assert (mapped - features).abs().max() > 1e-2  # the core does something
    torch.testing.assert_close(back, features, rtol=1e-5, atol=1e-5)
    with pytest.raises(revgan.Error, match="to have 16 channels") as raised:
        model.core_forward(torch.zeros(1, 4, 8, 8, 8))
    assert "frame #" not in str(raised.value)  # LibTorch's backtrace left out
