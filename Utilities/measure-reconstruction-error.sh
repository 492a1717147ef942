#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# How exactly the reversible core reconstructs its inputs during training, in float: trains the
# unpaired RevGAN on the bundled brain slices with revgan-train --monitor-reconstruction at each
# depth and prints, per depth, the largest absolute and relative error over all iterations and
# those of the last iteration (a table, or JSON lines with --json).
# Usage: Utilities/measure-reconstruction-error.sh [--json] [ITERATIONS] [DEPTH...]
#        (build first; defaults: 40 iterations, depths 6 9 12 18 30; about 2 minutes on 2 cores)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
json=0
[[ ${1:-} == --json ]] && { json=1; shift; }
iterations=${1:-40}
shift || true
depths=("$@")
[[ ${#depths[@]} -gt 0 ]] || depths=(6 9 12 18 30)
train=${REVGAN_TRAIN:-$repo/build/Applications/revgan-train}
data=${REVGAN_DATA_DIR:-$repo/Data/cache}
[[ -x $train ]] || { echo "measure-reconstruction-error: error: $train not found; build first" >&2; exit 1; }
[[ -f $data/BrainT1Slice.png ]] || { echo "measure-reconstruction-error: error: no test data in $data (bash Data/fetch-test-data.sh)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[[ $json -eq 1 ]] || printf '%-6s %-12s %14s %14s %14s %14s\n' depth iterations "max abs" "max relative" "last abs" "last relative"
for depth in "${depths[@]}"; do
  "$train" --objective unpaired --x "$data/BrainT1Slice.png" --y "$data/BrainProtonDensitySlice.png" \
    --output "$work/model.pt" --width 32 --depth "$depth" --patch-size 64 --samples-per-epoch "$iterations" \
    --epochs 1 --seed 1 --monitor-reconstruction --loss-log "$work/losses.csv" > /dev/null
  awk -F, -v depth="$depth" -v json="$json" '
    NR == 1 { for (i = 1; i <= NF; ++i) { if ($i == "reconstruction_error_core") a = i; if ($i == "reconstruction_relative_error_core") r = i }; next }
    { if ($a > maxA) maxA = $a; if ($r > maxR) maxR = $r; lastA = $a; lastR = $r; n++ }
    END {
      if (json) printf "{\"depth\":%d,\"iterations\":%d,\"max_abs\":%g,\"max_relative\":%g,\"last_abs\":%g,\"last_relative\":%g}\n", depth, n, maxA, maxR, lastA, lastR
      else printf "%-6d %-12d %14.3g %14.3g %14.3g %14.3g\n", depth, n, maxA, maxR, lastA, lastR
    }' "$work/losses.csv"
done
