#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Super-resolution on the real T1 volume (Data/KmeansTest_T1UCharRaw.nii.gz, 128×128×62 at 2×2×3 mm)
# as a user runs it: the low-resolution scan on its own coarse grid (2× block averages), taken by
# revgan-train and revgan-translate as acquired; validation with the best weights kept; and a run
# forced to diverge.
# Usage: application-super-resolution.sh APPLICATION_DIR DATA_DIR WORK_DIR
set -euo pipefail
bin="$1" data="$2" work="$3"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

fail() { echo "FAILED: $*" >&2; exit 1; }
json_value() { sed -nE "s/.*\"$2\":([^,}]+).*/\1/p" "$1"; }

"$bin/revgan-prepare" --task crop --input "$data/KmeansTest_T1UCharRaw.nii.gz" --start 0,0,0 --extent 128,128,62 \
  --output hr.nii.gz > /dev/null
"$bin/revgan-prepare" --task crop --input "$data/KmeansTest_T1RawSkullStrip.nii.gz" --start 0,0,0 --extent 128,128,62 \
  --output mask.nii.gz > /dev/null
"$bin/revgan-prepare" --task shrink --input hr.nii.gz --output coarse.nii.gz > /dev/null
# The fine-grid route: the same block averages interpolated by revgan-prepare onto the volume's grid.
"$bin/revgan-prepare" --task resample --interpolation bspline --input coarse.nii.gz --reference hr.nii.gz \
  --output bspline.nii.gz > /dev/null

train() { # OUTPUT X [MORE_OPTIONS...]   (EPOCHS: 1 unless set)
  "$bin/revgan-train" --x "$2" --y hr.nii.gz --x-masks mask.nii.gz --output "$1" --generator srcnn --residual \
    --width 8 --depth 2 --patch-size 16 --samples-per-epoch 32 --epochs "${EPOCHS:-1}" --batch-size 4 \
    --gan-weight 0 --seed 3 --threads 1 "${@:3}"
}

# 1. The coarse-grid route and the fine-grid route train the same model and give the same output.
train coarse-route.pt coarse.nii.gz > coarse-route.out
train fine-route.pt bspline.nii.gz > fine-route.out
"$bin/revgan-translate" --input coarse.nii.gz --model coarse-route.pt --output coarse-route.nii.gz --patch-size 32 \
  --overlap 8 --threads 1 > /dev/null
"$bin/revgan-translate" --input bspline.nii.gz --model fine-route.pt --output fine-route.nii.gz --patch-size 32 \
  --overlap 8 --threads 1 > /dev/null
# revgan-evaluate refuses images that do not lie on one grid: the coarse route's output lies on the
# fine grid revgan-prepare --task resample wrote (size, spacing, origin and direction).
"$bin/revgan-evaluate" --prediction coarse-route.nii.gz --reference fine-route.nii.gz --json > routes.json ||
  fail "the coarse route's output does not lie on the fine grid: $(cat routes.json)"
"$bin/revgan-evaluate" --prediction bspline.nii.gz --reference hr.nii.gz --mask mask.nii.gz --json > bspline.json
routes=$(json_value routes.json rmse_total) scale=$(json_value bspline.json rmse_total)
awk -v d="$routes" -v s="$scale" 'BEGIN { exit !(d < 1e-4 * s) }' ||
  fail "the two routes differ by RMSE $routes (B-spline's error is $scale)"
# Without validation data the last weights are kept, and nothing claims otherwise.
grep -q "the model holds" coarse-route.out && fail "no validation data, yet best weights were reported"

# 2. Validation on held-out slices: reported, logged, and the best weights kept.
train validated.pt coarse.nii.gz --validation-fraction 0.2 --validation-interval 4 --loss-log validated.csv \
  > validated.out
grep -Eq "^revgan-train: validating on [0-9]+ voxels every 4 iterations" validated.out ||
  fail "validation was not announced: $(grep -v filter validated.out)"
grep -Eq "^revgan-train: validation RMSE of the initial weights [0-9.e+-]+$" validated.out ||
  fail "the initial weights were not validated: $(grep -v filter validated.out)"
[[ $(grep -Ec "iteration [0-9]+: validation RMSE" validated.out) -eq 2 ]] ||
  fail "expected validations after iterations 4 and 8 (the end): $(grep -v filter validated.out)"
grep -Eq "^revgan-train: the model holds the best validated weights: after epoch 1, iteration [0-9]+ \(validation RMSE [0-9.e+-]+\)$" \
  validated.out || fail "the kept weights were not reported: $(grep -v filter validated.out)"
