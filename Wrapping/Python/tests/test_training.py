# SPDX-License-Identifier: Apache-2.0
"""revgan.train: revgan-train's training as one call, with the program's options and results."""

import os
import pickle
import re
import signal
import subprocess
import warnings

import pytest
import torch

import revgan

# The t1_model fixture's options (conftest.py), as keyword arguments, with validation on.
T1_OPTIONS = dict(generator="srcnn", residual=True, width=8, depth=2, patch_size=16, samples_per_epoch=32, epochs=1,
                  batch_size=4, gan_weight=0, seed=3, threads=1, validation_fraction=0.1)


def _command_line(options):
    arguments = []
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        arguments += [flag] if value is True else [flag, str(value)]
    return arguments


def test_train_writes_the_model_file_the_program_writes(t1, programs, work):
    programs("revgan-train", "--x", t1["coarse"], "--y", t1["hr"], "--x-masks", t1["mask"], "--output",
             work / "train-program.pt", *_command_line(T1_OPTIONS))
    progress = []
    result = revgan.train(t1["coarse"], t1["hr"], work / "train-python.pt", x_masks=t1["mask"],
                          progress=progress.append, **T1_OPTIONS)
    assert (work / "train-python.pt").read_bytes() == (work / "train-program.pt").read_bytes()
    assert result.outcome == "finished" and result.output == str(work / "train-python.pt")
    assert not hasattr(result, "no_such_figure") and pickle.loads(pickle.dumps(result)) == result
    assert result.kept_best is not None and result.kept_best[0] > 0
    # One record per iteration: 32 samples in batches of 4.
    assert [p["iteration"] for p in progress] == list(range(1, 9))
    last = progress[-1]
    assert last["epoch"] == 1 and last["epochs"] == 1 and last["iterations_per_epoch"] == 8
    assert set(last["losses"]) == {"generator", "l1_xy", "l1_yx"}
    assert last["validation_rmse"] == pytest.approx(last["best_validation"][0]) or last["best_validation"]


def test_images_in_memory_train_as_their_files(t1, work):
    revgan.train(revgan.imread(t1["coarse"]), [revgan.imread(t1["hr"])], work / "train-images.pt",
                 x_masks=revgan.imread(t1["mask"]), **T1_OPTIONS)
    revgan.train(t1["coarse"], t1["hr"], work / "train-files.pt", x_masks=t1["mask"], **T1_OPTIONS)
    from_images = revgan.load_model(work / "train-images.pt").state_dict()
    from_files = revgan.load_model(work / "train-files.pt").state_dict()
    assert all(torch.equal(from_images[name], from_files[name]) for name in from_files)


def test_ctrl_c_leaves_a_checkpoint_that_the_program_resumes_exactly(t1, programs, work):
    options = dict(T1_OPTIONS, epochs=2, validation_fraction=0)
    checkpoint = work / "interrupted.checkpoint"

    def interrupt(record):
        # Ctrl-C as the terminal sends it: SIGINT to the process, during the 5th iteration's report.
        if record["epoch"] == 1 and record["iteration"] == 5:
            os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(KeyboardInterrupt, match=r"stopped at epoch 1, iteration 5; checkpoint written to"):
        revgan.train(t1["coarse"], t1["hr"], work / "interrupted.pt", x_masks=t1["mask"], checkpoint=checkpoint,
                     progress=interrupt, **options)
    assert checkpoint.is_file() and not (work / "interrupted.pt").exists()
    data = ["--x", t1["coarse"], "--y", t1["hr"], "--x-masks", t1["mask"]]
    programs("revgan-train", *data, "--output", work / "resumed.pt", "--resume", checkpoint, *_command_line(options))
    programs("revgan-train", *data, "--output", work / "uninterrupted.pt", *_command_line(options))
    assert (work / "resumed.pt").read_bytes() == (work / "uninterrupted.pt").read_bytes()


def test_an_exception_of_the_progress_callable_stops_training_with_a_checkpoint(t1, work):
    class Enough(Exception):
        pass

    def stop(record):
        if record["iteration"] == 3:
            raise Enough()

    with pytest.raises(Enough):
        revgan.train(t1["coarse"], t1["hr"], work / "stopped.pt", x_masks=t1["mask"], progress=stop, **T1_OPTIONS)
    assert (work / "stopped.pt.checkpoint").is_file() and not (work / "stopped.pt").exists()
    # And resume= continues it to the end.
    result = revgan.train(t1["coarse"], t1["hr"], work / "stopped.pt", x_masks=t1["mask"],
                          resume=work / "stopped.pt.checkpoint", **T1_OPTIONS)
    assert result.outcome == "finished" and (work / "stopped.pt").is_file()


