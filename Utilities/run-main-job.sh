#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job: DTI super-resolution on a phantom in the real brain's geometry.
#   1. phantom tensors at 256×256×124 (1×1×1.5 mm) from ITK's brain volume and mask (Data/);
#   2. the low-resolution scan: 2× block averages on their own coarse grid (128×128×62), as a scanner
#      would write them; also the paper's input on the fine grid (nearest-neighbour upsampling);
#   3. slices z < 80 for training (the last tenth of them held out for validation), z ≥ 80 held out;
#   4. paired training without GAN loss, at revgan-train's default rate, warm-up and divergence guard,
#      of SRCNN (also in the log-Euclidean tensor domain) and SRCNN+2R (2 reversible blocks), a few
#      minutes each: each takes the coarse scan, interpolates it by cubic B-spline onto the fine grid
#      and learns the correction (--residual); the best validated weights are kept;
#   5. translation of the held-out coarse scan; RMSE over the brain (total) and its interior, and the
#      tensor measures over the interior: FA RMSE, angular error of the principal direction (FA > 0.2),
#      fraction of predicted tensors that are not positive definite, against the nearest-neighbour
#      input and cubic B-spline interpolation of the same block averages;
#   6. PNG figures of one slice (FA): input, B-spline, ground truth, the models, and the errors on one
#      scale — figure.png by revgan-figure, main-job.png (cropped, labelled, colour bars) by plot-main-job.py.
# Usage: Utilities/run-main-job.sh [WORK_DIR]   (default build/main-job; needs the built applications, in
#   build/Applications or REVGAN_APPLICATION_DIR; SEED, 1 by default, seeds the training runs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${REVGAN_APPLICATION_DIR:-$root/build/Applications}"
data="${REVGAN_DATA_DIR:-$root/Data/cache}"
work="${1:-$root/build/main-job}"
for application in revgan-prepare revgan-train revgan-translate revgan-evaluate revgan-figure; do
  [[ -x "$bin/$application" ]] || { echo "main job: $bin/$application is missing: build the toolkit first" >&2; exit 1; }
done
bash "$root/Data/fetch-test-data.sh" "$data"
mkdir -p "$work" && cd "$work"

step() { echo "== $*"; }
step "phantom, degradation, train/test split"
source "$root/Utilities/study-data.sh"
make_phantom_data "$bin" "$data"

# The comparison every model must win: cubic B-spline interpolation of the same block averages.
"$bin/revgan-prepare" --task resample --interpolation bspline --input lr_grid_test.nii.gz --reference hr_test.nii.gz \
  --output bspline_test.nii.gz > /dev/null

train() { # NAME DEPTH SAMPLES_PER_EPOCH [MORE_OPTIONS...]
  step "training $1 (2 epochs of $3 patches of 24^3, batch 4${4:+, $4})"
  local start=$SECONDS
  "$bin/revgan-train" --x lr_grid_train.nii.gz --y hr_train.nii.gz --x-masks mask_train.nii.gz --output "$1.pt" \
    --generator srcnn --residual --width 32 --depth "$2" --patch-size 24 --samples-per-epoch "$3" --epochs 2 \
    --gan-weight 0 --batch-size 4 --flips --min-mask-fraction 0.5 --seed "${SEED:-1}" --validation-fraction 0.1 \
    --memory-budget auto --loss-log "$1-losses.csv" "${@:4}" > "$1-train.out"
  # The gradient mode chosen for half the available memory (the fastest: naive, on any machine
  # with a few hundred MiB free), and the validated weights the model file holds.
  echo "   $((SECONDS - start)) s; $(grep -o 'memory budget: .*' "$1-train.out")"
  echo "   $(grep -o 'the model holds .*' "$1-train.out")"
  "$bin/revgan-translate" --input lr_grid_test.nii.gz --model "$1.pt" --output "$1_test.nii.gz" --patch-size 48 \
    --overlap 8 > /dev/null
}
train srcnn 0 4000
train srcnn-log 0 4000 --log-tensors
train srcnn-2r 2 1200

losers=()
step "errors over the held-out brain (RMSE in mm^2/s; FA and angle over the interior; fraction of non-PD tensors)"
printf "%-26s %14s %14s %11s %10s %11s %13s %13s\n" "model" "RMSE total" "RMSE interior" "vs B-spline" "FA RMSE" \
  "angle (deg)" "non-PD total" "non-PD inter."
for entry in "nearest-neighbour input:lr_test" "cubic B-spline:bspline_test" "SRCNN:srcnn_test" \
  "SRCNN, log-Euclidean:srcnn-log_test" "SRCNN+2R:srcnn-2r_test"; do
  name="${entry%%:*}" file="${entry##*:}"
  "$bin/revgan-evaluate" --prediction "$file.nii.gz" --reference hr_test.nii.gz --mask mask_test.nii.gz --json \
    > "$file.json"
  total=$(json_value "$file.json" rmse_total) interior=$(json_value "$file.json" rmse_interior)
  [[ $file == bspline_test ]] && baseline=$total baseline_interior=$interior
  # Every model must beat interpolation of the same data, in total and interior RMSE.
  if [[ $file == srcnn* ]] && ! awk -v t="$total" -v i="$interior" -v bt="$baseline" -v bi="$baseline_interior" \
    'BEGIN { exit !(t < bt && i < bi) }'; then
    losers+=("$name")
  fi
  printf "%-26s %14.4e %14.4e %10s %10.4f %11.2f %13.2e %13.2e\n" "$name" "$total" "$interior" \
    "$([[ -n ${baseline:-} ]] && awk -v a="$total" -v b="$baseline" 'BEGIN { printf "%.1f%%", 100 * (a - b) / b }')" \
    "$(json_value "$file.json" fa_rmse_interior)" "$(json_value "$file.json" angular_error_degrees_interior)" \
    "$(json_value "$file.json" non_pd_fraction_total)" "$(json_value "$file.json" non_pd_fraction_interior)"
done

if (( ${#losers[@]} )); then
  echo "main job: warning: not better than cubic B-spline of the same data: ${losers[*]}" >&2
else
  echo "every model beats cubic B-spline of the same data (total and interior RMSE)"
fi

"$bin/revgan-figure" --volumes bspline_test.nii.gz,hr_test.nii.gz,srcnn_test.nii.gz,srcnn-2r_test.nii.gz \
  --reference hr_test.nii.gz --output figure.png > /dev/null
echo "figure: $work/figure.png (FA of slice 22: B-spline, ground truth, SRCNN, SRCNN+2R, error of SRCNN+2R)"
# The figure for people: cropped to the brain, labelled, one FA scale, colour bars (matplotlib).
python=${PYTHON:-/usr/bin/python3}
if "$python" -c 'import matplotlib, nibabel' 2>/dev/null; then
  "$python" "$root/Utilities/plot-main-job.py" "$work" "$work/main-job.png" \
    "input (nearest neighbour)=lr_test.nii.gz" "cubic B-spline=bspline_test.nii.gz" "ground truth=hr_test.nii.gz" \
    "SRCNN=srcnn_test.nii.gz" \
    "SRCNN, log-Euclidean=srcnn-log_test.nii.gz" "SRCNN+2R=srcnn-2r_test.nii.gz"
else
  echo "main job: $python lacks matplotlib or nibabel (Utilities/install-dependencies.sh --with-figures):" \
    "main-job.png not made" >&2
fi
