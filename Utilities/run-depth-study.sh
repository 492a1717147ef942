#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The paper's depth study (its Table 3) on the main job's DTI phantom, or in miniature on the real T1
# scan (SUBJECT=t1: scalar super-resolution of held-out slices): does inserting reversible blocks
# into SRCNN (SRCNN+kR: deeper, at the same activation memory) lower the held-out error?
#   - every model is trained with the same patches (a patch is a function of seed, iteration and index),
#     the same iterations, batch and optimiser: paired L1 (the paper's "without GAN loss"), and with the
#     paper's GAN loss (vanilla GAN + 100 L1) when LOSSES holds "gan"; "l1-log" is paired L1 in the
#     log-Euclidean tensor domain (revgan-train --log-tensors; the DTI phantom only);
#   - held-out RMSE (total and interior of the brain) per seed, mean ± sd over seeds, the fraction of
#     predicted tensors that are not positive definite and the log-Euclidean distance to the truth
#     (interior), next to nearest-neighbour, trilinear and cubic B-spline interpolation of the same
#     low-resolution data;
#   - the activation memory of each model's training step (per loss: L1 alone, and with the
#     discriminators' updates for the GAN loss), measured by revgan-bench in the same run.
# Results: WORK_DIR/runs.csv (one row per trained model), memory.jsonl (and memory-gan.jsonl),
#   WORK_DIR/summary.txt (the tables),
# WORK_DIR/depth-study.png (RMSE against k with activation memory; plot-depth-study.py).
# A finished run is not repeated: rerunning the script after an interruption continues.
# Settings (environment): SUBJECT (phantom or t1, see study-data.sh), SEEDS ("1 2 3"), DEPTHS ("0 2 4 8"),
#   EDSR (1: also EDSR-F of depth 8), LOSSES ("l1 gan"; also "l1-log"),
#   SAMPLES (patches per model, 1600), BATCH (4), WIDTH (32), LEARNING_RATE (0.0002, the
#   paper's Adam rate; at 0.001 without warm-up, SRCNN+8R diverged after 150 iterations),
#   INPUT (nearest: the paper's input, nearest-neighbour upsampled on the fine grid; bspline or
#   linear: the coarse block averages, interpolated so by revgan-train and revgan-translate),
#   VALIDATION (0: none; a fraction: the last slices of the training volume held out for
#   validation, the best validated weights kept), AUGMENTATION (flips: left-right flips, revgan-train
#   --flips; symmetries: every flip and the exchange of axes of the same spacing, --symmetries).
#   The defaults take about 4 hours on a 2-core machine; SEEDS=1 LOSSES=l1 EDSR=0 about 15 minutes.
# Usage: Utilities/run-depth-study.sh [WORK_DIR]   (default build/depth-study, build/depth-study-t1 for
#   SUBJECT=t1; needs the built applications, in build/Applications or REVGAN_APPLICATION_DIR)
# A folder keeps the settings of its first run (settings.txt): a run with other SUBJECT, SAMPLES, BATCH,
# WIDTH or LEARNING_RATE in it is refused, so that no table mixes runs made differently. SEEDS, DEPTHS,
# EDSR and LOSSES only choose which runs to make.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${REVGAN_APPLICATION_DIR:-$root/build/Applications}"
data="${REVGAN_DATA_DIR:-$root/Data/cache}"
subject=${SUBJECT:-phantom}
work="${1:-$root/build/depth-study$([[ $subject == phantom ]] || echo "-$subject")}"
seeds=${SEEDS:-1 2 3} depths=${DEPTHS:-0 2 4 8} losses=${LOSSES:-l1 gan}
samples=${SAMPLES:-1600} batch=${BATCH:-4} width=${WIDTH:-32} edsr=${EDSR:-1} rate=${LEARNING_RATE:-0.0002}
input=${INPUT:-nearest} validation=${VALIDATION:-0} augmentation=${AUGMENTATION:-flips}
case "$augmentation" in
  flips | symmetries) ;;
  *) echo "depth study: unknown AUGMENTATION '$augmentation' (flips or symmetries)" >&2; exit 1 ;;