[[ $(head -1 validated.csv) == *,validation_rmse ]] || fail "the loss log has no validation column: $(head -1 validated.csv)"

# 3. Forced to diverge (the rate rising during warm-up far beyond any sensible one): the run says
# what happened, returns to earlier weights, and the model file holds the best validated weights —
# no worse on the scan than the weights it started from, B-spline plus a small random correction.
EPOCHS=5 train diverged.pt coarse.nii.gz --validation-fraction 0.2 --validation-interval 2 --learning-rate 1 \
  --warmup-iterations 200 --spike-factor 3 > diverged.out 2> diverged.err ||
  fail "a diverging run must still write its best weights: $(cat diverged.err)"
grep -q "returned to the weights of epoch 1, iteration" diverged.err ||
  fail "no return to earlier weights was reported: $(cat diverged.err)"
grep -q "the model holds the best validated weights" diverged.out || fail "no best weights: $(grep -v filter diverged.out)"
"$bin/revgan-translate" --input coarse.nii.gz --model diverged.pt --output diverged.nii.gz --patch-size 32 --overlap 8 \
  --threads 1 > /dev/null
"$bin/revgan-evaluate" --prediction diverged.nii.gz --reference hr.nii.gz --mask mask.nii.gz --json > diverged.json
awk -v m="$(json_value diverged.json rmse_total)" -v b="$scale" 'BEGIN { exit !(m < 1.05 * b) }' ||
  fail "the diverged run's model (RMSE $(json_value diverged.json rmse_total)) is far worse than B-spline ($scale)"

# 4. Refusals: a coarse scan that does not cover its pair voxel for voxel, and options that clash.
"$bin/revgan-prepare" --task crop --input coarse.nii.gz --start 0,0,0 --extent 64,64,30 --output short.nii.gz > /dev/null
if train short.pt short.nii.gz > /dev/null 2> short.err; then fail "a coarse scan of other extent was accepted"; fi
grep -q "'short.nii.gz' is 2 times coarser than its pair 'hr.nii.gz' but does not cover it voxel for voxel" short.err ||
  fail "unclear refusal: $(cat short.err)"
if train clash.pt coarse.nii.gz --validation-fraction 0.1 --validation-x coarse.nii.gz --validation-y hr.nii.gz \
  > /dev/null 2> clash.err; then fail "two kinds of validation data were accepted"; fi
grep -q "give one or the other" clash.err || fail "unclear refusal: $(cat clash.err)"
# 5. A 2D model on a volume's slices, from their coarse grid: each slice is refined in its plane as
# the 2D model refines that slice given alone (revgan-translate interpolates each slice in 2D, as
# the model's training slices were).
slice_of() { # VOLUME Z EXTENT_XY FOLDER
  "$bin/revgan-prepare" --task crop --input "$1" --start 0,0,"$2" --extent "$3,$3,1" --output "$4.nii.gz" > /dev/null
  "$bin/revgan-prepare" --task slices --input "$4.nii.gz" --output "$4" > /dev/null
  ls "$4"/*.nii.gz
}
hr_slice=$(slice_of hr.nii.gz 40 128 hr-slice)
"$bin/revgan-prepare" --task shrink --input "$hr_slice" --output lr-slice.nii.gz > /dev/null
"$bin/revgan-train" --x lr-slice.nii.gz --y "$hr_slice" --output slices.pt --generator srcnn --residual --width 8 \
  --depth 2 --patch-size 16 --samples-per-epoch 16 --epochs 1 --batch-size 4 --gan-weight 0 --seed 3 --threads 1 \
  > /dev/null
"$bin/revgan-translate" --input coarse.nii.gz --model slices.pt --output slices-volume.nii.gz --threads 1 > /dev/null
"$bin/revgan-translate" --input "$(slice_of coarse.nii.gz 10 64 coarse-slice)" --model slices.pt \
  --output slice-alone.nii.gz --threads 1 > /dev/null
# (--task slices puts every slice's origin at 0, so the two differ by the fine grid's half-voxel
# shift alone: geometry is ignored here.)
"$bin/revgan-evaluate" --prediction "$(slice_of slices-volume.nii.gz 10 128 volume-slice)" \
  --reference slice-alone.nii.gz --ignore-geometry --json > slice-routes.json ||
  fail "a slice of the volume's output differs in size from the slice translated alone: $(cat slice-routes.json)"
awk -v e="$(json_value slice-routes.json rmse_total)" 'BEGIN { exit !(e < 1e-4) }' ||
  fail "the volume's slice and the slice alone differ: $(cat slice-routes.json)"

echo "super-resolution: all checks passed"
