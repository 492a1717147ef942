#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Before/after of a change: the training step of two or more revgan-bench builds, measured in one
# run, interleaved (every round runs each build once, in an order that rotates), so that the
# machine's drift (±30 % between runs here) falls on all of them alike. Prints, per configuration,
# each build's median and fastest seconds per step over the rounds and, against the first build,
# the median of the per-round ratios (each round's pair ran back to back: the figure to quote;
# a process's time can be bimodal here, so the fastest is shown too). JSON lines of every
# measurement go to OUT (default compare-builds.jsonl), each with "build" and "configuration".
#   Utilities/compare-builds.sh [-r ROUNDS] [-o OUT] [-c "CONFIGURATIONS"] LABEL=PATH/TO/revgan-bench LABEL=...
# The configurations use only options that revgan-bench has had since its first training table,
# so that builds of older commits take them:
#   main-3d    the main job's step: SRCNN+2R w32, 24^3, batch 4, paired L1, reversible (5 steps)
#   revgan-2d  the authors' configuration: unpaired RevGAN w32 d6, 128^2, with GAN, reversible (3 steps)
# A build of an older commit (Core only is enough):
#   git worktree add /tmp/before COMMIT && cmake -S /tmp/before -B /tmp/before-build -G Ninja \
#     -DCMAKE_BUILD_TYPE=Release -DREVGAN_CORE_ONLY=ON -DBUILD_TESTING=OFF && cmake --build /tmp/before-build --target revgan-bench
set -euo pipefail
rounds=5 out=compare-builds.jsonl configurations="main-3d revgan-2d"
while getopts "r:o:c:" flag; do
  case $flag in
    r) rounds=$OPTARG ;;
    o) out=$OPTARG ;;
    c) configurations=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[[ $# -ge 2 ]] || { echo "compare-builds: error: give at least two LABEL=PATH builds" >&2; exit 2; }
labels=() binaries=()
for build in "$@"; do
  [[ $build == *=* ]] || { echo "compare-builds: error: '$build' is not LABEL=PATH" >&2; exit 2; }
  labels+=("${build%%=*}") binaries+=("${build#*=}")
  [[ -x ${build#*=} ]] || { echo "compare-builds: error: '${build#*=}' is not an executable" >&2; exit 2; }
done
declare -A configuration=(
  [main-3d]="speed --dimensions 3 --models srcnn --depths 2 --sizes 24 --width 32 --batch-size 4 --gan-weight 0 --modes reversible --repeat 5"
  [revgan-2d]="speed --models revgan --width 32 --sizes 128 --depths 6 --modes reversible --repeat 3"
)
: > "$out.part"
count=${#labels[@]}
for ((round = 0; round < rounds; ++round)); do
  for name in $configurations; do
    [[ -n ${configuration[$name]:-} ]] || { echo "compare-builds: error: unknown configuration '$name'" >&2; exit 2; }
    for ((k = 0; k < count; ++k)); do
      i=$(((k + round) % count))
      echo "round $((round + 1))/$rounds: $name, ${labels[i]}" >&2
      # shellcheck disable=SC2086 # the configuration is a list of options
      "${binaries[i]}" ${configuration[$name]} --json | sed "s/^{/{\"build\":\"${labels[i]}\",\"configuration\":\"$name\",/" >> "$out.part"
    done
  done
done
mv "$out.part" "$out"
python3 - "$out" "${labels[@]}" << 'EOF'
import json, statistics, sys
path, labels = sys.argv[1], sys.argv[2:]
rows = [json.loads(line) for line in open(path)]
print(f"{'configuration':<12} {'build':<16} {'median s/step':>14} {'fastest':>9} {'rounds':>7} {'ratio to ' + labels[0]:>20}")
for name in dict.fromkeys(r["configuration"] for r in rows):
    times = {label: [r["seconds"] for r in rows if r["configuration"] == name and r["build"] == label] for label in labels}
    for label in labels:
        ratio = statistics.median(t / b for t, b in zip(times[label], times[labels[0]]))
        print(f"{name:<12} {label:<16} {statistics.median(times[label]):>14.4f} {min(times[label]):>9.4f}"
              f" {len(times[label]):>7} {ratio:>20.3f}")
EOF
