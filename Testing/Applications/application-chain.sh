#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end chain on the real T1/PD slices: revgan-train → revgan-translate (forward and inverse)
# → revgan-evaluate, then resuming from a checkpoint.
# Usage: application-chain.sh APPLICATION_DIR DATA_DIR WORK_DIR
set -euo pipefail
bin="$1" data="$2" work="$3"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

fail() { echo "FAILED: $*" >&2; exit 1; }

"$bin/revgan-train" --x "$data/BrainT1Slice.png" --y "$data/BrainProtonDensitySlice.png" --output model.pt \
  --width 8 --depth 2 --patch-size 64 --samples-per-epoch 24 --epochs 1 --decay-epochs 1 --batch-size 2 \
  --checkpoint checkpoint.pt --loss-log losses.csv --threads 1 > train.out
[[ -s model.pt && -s checkpoint.pt ]] || fail "training wrote no model or checkpoint"
[[ $(wc -l < losses.csv) -eq 25 ]] || fail "loss log should have a header and 24 rows"
grep -q "<filter-progress>1</filter-progress>" train.out || fail "no final Slicer progress line"

"$bin/revgan-translate" -i "$data/BrainT1Slice.png" -m model.pt -o pd.nii.gz \
  --patch-size 64 --overlap 16 --threads 1 > /dev/null
"$bin/revgan-translate" --input "$data/BrainProtonDensitySlice.png" --model model.pt --output t1.nrrd \
  --direction inverse --patch-size 32,64 --overlap 8 --blending constant --threads 1 > /dev/null
[[ -s pd.nii.gz && -s t1.nrrd ]] || fail "translation wrote nothing"

"$bin/revgan-evaluate" --prediction pd.nii.gz --reference "$data/BrainProtonDensitySlice.png" --json > forward.json
"$bin/revgan-evaluate" --prediction t1.nrrd --reference "$data/BrainT1Slice.png" --json > inverse.json
for file in forward.json inverse.json; do
  grep -Eq '"rmse_total":[0-9.]+,"rmse_interior":[0-9.]+,"mae_total":[0-9.]+' "$file" || fail "$file: $(cat "$file")"
done
"$bin/revgan-evaluate" pd.nii.gz "$data/BrainProtonDensitySlice.png" > table.out
grep -q "^rmse_total" table.out || fail "no table"
# --json output is JSON lines only, also into a pipe (no Slicer progress lines mixed in).
[[ $(grep -vc '^{' forward.json) -eq 0 ]] || fail "forward.json holds more than JSON: $(cat forward.json)"

# Resuming finishes the schedule from the checkpoint (epoch 1 of 2 done) and appends to the log.
"$bin/revgan-train" --x "$data/BrainT1Slice.png" --y "$data/BrainProtonDensitySlice.png" --output resumed.pt \
  --width 8 --depth 2 --patch-size 64 --samples-per-epoch 24 --epochs 1 --decay-epochs 1 --batch-size 2 \
  --resume checkpoint.pt --loss-log losses.csv --memory-budget 0.01 --threads 1 > resumed.out
[[ -s resumed.pt ]] || fail "resumed training wrote no model"
# A budget nothing fits: the most frugal mode, said so.
grep -q "memory budget: reversible (reversible [0-9.]* MiB) does not fit 0.0 MiB" resumed.out ||
  fail "a budget nothing fits was not reported: $(grep -v progress resumed.out)"
# 3D DTI: phantom in the real brain's geometry → degraded input → paired SRCNN+2R → translated
# tensors → RMSE over the brain mask; then a split of an A|B image and DWI → DTI on the real scan.
"$bin/revgan-prepare" --task phantom --t1 "$data/KmeansTest_T1UCharRaw.nii.gz" \
  --mask "$data/KmeansTest_T1RawSkullStrip.nii.gz" --size 64,64,31 --output phantom.nii.gz > /dev/null
"$bin/revgan-prepare" --task degrade --input phantom.nii.gz --output lowres.nii.gz > /dev/null
# With a memory budget that every gradient mode fits, the fastest (naive) is chosen and reported.
"$bin/revgan-train" --x lowres.nii.gz --y phantom.nii.gz --output srcnn.pt --generator srcnn --width 8 --depth 2 --flips \
  --patch-size 16 --samples-per-epoch 8 --epochs 1 --gan-weight 0 --memory-budget 1024 --threads 1 > srcnn-train.out
