# SPDX-License-Identifier: Apache-2.0
"""nibabel and torch conversions: the same pixels and geometry as the toolkit's reader and writer."""

import nibabel
import numpy as np
import pytest
import torch

import revgan


def assert_same_image(a, b, atol=0.0):
    assert a.size == b.size and a.components == b.components and a.tensor == b.tensor
    np.testing.assert_allclose(a.array, b.array, rtol=1e-6, atol=atol)
    np.testing.assert_allclose(a.spacing, b.spacing, rtol=1e-6)
    np.testing.assert_allclose(a.origin, b.origin, atol=1e-4)
    np.testing.assert_allclose(a.direction, b.direction, atol=1e-6)


def test_from_nibabel_equals_imread_on_the_t1_volume(data_dir):
    path = data_dir / "KmeansTest_T1UCharRaw.nii.gz"
    assert_same_image(revgan.from_nibabel(nibabel.load(path)), revgan.imread(path))


def test_from_nibabel_equals_imread_on_dti_tensors(phantom):
    converted = revgan.from_nibabel(nibabel.load(phantom["phantom"]))
    assert converted.tensor
    assert_same_image(converted, revgan.imread(phantom["phantom"]), atol=1e-12)


@pytest.mark.parametrize("name", ["phantom", "mask"])
def test_an_image_saved_by_nibabel_reads_back_in_the_toolkit(phantom, work, name):
    image = revgan.imread(phantom[name])
    # An oblique direction and an origin off zero, so that RAS and LPS really differ.
    angle = 0.4
    rotation = np.array([[np.cos(angle), -np.sin(angle), 0.0], [np.sin(angle), np.cos(angle), 0.0], [0.0, 0.0, 1.0]])
    moved = revgan.Image(image.array, image.spacing, (12.5, -3.0, 40.0), rotation, is_vector=image.is_vector,
                         tensor=image.tensor)
    path = work / f"by-nibabel-{name}.nii.gz"
    nibabel.save(revgan.to_nibabel(moved), path)
    assert_same_image(revgan.imread(path), moved, atol=1e-12)
    # and nibabel reads what the toolkit writes
    written = work / f"by-revgan-{name}.nii.gz"
    revgan.imwrite(moved, written)
    assert_same_image(revgan.from_nibabel(nibabel.load(written)), moved, atol=1e-12)


def test_torch_views_share_memory_with_the_image(t1):
    image = revgan.imread(t1["hr"])
    tensor = revgan.to_torch(image)
    assert tensor.shape == (1, 62, 128, 128)
    tensor[0, 1, 2, 3] = -7.0
    assert image.array[1, 2, 3] == -7.0  # the same memory
    back = revgan.from_torch(tensor, like=image)
    assert_same_image(back, image)
    vectors = image.with_array(np.stack([image.array, 2 * image.array], axis=-1), is_vector=True)
    channels = revgan.to_torch(vectors)
    assert channels.shape == (2, 62, 128, 128)
    torch.testing.assert_close(channels[1], 2 * channels[0])
    assert_same_image(revgan.from_torch(channels, like=vectors), vectors)


def test_conversion_errors_are_clear():
    with pytest.raises(revgan.InvalidArgumentError, match="to_nibabel takes a revgan.Image"):
        revgan.to_nibabel(np.zeros((2, 2, 2)))
    with pytest.raises(revgan.InvalidArgumentError, match="no 2D or 3D image"):
        revgan.from_nibabel(nibabel.Nifti1Image(np.zeros((2, 2, 2, 2, 2, 2), dtype=np.float32), np.eye(4)))
