#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# GPU check: builds Modules/Core and revgan-bench against the LibTorch inside PyTorch's Python
# package (or any LibTorch CMake finds) with nothing else — no ITK, Boost or GoogleTest — and runs
# the training benchmarks on the GPU. Each benchmark's JSON lines go to OUTDIR/<name>.jsonl, the
# console output to OUTDIR/log.txt. Sized to finish within 8 minutes on one H200, build included.
#
# Usage: Testing/gpu/run.sh OUTDIR [--device cuda|cuda:N|cpu] [--quick]
#   --device  where to run (default: cuda)
#   --quick   tiny networks only: checks the build and the plumbing, e.g. on a CPU-only machine
# Environment: REVGAN_GPU_BUILD_DIR (default: build-gpu in the repository), CMAKE_BUILD_PARALLEL_LEVEL.
set -euo pipefail

usage() { sed -n '7,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ $# -ge 1 ]] || usage
out=$1
shift
device=cuda
quick=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --device) [[ $# -ge 2 ]] || usage; device=$2; shift 2 ;;
    --quick) quick=true; shift ;;
    *) echo "run.sh: unknown option '$1'" >&2; usage ;;
  esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${REVGAN_GPU_BUILD_DIR:-$repo/build-gpu}
mkdir -p "$out"
out=$(cd "$out" && pwd)
log=$out/log.txt
: > "$log"
start=$(date +%s)

# PyTorch's Python package carries a complete LibTorch (headers, libraries, CMake files).
prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null || true)
echo "LibTorch: ${prefix:-found by CMake}" | tee -a "$log"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$repo" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DREVGAN_CORE_ONLY=ON \
  -DBUILD_TESTING=OFF ${prefix:+-DCMAKE_PREFIX_PATH="$prefix"} >> "$log" 2>&1 \
  || { tail -30 "$log" >&2; echo "run.sh: error: configuring failed (see $log)" >&2; exit 1; }
cmake --build "$build" --target revgan-bench --parallel "${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" >> "$log" 2>&1 \
  || { tail -30 "$log" >&2; echo "run.sh: error: building failed (see $log)" >&2; exit 1; }
echo "built in $(( $(date +%s) - start )) s" | tee -a "$log"

bench=$build/Applications/revgan-bench
benchmark() {
  local name=$1
  shift
  echo "== $name: revgan-bench $* --device $device" | tee -a "$log"
  "$bench" "$@" --device "$device" --json > "$out/$name.jsonl.part" 2>> "$log" \
    || { echo "run.sh: error: benchmark $name failed (see $log)" >&2; exit 1; }
  mv "$out/$name.jsonl.part" "$out/$name.jsonl"
  cat "$out/$name.jsonl" >> "$log"
}

benchmark peak peak
if $quick; then
  tiny=(--width 4 --discriminator-width 4 --repeat 1)
  benchmark memory-2d memory --depths 2 4 --sizes 32 "${tiny[@]}"
  benchmark memory-3d memory --dimensions 3 --depths 0 2 --sizes 16 "${tiny[@]}"
  benchmark speed-2d speed --depths 2 --sizes 32 "${tiny[@]}"
else
  benchmark memory-2d memory                       # the paper's Table 5: 256², depths 6–30
  benchmark memory-3d memory --dimensions 3        # SRCNN+kR, k = 0…16, 24³ and 64³
  benchmark speed-2d speed --depths 6 9 30 --repeat 5
  benchmark speed-authors speed --models revgan resnet --width 32 --sizes 128 --depths 6 9 30 --repeat 5
  benchmark speed-edsrf speed --dimensions 3 --models edsr-f --depths 8 --sizes 32 --repeat 5
fi
echo "done in $(( $(date +%s) - start )) s; results in $out" | tee -a "$log"
