#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The depth study's figure: held-out interior RMSE of SRCNN+kR against k (mean and standard
deviation over seeds, one line per loss), the interpolation baselines as horizontal lines, and the
activation memory of each model's training step (reversible and plain autograd) on a second axis.

Usage: plot-depth-study.py WORK_DIR OUTPUT.png [SUBJECT]
  WORK_DIR is what Utilities/run-depth-study.sh writes: runs.csv, memory.jsonl (or, for the GAN
  loss alone, memory-gan.jsonl) and the interpolations' nearest.json, linear.json, bspline.json. SUBJECT: phantom (default) or t1.

Needs Debian's python3-matplotlib.
"""
import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

# Per subject: the factor RMSE is shown at, its unit, the figure's title.
SUBJECTS = {
    "phantom": (1e5, "10$^{-5}$ mm$^2$/s", "DTI phantom"),
    "t1": (1.0, "T1 intensity, 0-255", "real T1 scan, held-out slices"),
}
# Per loss of runs.csv: its name in the legend and its colour (green and red are the memory lines').
LOSSES = {
    "l1": ("L1", "tab:orange"),
    "l1-log": ("L1, log-Euclidean domain", "tab:purple"),
    "gan": ("GAN + L1", "tab:blue"),
}


def read(path):
    try:
        return path.read_text()
    except OSError as error:
        sys.exit(f"plot-depth-study: error: '{path}' cannot be read: {error.strerror}")


def main():
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] not in SUBJECTS):
        sys.exit(__doc__)
    work, output = Path(sys.argv[1]), Path(sys.argv[2])
    scale, unit, subject = SUBJECTS[sys.argv[3] if len(sys.argv) == 4 else "phantom"]
    runs = defaultdict(lambda: defaultdict(list))  # loss -> depth -> interior RMSE of each seed
    for row in csv.DictReader(read(work / "runs.csv").splitlines()):
        match = re.fullmatch(r"srcnn\+(\d+)r", row["model"])
        if match:
            runs[row["loss"]][int(match.group(1))].append(float(row["rmse_interior"]))
    if not runs:
        sys.exit(f"plot-depth-study: error: '{work / 'runs.csv'}' holds no SRCNN+kR runs")
    unknown = sorted(set(runs) - set(LOSSES))
    if unknown:
        sys.exit(f"plot-depth-study: error: '{work / 'runs.csv'}' holds runs of unknown losses {unknown} "
                 f"(known: {', '.join(LOSSES)})")
    # The L1 runs' memory where the study measured it; a study of the GAN loss alone has only that
    # loss's (the same for the reversible SRCNN+kR, a few MiB more where the generator's step is small).
    kept = [work / name for name in ("memory.jsonl", "memory-gan.jsonl") if (work / name).is_file()]
    if not kept:
        sys.exit(f"plot-depth-study: error: '{work}' holds neither memory.jsonl nor memory-gan.jsonl")
    memory = defaultdict(dict)  # mode -> depth -> MiB
    for line in read(kept[0]).splitlines():
        entry = json.loads(line)
        if entry["model"] == "srcnn":
            memory[entry["mode"]][entry["depth"]] = entry["peak_activation_bytes"] / 2**20

    figure, axis = plt.subplots(figsize=(7, 4.8), dpi=120)
    for loss, by_depth in ((loss, runs[loss]) for loss in LOSSES if loss in runs):
        depths = sorted(by_depth)
        means = [scale * np.mean(by_depth[k]) for k in depths]
        spreads = [scale * np.std(by_depth[k], ddof=1) if len(by_depth[k]) > 1 else 0.0 for k in depths]
        seeds = max(len(by_depth[k]) for k in depths)
        name, colour = LOSSES[loss]
        axis.errorbar(depths, means, yerr=spreads, marker="o", capsize=4, color=colour,
                      label=f"SRCNN+kR, {name} ({seeds} seeds)")
    for name, style in (("nearest", ":"), ("linear", "-."), ("bspline", "--")):
        value = json.loads(read(work / f"{name}.json"))["rmse_interior"]
        axis.axhline(scale * value, color="grey", linestyle=style,
                     label={"nearest": "nearest neighbour", "linear": "trilinear", "bspline": "cubic B-spline"}[name])
    axis.set_xlabel("reversible blocks k")
    axis.set_ylabel(f"held-out interior RMSE ({unit})")
    axis.set_xticks(sorted({k for by_depth in runs.values() for k in by_depth}))
    memory_axis = axis.twinx()
    for mode, colour in (("reversible", "tab:green"), ("naive", "tab:red")):
        if memory[mode]:
            depths = sorted(memory[mode])
            memory_axis.plot(depths, [memory[mode][k] for k in depths], color=colour, marker="s", alpha=0.6,
                             label=f"activation memory, {'reversible' if mode == 'reversible' else 'plain autograd'}")
    memory_axis.set_ylabel("activation memory of a training step (MiB)")
    memory_axis.set_ylim(bottom=0)
    handles = axis.get_legend_handles_labels()
    extra = memory_axis.get_legend_handles_labels()
    figure.legend(handles[0] + extra[0], handles[1] + extra[1], fontsize=7, loc="lower center", ncol=3)
    axis.set_title(f"{subject}, 2x super-resolution: error and memory against depth", fontsize=10)
    figure.tight_layout(rect=(0, 0.12, 1, 1))
    temporary = output.with_name(output.name + ".partial.png")
    figure.savefig(temporary)
    temporary.replace(output)
    print(f"plot-depth-study: wrote {output}")


if __name__ == "__main__":
    main()
