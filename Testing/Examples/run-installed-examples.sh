#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The toolkit as an outsider uses it: installed with `cmake --install` into a fresh prefix, the
# Examples/ projects copied out of the source tree and built against that prefix alone
# (find_package(RevGAN)), then run on the real test data with their outputs checked against the
# installed programs doing the same work.
# Usage: run-installed-examples.sh BUILD_DIR SOURCE_DIR DATA_DIR WORK_DIR
set -euo pipefail
build="$1" source="$2" data="$3" work="$4"
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAILED: $*" >&2; exit 1; }
# |a - b| <= tolerance · max(1, |b|)
close() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; if (m < 1) m = 1; exit !(d <= t * m) }'; }
json_value() { sed -n "s/.*\"$2\":\([-0-9.eE+]*\).*/\1/p" "$1"; }

cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
bin="$work/prefix/bin"
cp -r "$source/Examples" "$work/Examples"
for example in TranslateImage DTISuperResolution TrainModel; do
  cmake -S "$work/Examples/$example" -B "$work/build-$example" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure-$example.log" 2>&1 \
    || { cat "$work/configure-$example.log"; fail "configuring $example against the installed prefix"; }
  cmake --build "$work/build-$example" > "$work/build-$example.log" 2>&1 \
    || { tail -30 "$work/build-$example.log"; fail "building $example"; }
done
cd "$work"

# Reader → RevGANImageFilter → writer gives what revgan-translate gives.
"$bin/revgan-train" --x "$data/BrainT1Slice.png" --y "$data/BrainProtonDensitySlice.png" --output slices.pt \
  --width 4 --depth 1 --patch-size 32 --samples-per-epoch 2 --epochs 1 --decay-epochs 0 --threads 1 > /dev/null
build-TranslateImage/TranslateImage slices.pt "$data/BrainT1Slice.png" example.nrrd
"$bin/revgan-translate" "$data/BrainT1Slice.png" program.nrrd --model slices.pt --patch-size 64 --overlap 16 \
  --threads 1 > /dev/null
"$bin/revgan-evaluate" example.nrrd program.nrrd --json > slices.json
close "$(json_value slices.json rmse_total)" 0 1e-4 || fail "TranslateImage differs from revgan-translate: $(cat slices.json)"
build-TranslateImage/TranslateImage slices.pt "$data/BrainProtonDensitySlice.png" back.nrrd inverse
[[ -s back.nrrd ]] || fail "no inverse output"

# A program of one's own trains what revgan-train trains (RevGAN::Training: the program's own call).
build-TrainModel/TrainModel "$data/BrainT1Slice.png" "$data/BrainProtonDensitySlice.png" own.pt --width 4 --depth 1 \
  --patch-size 32 --samples-per-epoch 2 --epochs 1 --decay-epochs 0 --threads 1 > own.out || fail "TrainModel failed"
cmp -s own.pt slices.pt || fail "TrainModel's model file differs from revgan-train's with the same options"
grep -q "^TrainModel: 2 iterations; own.pt written" own.out || fail "TrainModel reported: $(cat own.out)"

# Tensor NIfTI → super-resolution → masked metrics → FA, against the programs on the same data.
"$bin/revgan-prepare" --task phantom --t1 "$data/KmeansTest_T1UCharRaw.nii.gz" \
  --mask "$data/KmeansTest_T1RawSkullStrip.nii.gz" --size 32,32,16 --output phantom.nii.gz > /dev/null
"$bin/revgan-prepare" --task resample --input "$data/KmeansTest_T1RawSkullStrip.nii.gz" --reference phantom.nii.gz \
  --interpolation nearest --output mask.nii.gz > /dev/null
"$bin/revgan-prepare" --task degrade --input phantom.nii.gz --output low.nii.gz > /dev/null
"$bin/revgan-train" --x low.nii.gz --y phantom.nii.gz --output srcnn.pt --generator srcnn --width 4 --depth 1 \
  --patch-size 16 --samples-per-epoch 2 --epochs 1 --decay-epochs 0 --gan-weight 0 --threads 1 > /dev/null
build-DTISuperResolution/DTISuperResolution srcnn.pt low.nii.gz phantom.nii.gz mask.nii.gz fa.nii.gz > dti.out
read -r _ example_total _ example_interior _ fa_min _ fa_max _ example_fa_rmse _ example_angle < dti.out
"$bin/revgan-translate" low.nii.gz sr.nii.gz --model srcnn.pt --patch-size 16 --overlap 4 --threads 1 > /dev/null
"$bin/revgan-evaluate" sr.nii.gz phantom.nii.gz --mask mask.nii.gz --json > dti.json
close "$example_total" "$(json_value dti.json rmse_total)" 1e-4 || fail "rmse_total $example_total vs $(cat dti.json)"
close "$example_interior" "$(json_value dti.json rmse_interior)" 1e-4 || fail "rmse_interior $example_interior vs $(cat dti.json)"
close "$example_fa_rmse" "$(json_value dti.json fa_rmse_interior)" 1e-4 \
  || fail "fa_rmse_interior $example_fa_rmse vs $(cat dti.json)"
