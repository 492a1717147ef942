#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A core-only build (-DREVGAN_CORE_ONLY=ON: LibTorch, no ITK) installs RevGAN::Core with the
# generator table it links and the benchmark library, nothing of ITK, and
# Examples/CoreOnly builds against that prefix and runs.
# Usage: run-core-only-install.sh SOURCE_DIR WORK_DIR
set -euo pipefail
source="$1" work="$2"
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAILED: $*" >&2; exit 1; }

# A unity build (the sources compiled in batches, so LibTorch's templates are instantiated once per
# batch, not once per file) builds the same library in 182 s instead of 489 s on 2 cores; the main
# build still compiles every file alone.
cmake -S "$source" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREVGAN_CORE_ONLY=ON -DBUILD_TESTING=OFF \
  -DCMAKE_UNITY_BUILD=ON > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configuring the core alone"; }
cmake --build "$work/build" > "$work/build.log" 2>&1 || { tail -30 "$work/build.log"; fail "building the core alone"; }
cmake --install "$work/build" --prefix "$work/prefix" > "$work/install.log"
targets=$(grep -o 'add_library(RevGAN::[A-Za-z]*' "$work/prefix"/lib*/cmake/RevGAN/RevGANTargets*.cmake | sed 's/.*(//' | sort -u)
[[ "$targets" == $'RevGAN::Benchmark\nRevGAN::Core\nRevGAN::GeneratorTable' ]] ||
  fail "a core-only install exports $(echo $targets)"
[[ -x "$work/prefix/bin/revgan-bench" ]] || fail "revgan-bench not installed"
[[ ! -e "$work/prefix/bin/revgan-translate" ]] || fail "a core-only install has ITK programs"
cmake -S "$source/Examples/CoreOnly" -B "$work/example" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/example.log" 2>&1 || { cat "$work/example.log"; fail "configuring"; }
cmake --build "$work/example" > "$work/example-build.log" 2>&1 || { tail -30 "$work/example-build.log"; fail "build"; }
"$work/example/ReversibleCore" || fail "the core-only example failed"
echo "core-only install passed"
