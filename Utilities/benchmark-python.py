#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""How much the Python package costs against the program: `import revgan`, and revgan.translate
against revgan-translate on the same file, each from its own process, interleaved and repeated.

Usage (Debian's python3; after the build):
    /usr/bin/python3 Utilities/benchmark-python.py [--model M] [--input X] [--repeats N] [--threads T] [--json]

By default the main job's held-out volume and its SRCNN+2R model (bash Utilities/run-main-job.sh makes
them), with the main job's patch settings. Each repeat runs the program and the Python script once,
in alternating order, each reading the input and writing an output file; the figures are the
medians. The Python script's time includes `import revgan` (reported on its own too), so
"translate" is its time less the import's median.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

root = Path(__file__).resolve().parent.parent


def timed(command, environment):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=root / "build/main-job/srcnn-2r.pt", type=Path)
    parser.add_argument("--input", default=root / "build/main-job/lr_grid_test.nii.gz", type=Path)
    parser.add_argument("--build", default=root / "build", type=Path)
    parser.add_argument("--repeats", default=5, type=int)
    parser.add_argument("--threads", default=0, type=int, help="threads of both (0: all)")
    parser.add_argument("--patch-size", default=48, type=int)
    parser.add_argument("--overlap", default=8, type=int)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    arguments = parser.parse_args()
    for path in (arguments.model, arguments.input):
        if not path.is_file():
            sys.exit(f"benchmark-python: '{path}' is missing (bash Utilities/run-main-job.sh makes the defaults)")
    environment = dict(os.environ, PYTHONPATH=str(arguments.build / "Wrapping/Python"), PYTHONDONTWRITEBYTECODE="1")
    python = "/usr/bin/python3"
    with tempfile.TemporaryDirectory() as work:
        program = [str(arguments.build / "Applications/revgan-translate"), "--input", str(arguments.input), "--model",
                   str(arguments.model), "--output", f"{work}/program.nii.gz", "--patch-size",
                   str(arguments.patch_size), "--overlap", str(arguments.overlap), "--threads", str(arguments.threads)]
        script = [python, "-c",
                  "import sys, revgan; revgan.set_num_threads(int(sys.argv[5])); revgan.imwrite(revgan.translate("
                  "revgan.imread(sys.argv[1]), sys.argv[2], patch_size=int(sys.argv[3]), overlap=int(sys.argv[4])), "
                  "sys.argv[6])", str(arguments.input), str(arguments.model), str(arguments.patch_size),
                  str(arguments.overlap), str(arguments.threads), f"{work}/python.nii.gz"]
        importing = [python, "-c", "import revgan"]
        timed(script, environment)  # warm the file cache
        times = {"program": [], "python": [], "import": []}
        for repeat in range(arguments.repeats):
            order = ("program", "python") if repeat % 2 == 0 else ("python", "program")
            for name in order:
                times[name].append(timed(program if name == "program" else script, environment))
            times["import"].append(timed(importing, environment))
    medians = {name: statistics.median(values) for name, values in times.items()}
    figures = {
        "input": str(arguments.input),
        "repeats": arguments.repeats,
        "program_s": medians["program"],
        "python_s": medians["python"],
        "import_s": medians["import"],
        "python_without_import_s": medians["python"] - medians["import"],
        "ratio_python_to_program": medians["python"] / medians["program"],
        "ratio_without_import": (medians["python"] - medians["import"]) / medians["program"],
        "spread_program_s": [min(times["program"]), max(times["program"])],
        "spread_python_s": [min(times["python"]), max(times["python"])],
    }
    if arguments.json:
        print(json.dumps(figures))
        return
    print(f"{arguments.input.name}, {arguments.repeats} interleaved repeats, medians:")
    print(f"  revgan-translate            {figures['program_s']:.3f} s")
    print(f"  python: import + translate  {figures['python_s']:.3f} s  (ratio {figures['ratio_python_to_program']:.3f})")
    print(f"  import revgan               {figures['import_s']:.3f} s")
    print(f"  python without the import   {figures['python_without_import_s']:.3f} s  "
          f"(ratio {figures['ratio_without_import']:.3f})")


if __name__ == "__main__":
    main()
