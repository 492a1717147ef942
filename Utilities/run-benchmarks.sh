#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the benchmark suite behind Documentation/Benchmarks.md on this machine's CPU and writes one
# JSON-lines file per table to OUTDIR (default: Documentation/benchmarks), then the plots
# (Utilities/plot-benchmarks.py, needs python3-matplotlib) to Documentation/images.
# Usage: Utilities/run-benchmarks.sh [OUTDIR]     (build first: cmake --build build)
# About 40 minutes on 2 cores. Run it on an otherwise idle machine: the figures are timings.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$repo/Documentation/benchmarks}
bench=${REVGAN_BENCH:-$repo/build/Applications/revgan-bench}
[[ -x $bench ]] || { echo "run-benchmarks: error: $bench not found; build the project first" >&2; exit 1; }
mkdir -p "$out"

benchmark() {
  local name=$1
  shift
  echo "== $name: revgan-bench $*" >&2
  "$bench" "$@" --json > "$out/$name.jsonl.part"
  mv "$out/$name.jsonl.part" "$out/$name.jsonl"
}

benchmark peak peak
benchmark memory-2d memory                                   # paper Table 5: 256², depths 6–30
benchmark memory-3d memory --dimensions 3                    # SRCNN+kR, k = 0…16, 24³ and 64³
benchmark speed-2d speed --depths 6 9 30 --repeat 3
benchmark speed-authors speed --models revgan resnet --width 32 --sizes 128 --depths 6 9 30 --repeat 5
benchmark speed-edsrf speed --dimensions 3 --models edsr-f --depths 8 --sizes 32 --repeat 5
# The authors' configuration with the recomputation chosen for a 1 GiB budget, and the main job's step
# in every gradient mode (issue 15), then where their time goes.
benchmark speed-budget speed --preset revgan-2d --depths 6 9 30 --memory-budget 1024 --repeat 5
benchmark speed-main-3d speed --preset main-3d --modes naive reversible-core reversible --repeat 7
benchmark profile profile --repeat 5
benchmark inference inference
# Data-parallel training, 1 and 2 processes of 1 thread; rounds interleaved, the efficiency the median
# of per-round ratios (about 20 minutes; fewer rounds leave it to the machine's drift).
benchmark distributed distributed --rounds 8 --steps 30
benchmark distributed-depth distributed --configurations main-3d --depths 2 4 8 --rounds 1 --steps 6

python=${PYTHON:-python3}   # a Python with matplotlib (Debian: python3-matplotlib)
if "$python" -c 'import matplotlib' 2>/dev/null; then
  "$python" "$repo/Utilities/plot-benchmarks.py" "$out" "$repo/Documentation/images"
else
  echo "run-benchmarks: $python has no matplotlib (apt-get install python3-matplotlib); plots not made" >&2
fi
