# SPDX-License-Identifier: Apache-2.0
"""revgan.translate and the metrics, against the programs' own files and figures."""

import threading
import time

import numpy as np
import pytest

import revgan


def test_translate_equals_revgan_translate_on_the_coarse_t1_scan(t1, t1_model, programs, work):
    expected = work / "translated-by-program.nii.gz"
    programs("revgan-translate", "--input", t1["coarse"], "--model", t1_model, "--output", expected, "--threads", "1")
    revgan.set_num_threads(1)
    result = revgan.translate(revgan.imread(t1["coarse"]), t1_model)
    program = revgan.imread(expected)
    # The coarse scan (64×64×31) is super-resolved onto its fine grid, the T1 volume's.
    assert result.size == (128, 128, 62) == program.size
    np.testing.assert_allclose(result.spacing, program.spacing)
    np.testing.assert_allclose(result.origin, program.origin, atol=1e-6)
    np.testing.assert_array_equal(result.array, program.array)
    # And the file it writes is the program's, value for value.
    revgan.imwrite(result, work / "translated-by-python.nii.gz")
    figures = programs.evaluate_json("--prediction", work / "translated-by-python.nii.gz", "--reference", expected)
    assert figures["rmse_total"] == 0


def test_both_directions_of_a_revgan_model_equal_revgan_translate(phantom, phantom_revgan, programs, work):
    # One set of weights, X→Y and Y→X, on DTI tensors.
    model = phantom_revgan
    predictor = revgan.load_predictor(model)
    assert predictor.dimensions == 3 and predictor.channels("forward") == (6, 6)
    for direction, source in (("forward", "lowres"), ("inverse", "phantom")):
        expected = work / f"phantom-{direction}.nii.gz"
        programs("revgan-translate", "--input", phantom[source], "--model", model, "--direction", direction,
                 "--patch-size", "16", "--overlap", "4", "--output", expected, "--threads", "1")
        revgan.set_num_threads(1)
        result = revgan.translate(revgan.imread(phantom[source]), predictor, direction=direction, patch_size=16,
                                  overlap=4)
        assert result.tensor
        np.testing.assert_array_equal(result.array, revgan.imread(expected).array)


def test_metrics_equal_revgan_evaluate(t1, t1_model, programs, work):
    prediction_file = work / "prediction.nii.gz"
    programs("revgan-translate", "--input", t1["coarse"], "--model", t1_model, "--output", prediction_file)
    expected = programs.evaluate_json("--prediction", prediction_file, "--reference", t1["hr"], "--mask", t1["mask"])
    figures = revgan.error_metrics(revgan.imread(prediction_file), revgan.imread(t1["hr"]),
                                   mask=revgan.imread(t1["mask"]))
    assert set(figures) == set(expected) - {"prediction", "reference"}
    for name, value in figures.items():
        assert value == pytest.approx(expected[name], rel=1e-5), name


def test_tensor_metrics_equal_revgan_evaluate(phantom, programs):
    expected = programs.evaluate_json("--prediction", phantom["lowres"], "--reference", phantom["phantom"], "--mask",
                                      phantom["mask"])
    low, reference, mask = (revgan.imread(phantom[name]) for name in ("lowres", "phantom", "mask"))
    figures = revgan.error_metrics(low, reference, mask=mask)
    figures.update(revgan.tensor_metrics(low, reference, mask=mask))
    assert set(figures) == set(expected) - {"prediction", "reference"}
    for name, value in figures.items():
        assert value == pytest.approx(expected[name], rel=1e-5, abs=1e-12), name


def test_progress_is_reported_and_the_gil_is_free_while_translating(t1, t1_model):
    coarse = revgan.imread(t1["coarse"])
    seen = []
    ticks = []
    running = threading.Event()

    def count():
        while not running.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    other = threading.Thread(target=count)
    other.start()
    try:
        revgan.translate(coarse, t1_model, patch_size=32, progress=seen.append)
    finally:
        running.set()
        other.join()
    assert seen and seen[-1] == pytest.approx(1.0) and seen == sorted(seen)
    assert len(ticks) > 20  # another Python thread kept running during the translation


def test_a_translation_in_pieces_equals_one_pass(t1, t1_model):
    coarse = revgan.imread(t1["coarse"])
    seen = []
    streamed = revgan.translate(coarse, t1_model, patch_size=32, pieces=3, progress=seen.append)
    np.testing.assert_array_equal(streamed.array, revgan.translate(coarse, t1_model, patch_size=32).array)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)


def test_an_exception_in_the_progress_callable_stops_the_translation(t1, t1_model):
    class Stop(Exception):
        pass

    def stop(fraction):
        raise Stop(fraction)

    with pytest.raises(Stop):
        revgan.translate(revgan.imread(t1["coarse"]), t1_model, patch_size=32, progress=stop)


