#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The installed layout for 3D Slicer: `cmake --install` puts the modules, and nothing else, in
# their own folder, and a module run from there finds its program in bin/.
# Usage: application-installed-modules.sh APPLICATION_DIR DATA_DIR WORK_DIR
set -euo pipefail
bin="$1" data="$2" work="$3"
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAILED: $*" >&2; exit 1; }

cmake --install "$bin/.." --prefix "$work/prefix" > "$work/install.log"
modules=$(find "$work/prefix" -type d -name slicer-modules)
[[ -n "$modules" && -d "$modules" ]] || fail "no slicer-modules folder under the prefix"
expected=$(ls "$bin/SlicerModules" | sort)
[[ "$(ls "$modules" | sort)" == "$expected" ]] || fail "the module folder holds $(ls "$modules" | tr '\n' ' ')"
[[ ! -e "$modules/revgan-bench" ]] || fail "revgan-bench is in the module folder"
[[ -x "$work/prefix/bin/revgan-translate" && -x "$work/prefix/bin/revgan-bench" ]] || fail "programs missing in bin/"

cd "$modules"
./revgan-prepare-degrade-scalar --xml > "$work/description.xml"
head -1 "$work/description.xml" | grep -q '^<?xml ' || fail "no description"
./revgan-prepare-degrade-scalar --factor 2 --threads 1 --input "$data/KmeansTest_T1UCharRaw.nii.gz" --output "$work/low.nrrd" \
  > "$work/degrade.out" || fail "the installed module did not run its program"
[[ -s "$work/low.nrrd" ]] || fail "no output"
grep -q '<filter-end>' "$work/degrade.out" || fail "no progress end"
echo "installed modules passed"
