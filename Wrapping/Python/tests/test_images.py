# SPDX-License-Identifier: Apache-2.0
"""revgan.Image, revgan.imread and revgan.imwrite on the real data."""

import numpy as np
import pytest

import revgan


def test_imread_gives_pixels_in_zyx_order_and_geometry_in_itk_order(data_dir):
    image = revgan.imread(data_dir / "KmeansTest_T1UCharRaw.nii.gz")
    assert image.dimension == 3 and image.components == 1 and not image.tensor
    assert image.size == (128, 128, 62)
    assert image.array.shape == (62, 128, 128)
    assert image.array.dtype == np.float32 and image.array.flags["C_CONTIGUOUS"]
    assert image.spacing == (2.0, 2.0, 3.0)
    assert image.direction.shape == (3, 3)
    # The brain's voxels are where nibabel finds them (nibabel's array is (x, y, z)).
    import nibabel
    reference = np.asanyarray(nibabel.load(data_dir / "KmeansTest_T1UCharRaw.nii.gz").dataobj).T
    np.testing.assert_array_equal(image.array, reference.astype(np.float32))


@pytest.mark.parametrize("extension", [".nii.gz", ".nrrd", ".mha"])
def test_a_written_image_reads_back_the_same(work, extension):
    random = np.random.default_rng(1)
    direction = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    image = revgan.Image(random.normal(size=(5, 7, 9)).astype(np.float32), spacing=(0.5, 1.5, 2.0),
                         origin=(3.0, -4.0, 12.5), direction=direction)
    path = work / f"round-trip{extension}"
    revgan.imwrite(image, path)
    back = revgan.imread(path)
    np.testing.assert_array_equal(back.array, image.array)
    np.testing.assert_allclose(back.spacing, image.spacing)
    np.testing.assert_allclose(back.origin, image.origin, atol=1e-6)
    np.testing.assert_allclose(back.direction, direction, atol=1e-6)


def test_tensors_round_trip_as_tensors_through_nifti_and_nrrd(phantom, work):
    tensors = revgan.imread(phantom["phantom"])
    assert tensors.tensor and tensors.components == 6 and tensors.array.shape == (31, 64, 64, 6)
    for extension in (".nii.gz", ".nrrd"):
        path = work / f"tensors{extension}"
        revgan.imwrite(tensors, path)
        back = revgan.imread(path)
        assert back.tensor
        np.testing.assert_allclose(back.array, tensors.array, rtol=1e-6, atol=1e-12)


def test_arrays_of_other_types_and_layouts_are_written_as_their_values(work):
    values = np.arange(4 * 6 * 8, dtype=np.float64).reshape(8, 6, 4)
    image = revgan.Image(values.transpose(2, 1, 0))  # not C-contiguous, float64
    revgan.imwrite(image, work / "layout.nii.gz")
    np.testing.assert_array_equal(revgan.imread(work / "layout.nii.gz").array, values.transpose(2, 1, 0))


def test_vector_images_keep_their_components(work):
    pixels = np.random.default_rng(2).normal(size=(6, 5, 3)).astype(np.float32)
    image = revgan.Image(pixels, is_vector=True)
    assert image.dimension == 2 and image.components == 3 and image.size == (5, 6)
    revgan.imwrite(image, work / "vectors.nrrd")
    back = revgan.imread(work / "vectors.nrrd")
    assert back.is_vector and back.components == 3
    np.testing.assert_array_equal(back.array, pixels)


def test_reading_and_writing_errors_name_the_file(work):
    with pytest.raises(revgan.Error, match="'.*missing.nii.gz': file missing or unreadable"):
        revgan.imread(work / "missing.nii.gz")
    truncated = work / "truncated.nii"
    revgan.imwrite(revgan.Image(np.ones((4, 4, 4), dtype=np.float32)), truncated)
    truncated.write_bytes(truncated.read_bytes()[:-40])
    with pytest.raises(revgan.Error, match="truncated.nii"):
        revgan.imread(truncated)
    with pytest.raises(revgan.Error, match="no-such-folder"):
        revgan.imwrite(revgan.Image(np.ones((4, 4), dtype=np.float32)), work / "no-such-folder" / "a.nii.gz")
    assert not (work / "no-such-folder").exists()


def test_bad_images_are_clear_errors():
    with pytest.raises(revgan.InvalidArgumentError, match="no 2D or 3D"):
        revgan.Image(np.zeros(5))
    with pytest.raises(ValueError, match="tensor images hold 6 components"):
        revgan.Image(np.zeros((2, 2, 2, 3)), tensor=True)
    with pytest.raises(revgan.InvalidArgumentError, match="real numbers"):
        revgan.Image(np.zeros((2, 2), dtype=complex))
    with pytest.raises(revgan.InvalidArgumentError, match="3 spacings"):
        revgan.Image(np.zeros((2, 2, 2)), spacing=(1.0, 1.0))
    with pytest.raises(revgan.InvalidArgumentError, match="writes a revgan.Image"):
        revgan.imwrite(np.zeros((2, 2)), "x.nii.gz")