esac
case "$input" in
  nearest | linear | bspline) ;;
  *) echo "depth study: unknown INPUT '$input' (nearest, linear or bspline)" >&2; exit 1 ;;
esac
for application in revgan-prepare revgan-train revgan-translate revgan-evaluate revgan-bench; do
  [[ -x "$bin/$application" ]] || { echo "depth study: $bin/$application is missing: build the toolkit first" >&2; exit 1; }
done
for loss in $losses; do
  case "$loss" in
    l1 | gan) ;;
    l1-log) [[ $subject == phantom ]] || { echo "depth study: LOSSES=l1-log needs tensors: the phantom, not $subject" >&2; exit 1; } ;;
    *) echo "depth study: unknown loss '$loss' in LOSSES (l1, gan or l1-log)" >&2; exit 1 ;;
  esac
done
bash "$root/Data/fetch-test-data.sh" "$data" > /dev/null
mkdir -p "$work" && cd "$work"
settings=$(printf "subject=%s\nsamples=%s\nbatch=%s\nwidth=%s\nlearning_rate=%g" "$subject" "$samples" "$batch" "$width" "$rate")
# Written only when not the paper's setting, so that folders of earlier runs keep their settings.
[[ $input == nearest ]] || settings+=$'\n'"input=$input"
[[ $validation == 0 ]] || settings+=$'\n'"validation=$validation"
[[ $augmentation == flips ]] || settings+=$'\n'"augmentation=$augmentation"
if [[ ! -f settings.txt && -f runs.csv ]]; then
  echo "depth study: '$work' holds runs but not the settings they were made with (a folder from before they" \
    "were kept): write them into '$work/settings.txt' as this run would:" $'\n'"$settings" >&2
  exit 1
elif [[ ! -f settings.txt ]]; then
  echo "$settings" > settings.txt
elif [[ $(< settings.txt) != "$settings" ]]; then
  echo "depth study: '$work' holds runs made with $(paste -sd' ' settings.txt), not $(paste -sd' ' <<< "$settings"):" \
    "give another WORK_DIR" >&2
  exit 1
fi
source "$root/Utilities/study-data.sh"
if [[ -f runs.csv && $(head -1 runs.csv) != "$depth_study_columns" ]]; then
  echo "depth study: '$work/runs.csv' has the columns $(head -1 runs.csv), not $depth_study_columns (a folder from an" \
    "earlier version): give another WORK_DIR" >&2
  exit 1
fi
choose_subject "$subject"
echo "== depth study of the $subject in $work: seeds $seeds; depths $depths; losses $losses; $samples patches of 24^3 per model," \
  "batch $batch, Adam rate $rate, input $input, validation $validation, $augmentation"
[[ -f hr_test.nii.gz && -f lr_grid_test.nii.gz ]] || $make_data "$bin" "$data"
# The networks' input: the paper's (on the fine grid), or the coarse block averages they interpolate.
if [[ $input == nearest ]]; then
  train_input=(--x lr_train.nii.gz) test_input=lr_test.nii.gz
else
  train_input=(--x lr_grid_train.nii.gz --input-interpolation "$input") test_input=lr_grid_test.nii.gz
fi
validation_options=()
[[ $validation == 0 ]] || validation_options=(--validation-fraction "$validation")

evaluate() { # PREDICTION JSON
  "$bin/revgan-evaluate" --prediction "$1" --reference hr_test.nii.gz --mask mask_test.nii.gz --json > "$2.partial"
  mv "$2.partial" "$2"
}