def test_translation_errors_are_clear(t1, t1_model, work):
    coarse = revgan.imread(t1["coarse"])
    with pytest.raises(revgan.ModelFileError, match="missing.pt"):
        revgan.translate(coarse, work / "missing.pt")
    not_a_model = work / "not-a-model.pt"
    not_a_model.write_text("not a model")
    with pytest.raises(revgan.ModelFileError, match="not-a-model.pt"):
        revgan.load_predictor(not_a_model)
    with pytest.raises(revgan.InvalidArgumentError, match="the model is 3D but the image is 2D"):
        revgan.translate(revgan.Image(np.zeros((16, 16), dtype=np.float32)), t1_model)
    vectors = coarse.with_array(np.stack([coarse.array] * 2, axis=-1), is_vector=True)
    with pytest.raises(revgan.Error, match="2 component"):
        revgan.translate(vectors, t1_model)
    broken = coarse.array.copy()
    broken[3, 4, 5] = np.nan
    with pytest.raises(revgan.Error, match="NaN or infinite"):
        revgan.translate(coarse.with_array(broken), t1_model)
    with pytest.raises(revgan.Error, match="overlap 16 along axis 0 must be smaller than the patch size 16"):
        revgan.translate(coarse, t1_model, patch_size=16, overlap=16)
    with pytest.raises(revgan.InvalidArgumentError, match="patch_size needs 1 or 3 values"):
        revgan.translate(coarse, t1_model, patch_size=[16, 16])
    with pytest.raises(revgan.InvalidArgumentError, match="blending"):
        revgan.translate(coarse, t1_model, blending="median")


def test_metric_errors_are_clear(t1):
    hr = revgan.imread(t1["hr"])
    with pytest.raises(revgan.InvalidArgumentError, match="differs in size"):
        revgan.error_metrics(hr, revgan.imread(t1["coarse"]))
    moved = revgan.Image(hr.array, hr.spacing, tuple(o + 5.0 for o in hr.origin), hr.direction)
    with pytest.raises(revgan.InvalidArgumentError, match="origin"):
        revgan.error_metrics(hr, moved)
    assert revgan.error_metrics(hr, moved, check_geometry=False)["rmse_total"] == 0
    with pytest.raises(revgan.InvalidArgumentError, match="6 components"):
        revgan.tensor_metrics(hr, hr)


def test_a_2d_model_runs_over_a_volumes_slices_as_revgan_translate(t1, programs, work):
    # A 2D model trained on one real T1 slice from its coarse grid, applied to the coarse volume.
    programs("revgan-prepare", "--task", "crop", "--input", t1["hr"], "--start", "0,0,40", "--extent", "128,128,1",
             "--output", work / "slice-40.nii.gz")
    programs("revgan-prepare", "--task", "slices", "--input", work / "slice-40.nii.gz", "--output", work / "slice-40")
    hr_slice = work / "slice-40" / "slice-000.nii.gz"
    programs("revgan-prepare", "--task", "shrink", "--input", hr_slice, "--output", work / "slice-40-lr.nii.gz")
    model = work / "slices.pt"
    programs("revgan-train", "--x", work / "slice-40-lr.nii.gz", "--y", hr_slice, "--output", model, "--generator",
             "srcnn", "--residual", "--width", "8", "--depth", "2", "--patch-size", "16", "--samples-per-epoch", "16",
             "--epochs", "1", "--batch-size", "4", "--gan-weight", "0", "--seed", "3", "--threads", "1")
    expected = work / "slices-by-program.nii.gz"
    programs("revgan-translate", "--input", t1["coarse"], "--model", model, "--output", expected, "--threads", "1")
    revgan.set_num_threads(1)
    seen = []
    result = revgan.translate(revgan.imread(t1["coarse"]), model, progress=seen.append)
    program = revgan.imread(expected)
    assert result.size == program.size == (128, 128, 31)
    np.testing.assert_allclose(result.spacing, program.spacing)
    np.testing.assert_allclose(result.origin, program.origin, atol=1e-5)
    np.testing.assert_array_equal(result.array, program.array)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)


def test_the_translator_class_applies_its_model_and_settings_to_each_image(t1, t1_model):
    coarse = revgan.imread(t1["coarse"])
    translator = revgan.Translator(t1_model, patch_size=32, overlap=4)
    first = translator(coarse)
    np.testing.assert_array_equal(first.array, revgan.translate(coarse, t1_model, patch_size=32, overlap=4).array)
    translator.settings["direction"] = "inverse"
    assert translator(first).size == first.size  # the inverse runs on the fine grid as it is
    assert "srcnn 3D" in repr(translator)
    with pytest.raises(revgan.InvalidArgumentError, match="not both"):
        revgan.Translator(t1_model, predictor=lambda patches: patches)


def test_nrrd_measurement_frames_are_kept_through_python(phantom, programs, work):
    # An oblique phantom written as NRRD gets a measurement frame (its direction); reading it and
    # writing it again from Python gives the file revgan-prepare gives for the same round trip.
    tensors = revgan.imread(phantom["phantom"])
    angle = 0.5
    rotation = np.array([[np.cos(angle), 0.0, -np.sin(angle)], [0.0, 1.0, 0.0], [np.sin(angle), 0.0, np.cos(angle)]])
    oblique = revgan.Image(tensors.array, tensors.spacing, tensors.origin, rotation, tensor=True)
    source = work / "oblique.nrrd"
    revgan.imwrite(oblique, source)
    header = source.read_bytes().split(b"\n\n")[0].decode()
    assert "measurement frame:" in header
    again = work / "oblique-again.nrrd"
    revgan.imwrite(revgan.imread(source), again)
    program = work / "oblique-program.nrrd"
    programs("revgan-prepare", "--task", "crop", "--input", source, "--start", "0,0,0", "--extent", "64,64,31",
             "--output", program)
    frame = [line for line in header.splitlines() if line.startswith("measurement frame:")]
    for path in (again, program):
        assert [line for line in path.read_bytes().split(b"\n\n")[0].decode().splitlines()
                if line.startswith("measurement frame:")] == frame
    np.testing.assert_allclose(revgan.imread(again).array, revgan.imread(program).array, rtol=0, atol=0)
    np.testing.assert_allclose(revgan.imread(again).array, oblique.array, rtol=1e-6, atol=1e-12)