close "$example_angle" "$(json_value dti.json angular_error_degrees_interior)" 1e-4 \
  || fail "angular_error_degrees_interior $example_angle vs $(cat dti.json)"
# FA = sqrt(3/2)·|D − tr(D)/3·I| / |D| lies in [0, sqrt(3/2)] for any symmetric tensor (≤ 1 only for
# positive definite ones, which a tiny model need not give).
awk -v lo="$fa_min" -v hi="$fa_max" 'BEGIN { exit !(lo >= 0 && lo < hi && hi <= sqrt(1.5) + 1e-6) }' \
  || fail "FA outside [0, sqrt(3/2)] or constant: $(cat dti.out)"
[[ -s fa.nii.gz ]] || fail "no FA map"

# The same from Python: the installed package (prefix/lib/python3/dist-packages) with Debian's python3.
if [[ -d "$work/prefix/lib/python3/dist-packages/revgan" ]]; then
  PYTHONPATH="$work/prefix/lib/python3/dist-packages" /usr/bin/python3 \
    "$work/Examples/Python/dti_super_resolution.py" srcnn.pt low.nii.gz phantom.nii.gz mask.nii.gz python-sr.nii.gz \
    > python.json || fail "the Python example failed"
  "$bin/revgan-evaluate" python-sr.nii.gz sr.nii.gz --json > python-vs-program.json
  close "$(json_value python-vs-program.json rmse_total)" 0 1e-6 ||
    fail "the Python example's output differs from revgan-translate's: $(cat python-vs-program.json)"
  for figure in rmse_total rmse_interior fa_rmse_interior log_euclidean_interior; do
    close "$(json_value python.json $figure)" "$(json_value dti.json $figure)" 1e-5 ||
      fail "$figure from Python $(json_value python.json $figure) vs revgan-evaluate $(json_value dti.json $figure)"
  done
  # Training from Python: the model file revgan-train writes with the same options, applied as
  # revgan-translate applies it; the B-spline figures those of revgan-prepare's resampling.
  "$bin/revgan-prepare" --task crop --input "$data/KmeansTest_T1UCharRaw.nii.gz" --start 32,32,10 \
    --extent 64,64,32 --output t1.nii.gz > /dev/null
  "$bin/revgan-prepare" --task crop --input "$data/KmeansTest_T1RawSkullStrip.nii.gz" --start 32,32,10 \
    --extent 64,64,32 --output t1-mask.nii.gz > /dev/null
  "$bin/revgan-prepare" --task shrink --input t1.nii.gz --output t1-coarse.nii.gz > /dev/null
  PYTHONPATH="$work/prefix/lib/python3/dist-packages" /usr/bin/python3 "$work/Examples/Python/train_and_apply.py" \
    t1-coarse.nii.gz t1.nii.gz t1-mask.nii.gz python-t1.pt python-t1-sr.nii.gz > train.json \
    || fail "the Python training example failed"
  "$bin/revgan-train" --x t1-coarse.nii.gz --y t1.nii.gz --x-masks t1-mask.nii.gz --output program-t1.pt \
    --generator srcnn --residual --width 8 --depth 2 --patch-size 16 --batch-size 4 --samples-per-epoch 64 \
    --epochs 1 --gan-weight 0 --validation-fraction 0.1 --flips --seed 1 > /dev/null
  cmp -s python-t1.pt program-t1.pt || fail "revgan.train's model file differs from revgan-train's"
  "$bin/revgan-translate" t1-coarse.nii.gz program-t1-sr.nii.gz --model program-t1.pt --patch-size 32 --overlap 8 \
    > /dev/null
  "$bin/revgan-evaluate" python-t1-sr.nii.gz program-t1-sr.nii.gz --json > train-vs-program.json
  close "$(json_value train-vs-program.json rmse_total)" 0 1e-6 ||
    fail "the training example's output differs from revgan-translate's: $(cat train-vs-program.json)"
  "$bin/revgan-prepare" --task resample --interpolation bspline --input t1-coarse.nii.gz --reference t1.nii.gz \
    --output t1-bspline.nii.gz > /dev/null
  "$bin/revgan-evaluate" t1-bspline.nii.gz t1.nii.gz --mask t1-mask.nii.gz --json > bspline.json
  bspline_interior=$(sed -n 's/.*"bspline":{"rmse_interior":\([-0-9.eE+]*\).*/\1/p' train.json)
  close "$bspline_interior" "$(json_value bspline.json rmse_interior)" 1e-5 ||
    fail "the example's B-spline RMSE $bspline_interior vs revgan-evaluate's $(cat bspline.json)"
elif grep -q "REVGAN_WRAP_PYTHON:BOOL=ON" "$build/CMakeCache.txt" && [[ -f "$build/Wrapping/Python/revgan/__init__.py" ]]; then
  fail "the build has the Python package but the installed prefix has not"
fi
echo "installed examples passed"
