#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The T1 depth study in 2D: the held-out slices of the real T1 scan (z >= 40, those of
# SUBJECT=t1 run-depth-study.sh) super-resolved slice by slice by 2D models, SRCNN+kR, against
# cubic B-spline interpolation of the same data. Each slice's low-resolution image is its own 2x
# in-plane block average on its coarse grid (revgan-prepare --task slices, then --task shrink); the
# networks take it interpolated by cubic B-spline (--input-interpolation bspline) and learn the
# correction (--residual). Training slices z < 36, validation slices 36-39 (the best validated
# weights are kept), paired L1; slices with less brain than one patch's area are left out. RMSE pooled over the held-out slices' brain (total; interior:
# pixels whose 5x5 in-plane neighbourhood lies in the brain), mean +- sd over seeds.
# Results: WORK_DIR/runs.csv (one row per trained model), WORK_DIR/summary.txt. A finished run is
# not repeated: rerunning the script continues.
# Settings (environment): SEEDS ("1 2 3"), DEPTHS ("0 2 4 8"), SAMPLES (patches per model, 3200),
#   BATCH (4), PATCH (32), WIDTH (32), LEARNING_RATE (0.0002), AUGMENTATION (flips: left-right flips,
#   revgan-train --flips; symmetries: every flip and the exchange of x and y, --symmetries).
# Usage: Utilities/run-slice-study.sh [WORK_DIR]   (default build/slice-study-t1; needs the built
#   applications, in build/Applications or REVGAN_APPLICATION_DIR)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${REVGAN_APPLICATION_DIR:-$root/build/Applications}"
data="${REVGAN_DATA_DIR:-$root/Data/cache}"
work="${1:-$root/build/slice-study-t1}"
seeds=${SEEDS:-1 2 3} depths=${DEPTHS:-0 2 4 8} samples=${SAMPLES:-3200} batch=${BATCH:-4} patch=${PATCH:-32}
width=${WIDTH:-32} rate=${LEARNING_RATE:-0.0002} augmentation=${AUGMENTATION:-flips}
case "$augmentation" in
  flips | symmetries) ;;
  *) echo "slice study: unknown AUGMENTATION '$augmentation' (flips or symmetries)" >&2; exit 1 ;;
esac
for application in revgan-prepare revgan-train revgan-translate revgan-evaluate; do
  [[ -x "$bin/$application" ]] || { echo "slice study: $bin/$application is missing: build the toolkit first" >&2; exit 1; }
done
bash "$root/Data/fetch-test-data.sh" "$data" > /dev/null
mkdir -p "$work" && cd "$work"
settings=$(printf "samples=%s\nbatch=%s\npatch=%s\nwidth=%s\nlearning_rate=%g" "$samples" "$batch" "$patch" "$width" "$rate")
# Written only when not the first setting, so that folders of earlier runs keep their settings.
[[ $augmentation == flips ]] || settings+=$'\n'"augmentation=$augmentation"
[[ -f settings.txt ]] || echo "$settings" > settings.txt
[[ $(< settings.txt) == "$settings" ]] || {
  echo "slice study: '$work' holds runs made with $(paste -sd' ' settings.txt): give another WORK_DIR" >&2; exit 1; }
source "$root/Utilities/study-data.sh"
choose_subject t1
echo "== slice study of the T1 scan in $work: seeds $seeds; depths $depths; $samples patches of ${patch}^2 per model," \
  "batch $batch, Adam rate $rate, $augmentation"

# The slices: hr/ and mask/ from the volumes, lr/ their block averages; then split by slice number.
if [[ ! -d test/lr ]]; then
  [[ -f hr.nii.gz ]] || make_t1_data "$bin" "$data"
  rm -rf slices train validation test
  for volume in hr mask; do
    "$bin/revgan-prepare" --task slices --input $volume.nii.gz --output slices/$volume > /dev/null
  done
  mkdir -p slices/lr
  for slice in slices/hr/*.nii.gz; do
    "$bin/revgan-prepare" --task shrink --input "$slice" --output "slices/lr/$(basename "$slice")" > /dev/null
  done
  for set in train validation test; do mkdir -p $set/hr $set/lr $set/mask; done
  # Slices with less brain than one patch's area are left out (the sampler finds no patch in them,
  # and the RMSE over the brain has nothing to measure).
  for slice in slices/hr/*.nii.gz; do
    name=$(basename "$slice") z=$((10#$(basename "$slice" .nii.gz | tr -dc 0-9)))
    brain=$("$bin/revgan-evaluate" --prediction "slices/mask/$name" --reference "slices/mask/$name" \
      --mask "slices/mask/$name" --json 2> /dev/null | sed -nE 's/.*"voxels_total":([0-9.e+]+).*/\1/p' || true)
    [[ -n $brain ]] && awk -v brain="$brain" -v patch="$patch" 'BEGIN { exit !(brain >= patch * patch) }' || continue
    set=test
    ((z < 40)) && set=validation
    ((z < 36)) && set=train
    for kind in hr lr mask; do cp "slices/$kind/$name" "$set/$kind/$name"; done
  done
