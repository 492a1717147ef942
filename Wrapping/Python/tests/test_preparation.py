# SPDX-License-Identifier: Apache-2.0
"""The preparation steps against revgan-prepare's files on the real data."""

import numpy as np
import pytest

import revgan


def assert_same_image(a, b, rtol=0.0, atol=0.0):
    assert a.size == b.size and a.components == b.components and a.tensor == b.tensor
    np.testing.assert_allclose(a.array, b.array, rtol=rtol, atol=atol)
    np.testing.assert_allclose(a.spacing, b.spacing, rtol=1e-9)
    np.testing.assert_allclose(a.origin, b.origin, atol=1e-6)
    # (NIfTI keeps the direction as a float32 quaternion: about 1e-7.)
    np.testing.assert_allclose(a.direction, b.direction, atol=1e-6)


def prepared(programs, work, name, *arguments):
    path = work / f"prepared-{name}.nii.gz"
    programs("revgan-prepare", *arguments, "--output", path)
    return revgan.imread(path)


def test_shrink_degrade_resample_and_crop_equal_revgan_prepare(t1, programs, work):
    hr = revgan.imread(t1["hr"])
    assert_same_image(revgan.shrink(hr), prepared(programs, work, "shrink", "--task", "shrink", "--input", t1["hr"]))
    assert_same_image(revgan.degrade(hr, factor=2),
                      prepared(programs, work, "degrade", "--task", "degrade", "--input", t1["hr"]))
    coarse = revgan.imread(t1["coarse"])
    for interpolation in ("nearest", "linear", "bspline"):
        expected = prepared(programs, work, f"resample-{interpolation}", "--task", "resample", "--interpolation",
                            interpolation, "--input", t1["coarse"], "--reference", t1["hr"])
        assert_same_image(revgan.resample(coarse, hr, interpolation), expected, atol=1e-4)
    cropped = revgan.crop(hr, start=(10, 20, 5), extent=(30, 40, 12))
    assert_same_image(cropped, prepared(programs, work, "crop", "--task", "crop", "--input", t1["hr"], "--start",
                                        "10,20,5", "--extent", "30,40,12"))


def test_the_phantom_and_fitted_tensors_equal_revgan_prepare(data_dir, phantom, programs, work):
    t1 = revgan.imread(data_dir / "KmeansTest_T1UCharRaw.nii.gz")
    mask = revgan.imread(data_dir / "KmeansTest_T1RawSkullStrip.nii.gz")
    made = revgan.dti_phantom(t1, mask, size=(64, 64, 31))
    assert made.tensor
    assert_same_image(made, revgan.imread(phantom["phantom"]), rtol=1e-6, atol=1e-12)
    scan = data_dir / "small_64D.nii"
    fitted = revgan.dwi_to_dti(scan, bval=data_dir / "small_64D.bval", bvec=data_dir / "small_64D.bvec")
    expected = prepared(programs, work, "dti", "--task", "dti", "--input", scan, "--bval",
                        data_dir / "small_64D.bval", "--bvec", data_dir / "small_64D.bvec")
    assert_same_image(fitted, expected, rtol=1e-6, atol=1e-12)


def test_preparation_errors_are_clear(t1, data_dir):
    hr = revgan.imread(t1["hr"])
    with pytest.raises(revgan.InvalidArgumentError, match="reach outside the image of size"):
        revgan.crop(hr, start=(100, 0, 0), extent=(30, 10, 10))
    with pytest.raises(revgan.InvalidArgumentError, match="nearest, linear or bspline"):
        revgan.resample(hr, hr, "cubic")
    with pytest.raises(revgan.InvalidArgumentError, match="needs its b-values"):
        revgan.dwi_to_dti(data_dir / "small_64D.nii")
    with pytest.raises(revgan.Error, match="diffusion-weighted scan"):
        revgan.dwi_to_dti(t1["hr"], bval=data_dir / "small_64D.bval", bvec=data_dir / "small_64D.bvec")
