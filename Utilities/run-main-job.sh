#!/usr/bin/env bash
# The main job: DTI super-resolution on a phantom in the real brain's geometry.
#   1. phantom tensors at 256×256×124 (1×1×1.5 mm) from ITK's brain volume and mask (Data/);
#   2. the paper's low-resolution input: 2× block average, then nearest-neighbour upsampling;
#   3. slices z < 80 for training, z ≥ 80 held out;
#   4. paired training without GAN loss of SRCNN (also in the log-Euclidean tensor domain) and SRCNN+2R
#      (2 reversible blocks), a few minutes each;
#   5. translation of the held-out input; RMSE over the brain (total) and its interior, and the
#      tensor measures over the interior: FA RMSE, angular error of the principal direction (FA > 0.2),
#      fraction of predicted tensors that are not positive definite;
#   6. PNG figures of one slice (FA): input, ground truth, the models, and the error of SRCNN+2R —
#      figure.png by revgan-figure, main-job.png (cropped, labelled, colour bars) by plot-main-job.py.
# Usage: Utilities/run-main-job.sh [WORK_DIR]   (default build/main-job; needs the built applications)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/build/Applications"
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

train() { # NAME DEPTH SAMPLES_PER_EPOCH [MORE_OPTIONS...]
  step "training $1 (2 epochs of $3 patches of 24^3, batch 4${4:+, $4})"
  local start=$SECONDS
  "$bin/revgan-train" --x lr_train.nii.gz --y hr_train.nii.gz --x-masks mask_train.nii.gz --output "$1.pt" \
    --generator srcnn --residual --width 32 --depth "$2" --patch-size 24 --samples-per-epoch "$3" --epochs 2 \
    --gan-weight 0 --batch-size 4 --flips --learning-rate 0.001 --min-mask-fraction 0.5 --seed 1 \
    --memory-budget auto --loss-log "$1-losses.csv" "${@:4}" > "$1-train.out"
  # The gradient mode chosen for half the available memory (the fastest: naive, on any machine
  # with a few hundred MiB free).
  echo "   $((SECONDS - start)) s; $(grep -o 'memory budget: .*' "$1-train.out")"
  "$bin/revgan-translate" --input lr_test.nii.gz --model "$1.pt" --output "$1_test.nii.gz" --patch-size 48 \
    --overlap 8 > /dev/null
}
train srcnn 0 4000
train srcnn-log 0 4000 --log-tensors
train srcnn-2r 2 1200

step "errors over the held-out brain (RMSE in mm^2/s; FA and angle over the interior; fraction of non-PD tensors)"
printf "%-26s %14s %14s %10s %10s %11s %13s %13s\n" "model" "RMSE total" "RMSE interior" "vs input" "FA RMSE" \
  "angle (deg)" "non-PD total" "non-PD inter."
for entry in "nearest-neighbour input:lr_test" "SRCNN:srcnn_test" "SRCNN, log-Euclidean:srcnn-log_test" \
  "SRCNN+2R:srcnn-2r_test"; do
  name="${entry%%:*}" file="${entry##*:}"
  "$bin/revgan-evaluate" --prediction "$file.nii.gz" --reference hr_test.nii.gz --mask mask_test.nii.gz --json \
    > "$file.json"
  total=$(json_value "$file.json" rmse_total) interior=$(json_value "$file.json" rmse_interior)
  [[ $file == lr_test ]] && baseline=$total
  printf "%-26s %14.4e %14.4e %9.1f%% %10.4f %11.2f %13.2e %13.2e\n" "$name" "$total" "$interior" \
    "$(awk -v a="$total" -v b="$baseline" 'BEGIN { print 100 * (a - b) / b }')" \
    "$(json_value "$file.json" fa_rmse_interior)" "$(json_value "$file.json" angular_error_degrees_interior)" \
    "$(json_value "$file.json" non_pd_fraction_total)" "$(json_value "$file.json" non_pd_fraction_interior)"
done

"$bin/revgan-figure" --volumes lr_test.nii.gz,hr_test.nii.gz,srcnn_test.nii.gz,srcnn-2r_test.nii.gz \
  --reference hr_test.nii.gz --output figure.png > /dev/null
echo "figure: $work/figure.png (FA of slice 22: input, ground truth, SRCNN, SRCNN+2R, error of SRCNN+2R)"
# The figure for people: cropped to the brain, labelled, one FA scale, colour bars (matplotlib).
python=${PYTHON:-/usr/bin/python3}
if "$python" -c 'import matplotlib, nibabel' 2>/dev/null; then
  "$python" "$root/Utilities/plot-main-job.py" "$work" "$work/main-job.png" \
    "input (nearest neighbour)=lr_test.nii.gz" "ground truth=hr_test.nii.gz" "SRCNN=srcnn_test.nii.gz" \
    "SRCNN, log-Euclidean=srcnn-log_test.nii.gz" "SRCNN+2R=srcnn-2r_test.nii.gz"
else
  echo "main job: $python lacks matplotlib or nibabel (Utilities/install-dependencies.sh --with-figures):" \
    "main-job.png not made" >&2
fi