def test_a_diverging_run_warns_and_keeps_its_best_weights(t1, work):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = revgan.train(t1["coarse"], t1["hr"], work / "diverged.pt", x_masks=t1["mask"],
                              **dict(T1_OPTIONS, learning_rate=1.0, warmup_iterations=0, spike_factor=1.01,
                                     samples_per_epoch=400))
    assert result.outcome == "diverged" and result.kept_best is not None, result
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert any("training diverged and stopped early" in m for m in messages), messages


def test_bad_options_are_clear_errors(t1, work):
    with pytest.raises(TypeError, match="unexpected keyword argument 'gan_wieght'"):
        revgan.train(t1["coarse"], t1["hr"], work / "bad.pt", gan_wieght=0)
    with pytest.raises(revgan.InvalidArgumentError, match="--learning-rate"):
        revgan.train(t1["coarse"], t1["hr"], work / "bad.pt", learning_rate=-1)
    with pytest.raises(revgan.Error, match="'.*missing.nii.gz': file missing or unreadable"):
        revgan.train(work / "missing.nii.gz", t1["hr"], work / "bad.pt")
    with pytest.raises(TypeError, match="paths or revgan.Images"):
        revgan.train(42, t1["hr"], work / "bad.pt")
    assert not (work / "bad.pt").exists()


def test_every_option_of_the_one_table_reaches_the_program_slicer_and_python(programs):
    """revgan-train's parameters are declared once (describeTrain); each appears in the program's
    --help, its 3D Slicer description, and revgan.train's documentation and keyword arguments."""
    parameters = revgan._revgan._train_parameters()
    assert len(parameters) > 50
    help_text = programs("revgan-train", "--help")
    xml = programs("revgan-train", "--xml")
    for name, kind, default, description, choices in parameters:
        assert "--" + name.replace("_", "-") in help_text, name
        assert f"<longflag>--{name}</longflag>" in xml or f"<name>{name}</name>" in xml, name
        assert re.search(rf"^\s+{name} \({kind}", revgan.train.__doc__, re.M), name
        if name not in ("x", "y", "output"):
            # Accepted as a keyword argument (the run then fails on the missing image, not the name).
            with pytest.raises(revgan.Error):
                revgan.train("missing-x.nii.gz", "missing-y.nii.gz", "never-written.pt",
                             **{name: _sample_value(kind, default, choices)})


def _sample_value(kind, default, choices):
    if kind == "boolean":
        return True
    if choices:
        return choices[0]
    return default if default is not None else "1"


def test_train_under_torchrun_is_the_programs_data_parallel_job(t1, programs, work):
    """revgan.train in a script started by Debian's torchrun (2 processes) writes the model file
    that revgan-train writes under torchrun with the same options."""
    options = dict(T1_OPTIONS, batch_size=2, validation_fraction=0)
    script = work / "train_job.py"
    script.write_text("import sys, revgan\n"
                      f"revgan.train({str(t1['coarse'])!r}, {str(t1['hr'])!r}, sys.argv[1], "
                      f"x_masks={str(t1['mask'])!r}, **{options!r})\n")
    # Debian 12's torchrun (torch 1.13, Python 3.11) fails at start unless --redirects and --tee
    # name one stream; it takes only the underscore spellings of its options.
    launcher = ["torchrun", "--standalone", "--nproc_per_node", "2", "--redirects", "2", "--tee", "2"]

    def run(*arguments, logs):
        completed = subprocess.run([*launcher, "--log_dir", str(work / logs), *map(str, arguments)],
                                   capture_output=True, text=True)
        assert completed.returncode == 0, completed.stderr[-2000:]

    run(script, work / "torchrun-python.pt", logs="torchrun-python-logs")
    program = os.path.join(os.environ["REVGAN_APPLICATION_DIR"], "revgan-train")
    run("--no_python", program, "--x", t1["coarse"], "--y", t1["hr"], "--x-masks", t1["mask"], "--output",
        work / "torchrun-program.pt", *_command_line(options), logs="torchrun-program-logs")
    assert (work / "torchrun-python.pt").read_bytes() == (work / "torchrun-program.pt").read_bytes()
