#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Plots the JSON lines of `revgan-bench memory` / `speed` (as written by run-benchmarks.sh).

Usage: plot-benchmarks.py RESULTS_DIR IMAGE_DIR
       plot-benchmarks.py --tables RESULTS_DIR     (Markdown tables of every file, for the docs)

Writes to IMAGE_DIR:
  memory-vs-depth.png   activation memory of a full unpaired training step (256x256) per core
                        depth: RevGAN reversible and naive, CycleGAN, next to the paper's Table 5
  time-vs-depth.png     seconds per training step per depth, same models
  memory-3d.png         activation memory of SRCNN+kR training steps per k, 24^3 and 64^3
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Paper Table 5 (Maps, 256x256, Tesla K40), activations in MiB.
PAPER_DEPTHS = [6, 9, 12, 18, 30]
PAPER_CYCLEGAN = [752.0, 949.0, 1148.1, 1543.9, 2335.8]
PAPER_REVGAN = [646.1] * 5
MIB = 1024.0 * 1024.0


def read_rows(path):
    if not path.exists():
        sys.exit(f"plot-benchmarks: error: {path} not found (run Utilities/run-benchmarks.sh first)")
    rows = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as error:
            sys.exit(f"plot-benchmarks: error: {path}:{number}: not JSON ({error})")
    return rows


# Files written before revgan-bench took its model names from the generator table call resnet cyclegan.
FORMER_NAMES = {"cyclegan": "resnet"}


def series(rows, model, mode, key, **match):
    chosen = [r for r in rows if FORMER_NAMES.get(r["model"], r["model"]) == model and r["mode"] == mode
              and all(r.get(k) == v for k, v in match.items())]
    chosen.sort(key=lambda r: r["depth"])
    return [r["depth"] for r in chosen], [key(r) for r in chosen]


def styled_axes(title, xlabel, ylabel):
    figure, axes = plt.subplots(figsize=(6.4, 4.4), dpi=110)
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.grid(True, alpha=0.3)
    return figure, axes


def save(figure, axes, path):
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    print(f"wrote {path}")


MODELS_2D = [("revgan", "reversible", "RevGAN w56, reversible", "tab:blue"),
             ("revgan", "naive", "RevGAN w56, naive autograd", "tab:orange"),
             ("resnet", "naive", "CycleGAN's ResNet w32", "tab:red")]


def print_tables(results):
    """One Markdown table per JSON-lines file, with the figures Benchmarks.md quotes."""
    for path in sorted(results.glob("*.jsonl")):
        rows = read_rows(path)
        print(f"\n### {path.stem}\n")
        if path.stem == "peak":
            for r in rows:
                print(f"sgemm {r['size']}x{r['size']}: {r['sgemm_gflops']:.1f} GFLOP/s ({r['threads']} threads)")
            continue
        if path.stem == "inference":
            print("| voxels | seconds | network s | voxels/s | outside network | GFLOP/s | % sgemm |")
            print("|---:|---:|---:|---:|---:|---:|---:|")
            for r in rows:
                print(f"| {r['voxels']} | {r['seconds']:.2f} | {r['network_seconds']:.2f} | "
                      f"{r['voxels_per_second']:.0f} | {100 * r['outside_network_share']:.1f} % | "
                      f"{r['gflops']:.1f} | {100 * r['gflops'] / r['sgemm_gflops']:.0f} % |")
            continue
        if path.stem == "profile":
            print("| configuration | depth | mode | category | detail | calls | ms/step | % of step | in recomputation ms |")
            print("|---|---:|---|---|---|---:|---:|---:|---:|")
            for r in rows:
                share = 100 * r["seconds"] / r["profiled_step_seconds"]
                calls = r["calls"] if r["calls"] else ""
                recomputation = f"{1e3 * r['recomputation_seconds']:.1f}" if r["recomputation_seconds"] else ""
                print(f"| {r['configuration']} | {r['depth']} | {r['mode']} | {r['category']} | {r['detail']} | "
                      f"{calls} | {1e3 * r['seconds']:.1f} | {share:.1f} | {recomputation} |")
            continue
        if path.stem.startswith("distributed"):
            print("| configuration | depth | processes | s/iteration | samples/s | in all-reduce | efficiency | "
                  "peak activations per process MiB |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
            for r in rows:
                print(f"| {r['configuration']} | {r['depth']} | {r['ranks']} | {r['seconds_per_iteration']:.3f} | "
                      f"{r['samples_per_second']:.2f} | {r['communication_seconds_per_iteration']:.3f} s | "
                      f"{r['scaling_efficiency']:.2f} | {r['peak_activation_bytes'] / MIB:.1f} |")
            continue
        print("| model | mode | depth | size | params MiB | peak activations MiB | s/step | GFLOP/s | % sgemm "
              "| reversible / naive |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            ratio = f"{r['ratio_to_naive']:.2f}" if "ratio_to_naive" in r else ""
            print(f"| {r['model']} w{r['width']} | {r['mode']} | {r['depth']} | {r['size']} | "
                  f"{r['param_bytes'] / MIB:.2f} | {r['peak_activation_bytes'] / MIB:.1f} | {r['seconds']:.3f} | "
                  f"{r['gflops']:.1f} | {100 * r['gflops'] / r['sgemm_gflops']:.0f} | {ratio} |")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--tables":
        print_tables(Path(sys.argv[2]))
        return
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    results, images = Path(sys.argv[1]), Path(sys.argv[2])
    images.mkdir(parents=True, exist_ok=True)

    memory = read_rows(results / "memory-2d.jsonl")
    figure, axes = styled_axes("Activation memory of one unpaired training step, 256x256",
                               "core depth (blocks)", "peak activations (MiB)")
    for model, mode, label, colour in MODELS_2D:
        depths, values = series(memory, model, mode, lambda r: r["peak_activation_bytes"] / MIB)
        axes.plot(depths, values, "o-", color=colour, label=f"{label} (ours)")
    axes.plot(PAPER_DEPTHS, PAPER_CYCLEGAN, "s--", color="tab:red", alpha=0.5, label="CycleGAN (paper Table 5)")
    axes.plot(PAPER_DEPTHS, PAPER_REVGAN, "s--", color="tab:blue", alpha=0.5, label="RevGAN (paper Table 5)")
    save(figure, axes, images / "memory-vs-depth.png")

    figure, axes = styled_axes("Time of one unpaired training step, 256x256",
                               "core depth (blocks)", "seconds per step")
    for model, mode, label, colour in MODELS_2D:
        depths, values = series(memory, model, mode, lambda r: r["seconds"])
        axes.plot(depths, values, "o-", color=colour, label=label)
    save(figure, axes, images / "time-vs-depth.png")

    volumes = read_rows(results / "memory-3d.jsonl")
    figure, axes = styled_axes("Activation memory of one paired SRCNN+kR training step",
                               "reversible blocks k", "peak activations (MiB)")
    for size, marker in ((24, "o"), (64, "s")):
        for mode, colour in (("reversible", "tab:blue"), ("naive", "tab:orange")):
            depths, values = series(volumes, "srcnn", mode, lambda r: r["peak_activation_bytes"] / MIB, size=size)
            axes.plot(depths, values, marker + "-", color=colour, label=f"{size}³ patches, {mode}")
    axes.set_yscale("log")
    save(figure, axes, images / "memory-3d.png")


if __name__ == "__main__":
    main()
