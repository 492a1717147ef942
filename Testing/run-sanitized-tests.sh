#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the fast tests and the fuzz targets with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer (build-sanitize/) and runs them: the core and IO tests, a replay of
# the fuzz corpora and a fuzzing run of each target (a fixed number of inputs from a fixed seed).
# Any sanitizer report fails the test it occurs in. .ci/run runs this after the README's tests.
# Usage: Testing/run-sanitized-tests.sh [BUILD_DIR]     (needs clang and libclang-rt-14-dev)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$repo/build-sanitize}
command -v clang++ > /dev/null || { echo "run-sanitized-tests: error: clang++ not found (bash Utilities/install-dependencies.sh)" >&2; exit 1; }

# -O1 keeps the instrumented tests fast enough; line tables are what the reports' stacks need;
# NDEBUG as in LibTorch's release build, whose classes have debug-only members otherwise.
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" -DREVGAN_FUZZERS=ON -DREVGAN_WRAP_PYTHON=OFF > /dev/null
# Not the Python package: an instrumented extension needs the sanitizer runtime preloaded into
# Debian's unsanitized python3 (LD_PRELOAD=libasan), whose own allocations then report as leaks; the
# libraries it binds are the ones tested here, and its own layer is tested in the main build.
cmake --build "$build" --target revgan_core_tests revgan_io_tests nifti-dti-fixture revgan_fuzz_image revgan_fuzz_model

# Leaks are reported (LibTorch's and ITK's singletons stay reachable, so they are not leaks).
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir "$build" -L '^(core|io|fuzz)$' --output-on-failure -j2