fi

# Pooled RMSE of a folder of predictions against test/hr inside test/mask: "total interior".
evaluate_folder() { # FOLDER
  local slice name
  for slice in "$1"/*.nii.gz; do
    name=$(basename "$slice")
    "$bin/revgan-evaluate" --prediction "$slice" --reference "test/hr/$name" --mask "test/mask/$name" --json
  done | awk -F'[:,}]' '{
      for (i = 1; i < NF; i++) { gsub(/"/, "", $i); value[$i] = $(i + 1) }
      total += value["rmse_total"]^2 * value["voxels_total"]; n += value["voxels_total"]
      interior += value["rmse_interior"]^2 * value["voxels_interior"]; m += value["voxels_interior"] }
    END { printf "%.6g %.6g\n", sqrt(total / n), sqrt(interior / m) }'
}

if [[ ! -f bspline.txt ]]; then
  mkdir -p bspline
  for slice in test/lr/*.nii.gz; do
    "$bin/revgan-prepare" --task resample --interpolation bspline --input "$slice" --reference "test/hr/$(basename "$slice")" \
      --output "bspline/$(basename "$slice")" > /dev/null
  done
  evaluate_folder bspline > bspline.txt.partial && mv bspline.txt.partial bspline.txt
fi

[[ -f runs.csv ]] || echo "model,depth,seed,seconds,rmse_total,rmse_interior" > runs.csv
for seed in $seeds; do
  for depth in $depths; do
    name="srcnn+${depth}r-s$seed"
    grep -q "^srcnn+${depth}r,$depth,$seed," runs.csv && continue
    echo "   training $name"
    start=$SECONDS
    "$bin/revgan-train" --x train/lr --y train/hr --x-masks train/mask --validation-x validation/lr \
      --validation-y validation/hr --validation-masks validation/mask --input-interpolation bspline --residual \
      --generator srcnn --depth "$depth" --width "$width" --patch-size "$patch" --samples-per-epoch "$samples" --epochs 1 \
      --gan-weight 0 --batch-size "$batch" "--$augmentation" --learning-rate "$rate" --min-mask-fraction 0.5 --seed "$seed" \
      --output "$name.pt" --loss-log "$name-losses.csv" > "$name.log"
    seconds=$((SECONDS - start))
    rm -rf "$name" && mkdir -p "$name"
    for slice in test/lr/*.nii.gz; do
      "$bin/revgan-translate" --input "$slice" --model "$name.pt" --output "$name/$(basename "$slice")" > /dev/null
    done
    read -r total interior < <(evaluate_folder "$name")
    echo "srcnn+${depth}r,$depth,$seed,$seconds,$total,$interior" >> runs.csv
    rm -rf "$name"
  done
done

read -r bspline_total bspline_interior < bspline.txt
{
  echo "Held-out T1 slices (z >= 40), 2D models slice by slice; pooled RMSE over the brain (mean ± sd over seeds $seeds;" \
    "$samples patches of ${patch}^2, batch $batch, width $width, Adam rate $rate, $augmentation)"
  printf "%-24s %5s %20s %20s %12s %10s\n" model runs "RMSE total" "RMSE interior" "vs B-spline" "train (s)"
  printf "%-24s %5s %20.4f %20.4f %12s %10s\n" "cubic B-spline" - "$bspline_total" "$bspline_interior" - -
  for depth in $depths; do
    awk -F, -v model="srcnn+${depth}r" -v reference="$bspline_interior" '$1 == model {
        n++; t += $5; tt += $5 * $5; i += $6; ii += $6 * $6; s += $4 }
      END { if (!n) exit
        sdt = n > 1 ? sqrt((tt - t * t / n) / (n - 1)) : 0; sdi = n > 1 ? sqrt((ii - i * i / n) / (n - 1)) : 0
        printf "%-24s %5d %12.4f ± %5.3f %12.4f ± %5.3f %11.1f%% %10.0f\n", model, n, t / n, sdt, i / n, sdi,
          100 * (i / n / reference - 1), s / n }' runs.csv
  done
} | tee summary.txt