grep -Eq '^revgan-train: memory budget: naive \(reversible [0-9.]+ MiB; reversible-core [0-9.]+ MiB; naive [0-9.]+ MiB\) fits 1024.0 MiB$' \
  srcnn-train.out || fail "no memory budget choice: $(grep -v progress srcnn-train.out)"
# Training is a function of its data and seed: on a volume of more than 4 million values (whose
# normalization percentiles come from a random draw of them) two runs write the same model file.
"$bin/revgan-prepare" --task phantom --t1 "$data/KmeansTest_T1UCharRaw.nii.gz" \
  --mask "$data/KmeansTest_T1RawSkullStrip.nii.gz" --size 96,96,80 --output large.nii.gz > /dev/null
for run in 1 2; do
  "$bin/revgan-train" --x large.nii.gz --y large.nii.gz --output large-$run.pt --generator srcnn --width 4 --depth 2 \
    --patch-size 8 --samples-per-epoch 2 --batch-size 2 --epochs 1 --gan-weight 0 --seed 3 --threads 1 > /dev/null
done
cmp -s large-1.pt large-2.pt || fail "two runs with the same data and seed wrote different model files"
"$bin/revgan-translate" --input lowres.nii.gz --model srcnn.pt --output sr.nii.gz --patch-size 16 --overlap 4 \
  --threads 1 > /dev/null 2> sr-warnings.txt
[[ ! -s sr-warnings.txt ]] || fail "an input laid out as the training images was warned about: $(cat sr-warnings.txt)"
# The model file records the training images' frame: the same volume with its first axis mirrored
# (NRRD space directions edited) is translated, with a warning that names the axis.
"$bin/revgan-prepare" --task crop --input lowres.nii.gz --start 0,0,0 --extent 64,64,31 --output lowres.nrrd > /dev/null
perl -0pe 's/space directions: none \((-?[0-9.]+),/space directions: none (-$1,/' lowres.nrrd > mirrored.nrrd
"$bin/revgan-translate" --input mirrored.nrrd --model srcnn.pt --output mirrored-sr.nrrd --patch-size 16 --overlap 4 \
  --threads 1 > /dev/null 2> mirrored-warnings.txt
grep -q "'mirrored.nrrd' is laid out otherwise than the images model 'srcnn.pt' was trained on: its axis 0 runs opposite" \
  mirrored-warnings.txt || fail "a mirrored input was not warned about: $(cat mirrored-warnings.txt)"
"$bin/revgan-translate" --input phantom.nii.gz --model srcnn.pt --output back.nii.gz --direction inverse \
  --patch-size 16 --overlap 4 --threads 1 > /dev/null
"$bin/revgan-prepare" --task crop --input phantom.nii.gz --start 0,0,0 --extent 64,64,31 --output same.nii.gz > /dev/null
"$bin/revgan-evaluate" --prediction same.nii.gz --reference phantom.nii.gz --json | grep -q '"rmse_total":0,' \
  || fail "a full-size crop differs from its source"
"$bin/revgan-evaluate" --prediction sr.nii.gz --reference phantom.nii.gz --json > sr.json
grep -Eq '"rmse_total":[0-9.e-]+,"rmse_interior":[0-9.e-]+' sr.json || fail "sr.json: $(cat sr.json)"
# Tensor measures of two tensor files, over the brain mask on the phantom's grid: none for a copy;
# for the prediction, an angle between 0 and 90 degrees and a non-PD fraction between 0 and 1.
"$bin/revgan-prepare" --task resample --input "$data/KmeansTest_T1RawSkullStrip.nii.gz" --reference phantom.nii.gz \
  --output mask.nii.gz > /dev/null
