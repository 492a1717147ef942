#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a libFuzzer target of the toolkit.
#   run-fuzzer.sh replay FUZZER CORPUS            runs every file of CORPUS/seeds and CORPUS/regressions once
#   run-fuzzer.sh fuzz FUZZER CORPUS WORK SECONDS [FLAGS...]
#                     fuzzes for at most SECONDS from the seeds and regressions (the inputs it finds
#                     grow WORK/corpus); prints the executions and the findings, which are saved in
#                     WORK/findings. FLAGS go to libFuzzer: ctest passes -runs=N -seed=1, so that its
#                     run tries the same inputs every time.
# A finding (crash, sanitizer report, leak, timeout, out-of-memory) fails the run: add the input to
# CORPUS/regressions once it is fixed.
set -euo pipefail
mode="$1" fuzzer="$2" corpus="$3"
# Allocations above 4 GiB fail (null from malloc, std::bad_alloc from ThrowingOperatorNew.cpp) the
# way they fail on a machine without the memory, rather than ending the run; libFuzzer's own limit
# on single allocations is set above that. That operator new takes its memory from malloc, so
# ASan's new/free pairing check cannot hold in the fuzz targets (the sanitized tests keep it).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:allocator_may_return_null=1:max_allocation_size_mb=4096:alloc_dealloc_mismatch=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
inputs=()
for folder in "$corpus/seeds" "$corpus/regressions"; do
  [[ -d $folder ]] && while IFS= read -r -d '' file; do inputs+=("$file"); done < <(find "$folder" -type f -print0 | sort -z)
done
[[ ${#inputs[@]} -gt 0 ]] || { echo "run-fuzzer: error: no inputs in $corpus/seeds or $corpus/regressions" >&2; exit 1; }

case "$mode" in
  replay)
    status=0
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    "$fuzzer" -rss_limit_mb=6144 -malloc_limit_mb=8192 -timeout=60 "${inputs[@]}" > "$log" 2>&1 || status=$?
    if [[ $status -ne 0 ]]; then
      grep -E "^(Running|==|SUMMARY|ERROR|    #[0-9])" "$log" | head -40
      echo "run-fuzzer: FAILED: an input of $corpus crashed the target (status $status)" >&2
      exit 1
    fi
    echo "replayed ${#inputs[@]} inputs: no crash"
    ;;
  fuzz)
    work="$4" seconds="$5"
    shift 5
    rm -rf "$work" && mkdir -p "$work/corpus" "$work/findings"
    cp "${inputs[@]}" "$work/corpus/"
    status=0
    "$fuzzer" "$work/corpus" -max_total_time="$seconds" -rss_limit_mb=6144 -malloc_limit_mb=8192 -timeout=60 -print_final_stats=1 \
      -artifact_prefix="$work/findings/" "$@" > "$work/fuzz.log" 2>&1 || status=$?
    executions=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$work/fuzz.log" | grep -oE "[0-9]+$" || echo 0)
    # slow-unit-* files only record inputs that took over 10 s; they are not failures.
    findings=$(find "$work/findings" -type f ! -name 'slow-unit-*' | wc -l)
    elapsed=$(grep -oE "Done [0-9]+ runs in [0-9]+ second" "$work/fuzz.log" | grep -oE "[0-9]+ second" | grep -oE "[0-9]+" || echo "$seconds")
    echo "$(basename "$fuzzer"): $executions executions in $elapsed s, corpus $(ls "$work/corpus" | wc -l) inputs, $findings finding(s)"
    if [[ $status -ne 0 || $findings -ne 0 ]]; then
      grep -E "^(==|SUMMARY|ERROR|    #[0-9])" "$work/fuzz.log" | head -40
      echo "run-fuzzer: FAILED: findings in $work/findings (log: $work/fuzz.log)" >&2
      exit 1
    fi
    ;;
  *)
    echo "run-fuzzer: error: mode must be replay or fuzz, got '$mode'" >&2
    exit 2
    ;;
esac
