# SPDX-License-Identifier: Apache-2.0
"""Fixtures of the revgan package's tests: the real data, the toolkit's programs, and small models
trained by revgan-train once per session (the programs are the reference the package must equal)."""

import json
import os
import subprocess
from pathlib import Path

import pytest


def _required_folder(variable):
    # A test that is skipped because the build did not provide what it promised would hide a
    # broken build: missing data or programs fail the run.
    value = os.environ.get(variable)
    if not value or not Path(value).is_dir():
        pytest.fail(f"{variable} is not set to a folder (run the tests through ctest)", pytrace=False)
    return Path(value)


@pytest.fixture(scope="session")
def data_dir():
    folder = _required_folder("REVGAN_DATA_DIR")
    for name in ("KmeansTest_T1UCharRaw.nii.gz", "KmeansTest_T1RawSkullStrip.nii.gz"):
        if not (folder / name).is_file():
            pytest.fail(f"{folder / name} is missing (bash Data/fetch-test-data.sh)", pytrace=False)
    return folder


@pytest.fixture(scope="session")
def programs():
    folder = _required_folder("REVGAN_APPLICATION_DIR")

    def run(program, *arguments):
        completed = subprocess.run([str(folder / program), *map(str, arguments)], capture_output=True, text=True)
        if completed.returncode != 0:
            raise AssertionError(f"{program} failed: {completed.stderr}")
        return completed.stdout

    run.evaluate_json = lambda *arguments: json.loads(run("revgan-evaluate", *arguments, "--json"))
    return run


@pytest.fixture(scope="session")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("revgan")


@pytest.fixture(scope="session")
def t1(data_dir, programs, work):
    """The real T1 volume cropped to 128×128×62, its brain mask, and its 2× block averages on
    their own coarse grid."""
    files = {name: work / f"t1-{name}.nii.gz" for name in ("hr", "mask", "coarse")}
    programs("revgan-prepare", "--task", "crop", "--input", data_dir / "KmeansTest_T1UCharRaw.nii.gz",
             "--start", "0,0,0", "--extent", "128,128,62", "--output", files["hr"])
    programs("revgan-prepare", "--task", "crop", "--input", data_dir / "KmeansTest_T1RawSkullStrip.nii.gz",
             "--start", "0,0,0", "--extent", "128,128,62", "--output", files["mask"])
    programs("revgan-prepare", "--task", "shrink", "--input", files["hr"], "--output", files["coarse"])
    return files


@pytest.fixture(scope="session")
def t1_model(t1, programs, work):
    """SRCNN+2R trained briefly from the coarse T1 scan (a super-resolution model)."""
    model = work / "t1.pt"
    programs("revgan-train", "--x", t1["coarse"], "--y", t1["hr"], "--x-masks", t1["mask"], "--output", model,
             "--generator", "srcnn", "--residual", "--width", "8", "--depth", "2", "--patch-size", "16",
             "--samples-per-epoch", "32", "--epochs", "1", "--batch-size", "4", "--gan-weight", "0", "--seed", "3",
             "--threads", "1")
    return model


@pytest.fixture(scope="session")
def phantom(data_dir, programs, work):
    """The DTI phantom in the T1 volume's geometry, its mask, and its degraded copy."""
    files = {name: work / f"phantom-{name}.nii.gz" for name in ("phantom", "lowres", "mask")}
    programs("revgan-prepare", "--task", "phantom", "--t1", data_dir / "KmeansTest_T1UCharRaw.nii.gz", "--mask",
             data_dir / "KmeansTest_T1RawSkullStrip.nii.gz", "--size", "64,64,31", "--output", files["phantom"])
    programs("revgan-prepare", "--task", "degrade", "--input", files["phantom"], "--output", files["lowres"])
    programs("revgan-prepare", "--task", "resample", "--interpolation", "nearest", "--input",
             data_dir / "KmeansTest_T1RawSkullStrip.nii.gz", "--reference", files["phantom"], "--output",
             files["mask"])
    return files


@pytest.fixture(scope="session")
def phantom_revgan(phantom, programs, work):
    """A RevGAN (one set of weights both ways) trained briefly on the DTI phantom."""
    model = work / "phantom-revgan.pt"
    programs("revgan-train", "--x", phantom["lowres"], "--y", phantom["phantom"], "--output", model, "--generator",
             "revgan", "--width", "8", "--depth", "2", "--patch-size", "16", "--samples-per-epoch", "8", "--epochs", "1",
             "--batch-size", "4", "--gan-weight", "0", "--seed", "5", "--threads", "1")
    return model