json_value() { sed -E "s/.*\"$2\":([^,}]+).*/\1/" "$1"; }
# The block averages on the coarse grid (shrink): nearest-neighbour resampling onto the phantom's
# grid is the degraded input; B-spline and linear interpolation pass through the samples (resampled
# onto the coarse grid itself they return it), and B-spline upsampling is closer to the phantom.
"$bin/revgan-prepare" --task shrink --input phantom.nii.gz --output coarse.nii.gz > /dev/null
for interpolation in nearest linear bspline; do
  "$bin/revgan-prepare" --task resample --interpolation $interpolation --input coarse.nii.gz \
    --reference phantom.nii.gz --output up-$interpolation.nii.gz > /dev/null
  "$bin/revgan-prepare" --task resample --interpolation $interpolation --input coarse.nii.gz \
    --reference coarse.nii.gz --output coarse-$interpolation.nii.gz > /dev/null
  "$bin/revgan-evaluate" --prediction coarse-$interpolation.nii.gz --reference coarse.nii.gz --json > coarse.json
  awk -v e="$(json_value coarse.json rmse_total)" 'BEGIN { exit !(e < 1e-8) }' \
    || fail "$interpolation onto the samples' own grid changes them: $(cat coarse.json)"
  "$bin/revgan-evaluate" --prediction up-$interpolation.nii.gz --reference phantom.nii.gz --mask mask.nii.gz --json \
    > up-$interpolation.json
done
"$bin/revgan-evaluate" --prediction up-nearest.nii.gz --reference lowres.nii.gz --json | grep -q '"rmse_total":0,' \
  || fail "nearest-neighbour upsampling of shrink's output is not degrade's"
awk -v b="$(json_value up-bspline.json rmse_total)" -v n="$(json_value up-nearest.json rmse_total)" \
  'BEGIN { exit !(b < n) }' || fail "B-spline upsampling is not closer to the phantom than nearest neighbour"
"$bin/revgan-evaluate" --prediction same.nii.gz --reference phantom.nii.gz --mask mask.nii.gz --json > same.json
for figure in fa_rmse_total md_rmse_interior log_euclidean_total; do
  [[ $(json_value same.json $figure) == 0 ]] || fail "$figure of a copy is not 0: $(cat same.json)"
done
awk -v a="$(json_value same.json angular_error_degrees_total)" 'BEGIN { exit !(a < 1e-4) }' \
  || fail "the principal directions of a copy differ: $(cat same.json)"
"$bin/revgan-evaluate" --prediction sr.nii.gz --reference phantom.nii.gz --mask mask.nii.gz --json > sr-tensors.json
awk -v a="$(json_value sr-tensors.json angular_error_degrees_interior)" \
  -v n="$(json_value sr-tensors.json non_pd_fraction_total)" -v v="$(json_value sr-tensors.json angular_voxels_total)" \
  'BEGIN { exit !(a > 0 && a <= 90 && n >= 0 && n <= 1 && v > 100) }' || fail "sr tensor measures: $(cat sr-tensors.json)"
# In the log-Euclidean domain every predicted tensor is positive definite. A barely trained
# network that predicts tensors directly (no --residual) gives indefinite ones; through the matrix
# exponential, which the model file asks revgan-translate for, it cannot.
for variant in plain log; do
  "$bin/revgan-train" --x lowres.nii.gz --y phantom.nii.gz --output "srcnn-$variant.pt" --generator srcnn --width 8 \
    --depth 2 --flips $([[ $variant == log ]] && echo --log-tensors) --patch-size 16 --samples-per-epoch 8 --epochs 1 \
    --gan-weight 0 --threads 1 > /dev/null
  "$bin/revgan-translate" --input lowres.nii.gz --model "srcnn-$variant.pt" --output "sr-$variant.nii.gz" \
    --patch-size 16 --overlap 4 --threads 1 > /dev/null
  "$bin/revgan-evaluate" --prediction "sr-$variant.nii.gz" --reference phantom.nii.gz --mask mask.nii.gz --json \
    > "sr-$variant.json"
done
awk -v f="$(json_value sr-plain.json non_pd_fraction_total)" 'BEGIN { exit !(f > 0.1) }' \
  || fail "the plain model was expected to predict non-PD tensors: $(cat sr-plain.json)"
