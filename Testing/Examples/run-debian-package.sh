#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Debian package: `cpack -G DEB` makes it, its Depends name the Debian packages the programs
# link against, and unpacked with `dpkg -x` it runs an installed program, a Slicer module and an
# example built against it alone.
# Usage: run-debian-package.sh BUILD_DIR DATA_DIR WORK_DIR
set -euo pipefail
build="$1" data="$2" work="$3"
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAILED: $*" >&2; exit 1; }

(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/package" > cpack.log 2>&1) \
  || { tail -20 "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/package/revgan_*.deb)
depends=$(dpkg-deb --field "$deb" Depends)
for package in libtorch libinsighttoolkit5 libboost-program-options libpng zlib1g; do
  [[ "$depends" == *"$package"* ]] || fail "Depends lacks $package: $depends"
done
dpkg -x "$deb" "$work/root"
root="$work/root/usr"
"$root/bin/revgan-translate" --version | grep -q "^revgan-translate " || fail "the packaged program does not run"
# Debian's copyright file, machine-readable, with the licence of LICENSE.
copyright="$root/share/doc/revgan/copyright"
grep -q "^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" "$copyright" \
  || fail "no machine-readable copyright file at /usr/share/doc/revgan/copyright"
grep -q "^License: Apache-2.0" "$copyright" || fail "the copyright file names no Apache-2.0 licence"
grep -q "Apache License" "$root"/share/doc/*/LICENSE || fail "the package holds no LICENSE"
modules=$(find "$root" -type d -name slicer-modules)
"$modules/revgan-prepare-degrade-scalar" --input "$data/KmeansTest_T1UCharRaw.nii.gz" --output "$work/low.nrrd" \
  --threads 1 > /dev/null || fail "the packaged Slicer module does not find its program"
[[ -s "$work/low.nrrd" ]] || fail "no output from the packaged module"

cp -r "$(dirname "${BASH_SOURCE[0]}")/../../Examples/TranslateImage" "$work/TranslateImage"
cmake -S "$work/TranslateImage" -B "$work/example" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$root" \
  > "$work/example.log" 2>&1 || { cat "$work/example.log"; fail "configuring the example against the package"; }
grep -q "$root" "$work/example/CMakeCache.txt" || fail "the example did not find the unpacked package"
cmake --build "$work/example" > "$work/example-build.log" 2>&1 || { tail -20 "$work/example-build.log"; fail "build"; }
"$root/bin/revgan-train" --x "$data/BrainT1Slice.png" --y "$data/BrainProtonDensitySlice.png" --output "$work/m.pt" \
  --width 4 --depth 1 --patch-size 32 --samples-per-epoch 2 --epochs 1 --decay-epochs 0 --threads 1 > /dev/null
"$work/example/TranslateImage" "$work/m.pt" "$data/BrainT1Slice.png" "$work/out.nrrd"
[[ -s "$work/out.nrrd" ]] || fail "the example wrote nothing"
# The Python package where Debian's python3 finds it (usr/lib/python3/dist-packages), run from there.
if [[ -f "$build/Wrapping/Python/revgan/__init__.py" ]]; then
  [[ -d "$root/lib/python3/dist-packages/revgan" ]] || fail "the package lacks the Python package revgan"
  PYTHONPATH="$root/lib/python3/dist-packages" /usr/bin/python3 -c "import revgan, sys; assert \
revgan.__file__.startswith(sys.argv[1]), revgan.__file__" "$root" || fail "the packaged Python package is not imported"
  PYTHONPATH="$root/lib/python3/dist-packages" /usr/bin/python3 \
    "$(dirname "${BASH_SOURCE[0]}")/../../Examples/Python/translate_image.py" "$work/m.pt" "$data/BrainT1Slice.png" \
    "$work/python.nrrd" > /dev/null || fail "the Python example does not run with the packaged package"
  "$root/bin/revgan-evaluate" "$work/python.nrrd" "$work/out.nrrd" --json | grep -q '"rmse_total":0,' ||
    fail "the packaged Python package translates otherwise than the example"
fi
echo "Debian package passed: $(basename "$deb"); Depends: $depends"
