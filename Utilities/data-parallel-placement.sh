#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Where does a 2-process data-parallel job on one machine lose time? Per round, in turn:
#   single       one process alone (a job of 1);
#   job          a job of 2 processes, placed by the kernel;
#   job-pinned   a job of 2 processes, each bound to its own core (taskset);
#   independent  two jobs of 1 process side by side (the cost of two busy processes without any
#                synchronisation between them).
# Every process is revgan-bench's data-parallel worker (the main job's 3D configuration by default,
# 1 thread per process), joined from the environment as torchrun starts it. With linux-perf installed,
# each process's task-clock, context switches and CPU migrations are recorded too.
# Prints per kind the median s/iteration over rounds and the median of the per-round ratios
# single / kind (for the jobs of 2: their scaling efficiency; for two independent processes: what the
# machine gives each of two busy processes), and per process the medians of the counters; the
# per-process lines go to OUT (default build/data-parallel-placement.txt).
# Settings (environment): ROUNDS (8), STEPS (30 measured iterations), CONFIGURATION (main-3d), OUT.
# Usage: Utilities/data-parallel-placement.sh   (needs the built revgan-bench and taskset)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/build/Applications/revgan-bench"
rounds=${ROUNDS:-8} steps=${STEPS:-30} configuration=${CONFIGURATION:-main-3d}
out=${OUT:-$root/build/data-parallel-placement.txt}
[[ -x $bench ]] || { echo "data-parallel-placement: $bench is missing: build the toolkit first" >&2; exit 1; }
(($(nproc) >= 2)) || { echo "data-parallel-placement: needs 2 cores, this machine has $(nproc)" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
: > "$out"
port=$((29600 + RANDOM % 1000))
perf_stat=()
command -v perf > /dev/null && perf_stat=(perf stat -x, -e task-clock,context-switches,cpu-migrations)

worker() { # NAME RANK PROCESSES CORE|- PORT: one process; rank 0 writes NAME.txt ("s/it comm peak" per rank)
  local bind=() counters=()
  [[ $4 != - ]] && bind=(taskset -c "$4")
  ((${#perf_stat[@]})) && counters=("${perf_stat[@]}" -o "$scratch/$1.rank$2.perf")
  RANK=$2 LOCAL_RANK=$2 WORLD_SIZE=$3 LOCAL_WORLD_SIZE=$3 MASTER_ADDR=127.0.0.1 MASTER_PORT=$5 \
    "${counters[@]}" "${bind[@]}" "$bench" distributed --worker-result "$scratch/$1.txt" \
    --configurations "$configuration" --warmup 2 --steps "$steps" --threads 1
}
record() { # KIND ROUND NAME...: one line per process
  local kind=$1 round=$2 name rank seconds communication
  shift 2
  for name in "$@"; do
    read -r seconds communication _ < "$scratch/$name.txt"
    for rank in 0 1; do
      local perf_file="$scratch/$name.rank$rank.perf" counters=""
      [[ -f $perf_file ]] || continue
      [[ -s $perf_file ]] && counters=$(awk -F, '$3 ~ /task-clock|context-switches|cpu-migrations/ { printf " %s %s", $3, $1 }' "$perf_file")
      echo "$kind round $round process $name.rank$rank s/it $seconds comm $communication$counters" >> "$out"
    done
    # Without perf there is no per-process file: one line for the job.
    ((${#perf_stat[@]})) || echo "$kind round $round process $name s/it $seconds comm $communication" >> "$out"
  done
}
echo "== $configuration: $rounds rounds of single / job / job-pinned / independent, $steps iterations each"
for round in $(seq 1 "$rounds"); do
  port=$((port + 5))
  worker single 0 1 - $port
  record single "$round" single
  worker job 0 2 - $((port + 1)) & worker job 1 2 - $((port + 1)); wait
  record job "$round" job
  worker pinned 0 2 0 $((port + 2)) & worker pinned 1 2 1 $((port + 2)); wait
  record job-pinned "$round" pinned
  worker left 0 1 - $((port + 3)) & worker right 0 1 - $((port + 4)); wait
  record independent "$round" left right
  rm -f "$scratch"/*
done
# Per kind: the median over rounds of its s/iteration (the mean over its processes; the processes of
# a job share one time) and of the per-round ratio single / kind, and the counters per process.
python3 - "$out" << 'SUMMARY'
import collections, statistics, sys
seconds = collections.defaultdict(list)   # (kind, round) -> s/iteration of each process
counters = collections.defaultdict(list)  # (kind, counter) -> value of each process
for line in open(sys.argv[1]):
    field = line.split()
    kind, round_ = field[0], int(field[2])
    seconds[kind, round_].append(float(field[6]))
    for name, value in zip(field[9::2], field[10::2]):
        counters[kind, name].append(float(value))
rounds = sorted({r for _, r in seconds})
print(f"{'kind':<12} {'s/iteration':>12} {'single / kind':>14} {'task-clock s':>13} {'ctx switches':>13} {'migrations':>11}")
for kind in ("single", "job", "job-pinned", "independent"):
    per_round = {r: statistics.mean(seconds[kind, r]) for r in rounds}
    ratios = [statistics.mean(seconds["single", r]) / per_round[r] for r in rounds]
    def counter(name, scale=1.0):
        values = counters[kind, name]
        return f"{statistics.median(values) * scale:.1f}" if values else "-"
    print(f"{kind:<12} {statistics.median(per_round.values()):12.3f} {statistics.median(ratios):14.3f} "
          f"{counter('task-clock', 1e-3):>13} {counter('context-switches'):>13} {counter('cpu-migrations'):>11}")
SUMMARY
echo "per-process lines: $out"