[[ $(json_value sr-log.json non_pd_fraction_total) == 0 ]] || fail "log-tensor model predicted non-PD tensors: $(cat sr-log.json)"
awk -v f="$(json_value sr-log.json fa_rmse_total)" 'BEGIN { exit !(f > 0 && f < 1) }' || fail "sr-log.json: $(cat sr-log.json)"
# The log-Euclidean distance is averaged where both tensors are positive definite, and the count is
# reported: the plain model's non-PD voxels leave it fewer than the log-tensor model's, and where
# none is left the distance is null, not 0.
awk -v p="$(json_value sr-plain.json log_euclidean_voxels_total)" -v l="$(json_value sr-log.json log_euclidean_voxels_total)" \
  -v n="$(json_value sr-log.json voxels_total)" 'BEGIN { exit !(p < l && l > 0 && l <= n) }' \
  || fail "log-Euclidean voxels: plain $(json_value sr-plain.json log_euclidean_voxels_total), log $(json_value sr-log.json log_euclidean_voxels_total)"
for variant in plain log; do
  voxels=$(json_value sr-$variant.json log_euclidean_voxels_total) distance=$(json_value sr-$variant.json log_euclidean_total)
  [[ ($voxels == 0 && $distance == null) || ($voxels != 0 && $distance != null) ]] \
    || fail "$variant: a log-Euclidean distance of $distance over $voxels voxels"
done
"$bin/revgan-prepare" --task split-pair --input "$data/BrainT1Slice.png" --output a.nii.gz --output-b b.nii.gz \
  2> /dev/null && fail "an odd-width A|B image was split"
"$bin/revgan-prepare" --task crop --input "$data/BrainT1Slice.png" --start 0,0 --extent 180,217 --output ab.nrrd > /dev/null
"$bin/revgan-prepare" --task split-pair --input ab.nrrd --output a.nii.gz --output-b b.nii.gz > /dev/null
[[ -s a.nii.gz && -s b.nii.gz ]] || fail "split-pair wrote nothing"
# A folder of A|B images becomes two folders, which train an unpaired CycleGAN given as folders.
mkdir -p pairs && cp ab.nrrd pairs/first.nrrd && cp ab.nrrd pairs/second.nrrd
"$bin/revgan-prepare" --task split-pair --input pairs --output A --output-b B > /dev/null
[[ -s A/first.nii.gz && -s B/second.nii.gz ]] || fail "split-pair of a folder wrote nothing"
"$bin/revgan-train" --x A --y B --objective unpaired --generator resnet --width 4 --depth 1 --patch-size 32 \
  --samples-per-epoch 2 --epochs 1 --pool-size 4 --discriminator-width 8 --gan-loss vanilla --beta1 0.9 \
  --threads 1 --output cyclegan.pt > /dev/null
[[ -s cyclegan.pt ]] || fail "unpaired training from folders wrote no model"
"$bin/revgan-prepare" --task dti --input "$data/small_64D.nii" --bval "$data/small_64D.bval" \
  --bvec "$data/small_64D.bvec" --output dti.nii.gz > /dev/null
[[ -s dti.nii.gz ]] || fail "dti wrote nothing"
# A volume's slices as 2D images: one per z, in order, each the volume's in-plane grid (the brain
# pixels of mask slice 30 are those of the 3D mask's slice z = 30).
"$bin/revgan-prepare" --task slices --input "$data/KmeansTest_T1RawSkullStrip.nii.gz" --output mask-slices > /dev/null
[[ $(ls mask-slices | wc -l) -eq 62 && -s mask-slices/slice-000.nii.gz && -s mask-slices/slice-061.nii.gz ]] \
  || fail "slices: $(ls mask-slices | head -3) … ($(ls mask-slices | wc -l) files for 62 slices)"
"$bin/revgan-prepare" --task crop --input "$data/KmeansTest_T1RawSkullStrip.nii.gz" --start 0,0,30 --extent 128,128,1 \
  --output mask-z30.nii.gz > /dev/null
in_3d=$("$bin/revgan-evaluate" mask-z30.nii.gz mask-z30.nii.gz --mask mask-z30.nii.gz --json | sed -nE 's/.*"voxels_total":([0-9]+).*/\1/p')
in_2d=$("$bin/revgan-evaluate" mask-slices/slice-030.nii.gz mask-slices/slice-030.nii.gz --mask mask-slices/slice-030.nii.gz \
  --json | sed -nE 's/.*"voxels_total":([0-9]+).*/\1/p')
[[ -n $in_3d && $in_3d -gt 0 && $in_3d == "$in_2d" ]] || fail "slice 30 holds $in_2d brain pixels, the volume's z = 30 $in_3d"
echo "application chain passed"