# Interpolation of the same block averages: from the coarse grid back onto the phantom's grid.
[[ -f lr_grid.nii.gz ]] || "$bin/revgan-prepare" --task shrink --input hr.nii.gz --output lr_grid.nii.gz > /dev/null
for interpolation in nearest linear bspline; do
  [[ -f $interpolation.json ]] && continue
  "$bin/revgan-prepare" --task resample --interpolation $interpolation --input lr_grid.nii.gz \
    --reference hr.nii.gz --output $interpolation.nii.gz > /dev/null
  crop_train_test "$bin" $interpolation
  evaluate ${interpolation}_test.nii.gz $interpolation.json
done

[[ -f runs.csv ]] || echo "$depth_study_columns" > runs.csv
run() { # LOSS MODEL DEPTH SEED GENERATOR
  local name="$1-$2-s$4" gan=0 domain=()
  [[ -f $name.json ]] && return
  [[ $1 == gan ]] && gan=1
  [[ $1 == l1-log ]] && domain=(--log-tensors)
  echo "   training $name"
  local start=$SECONDS
  "$bin/revgan-train" "${train_input[@]}" --y hr_train.nii.gz --x-masks mask_train.nii.gz --output "$name.pt" \
    --generator "$5" --residual --width "$width" --depth "$3" --patch-size 24 --samples-per-epoch "$samples" \
    --epochs 1 --gan-weight $gan --batch-size "$batch" "--$augmentation" --learning-rate "$rate" --min-mask-fraction 0.5 \
    --seed "$4" --loss-log "$name-losses.csv" "${domain[@]}" "${validation_options[@]}" > /dev/null
  local seconds=$((SECONDS - start))
  "$bin/revgan-translate" --input "$test_input" --model "$name.pt" --output "${name}_test.nii.gz" \
    --patch-size 48 --overlap 8 > /dev/null
  evaluate "${name}_test.nii.gz" "$name.json"
  printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n" "$1" "$2" "$3" "$4" "$seconds" "$(json_value "$name.json" rmse_total)" \
    "$(json_value "$name.json" rmse_interior)" "$(json_value "$name.json" fa_rmse_interior)" \
    "$(json_value "$name.json" non_pd_fraction_total)" "$(json_value "$name.json" log_euclidean_interior)" >> runs.csv
  rm -f "${name}_test.nii.gz"
}
for seed in $seeds; do
  for loss in $losses; do
    for depth in $depths; do
      run "$loss" "srcnn+${depth}r" "$depth" "$seed" srcnn
    done
    if [[ $edsr == 1 ]]; then
      run "$loss" edsr-f 8 "$seed" edsr-f
    fi
  done
done

echo "== activation memory of the training steps (revgan-bench memory, batch $batch, 24^3)"
measure_memory() { # GAN_WEIGHT MODEL DEPTHS...
  "$bin/revgan-bench" memory --dimensions 3 --models "$2" --depths "${@:3}" --sizes 24 --width "$width" \
    --batch-size "$batch" --channels "$subject_channels" --gan-weight "$1" --modes reversible naive --json
}
for loss in $losses; do
  gan_weight=0
  [[ $loss == gan ]] && gan_weight=1
  # The log-Euclidean domain is taken of the whole volume before training: its step is L1's.
  [[ $loss == l1-log ]] && continue
  {
    [[ -z ${depths// /} ]] || measure_memory $gan_weight srcnn $depths # DEPTHS=" ": EDSR-F alone
    # EDSR-F at the depth it was trained with.
    if [[ $edsr == 1 ]]; then
      measure_memory $gan_weight edsr-f 8
    fi
  } > "$(memory_file "$loss")"
done

bash "$root/Utilities/summarize-depth-study.sh" . | tee summary.txt
python=${PYTHON:-/usr/bin/python3}
if ! grep -q ',srcnn+' runs.csv; then
  echo "depth study: no SRCNN+kR runs in this folder: no figure"
elif "$python" -c 'import matplotlib' 2>/dev/null; then
  "$python" "$root/Utilities/plot-depth-study.py" . depth-study.png "$subject"
else
  echo "depth study: $python lacks matplotlib (Utilities/install-dependencies.sh --with-figures): no figure" >&2
fi
