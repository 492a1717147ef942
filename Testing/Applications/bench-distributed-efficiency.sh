#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# revgan-bench distributed's scaling efficiency is the median of per-round ratios: for each round, the
# 1-process job's s/iteration over the 2-process job's of the same round (the times of every round are
# in the JSON, in the order the rounds ran). Recomputed here from those times.
# Usage: bench-distributed-efficiency.sh REVGAN_BENCH
set -euo pipefail
rounds=3
output=$("$1" distributed --configurations main-3d --warmup 1 --steps 1 --rounds $rounds --json)
value() { # LINE KEY
  sed -n "$1p" <<< "$output" | grep -o "\"$2\":[0-9.e+-]*" | cut -d: -f2
}
[[ $(wc -l <<< "$output") == 2 ]] || { echo "expected 2 JSON lines, got: $output" >&2; exit 1; }
ratios=()
for ((round = 0; round < rounds; ++round)); do
  single=$(value 1 "seconds_per_iteration_round$round") pair=$(value 2 "seconds_per_iteration_round$round")
  [[ -n $single && -n $pair ]] || { echo "round $round's times are missing: $output" >&2; exit 1; }
  ratios+=("$(awk -v a="$single" -v b="$pair" 'BEGIN { printf "%.9g", a / b }')")
done
expected=$(printf "%s\n" "${ratios[@]}" | sort -g | sed -n "$((rounds / 2 + 1))p")
reported=$(value 2 scaling_efficiency)
awk -v e="$expected" -v r="$reported" 'BEGIN { exit !(r > 0 && (e - r) ^ 2 < 1e-12 * e * e) }' ||
  { echo "scaling_efficiency $reported, but the median of the per-round ratios (${ratios[*]}) is $expected" >&2; exit 1; }
# The 1-process row's rounds ran as often as the 2-process row's.
[[ $(value 1 rounds) == "$rounds" && $(value 2 rounds) == "$rounds" ]] || { echo "rounds not reported: $output" >&2; exit 1; }
echo "scaling efficiency $reported = median of ${ratios[*]}"
