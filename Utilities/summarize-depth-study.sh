#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The depth study's tables, from what Utilities/run-depth-study.sh keeps in its folder: held-out RMSE
# per loss and model (mean ± sd over the seeds in runs.csv) beside the interpolations of the same
# input, and the activation memory of the training steps (memory.jsonl for L1, memory-gan.jsonl for
# the GAN loss, whichever are there). The header states the settings the runs were made with
# (settings.txt), not those of the shell that prints them.
# Usage: Utilities/summarize-depth-study.sh WORK_DIR   (prints the tables; run-depth-study.sh keeps
#   them in WORK_DIR/summary.txt)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $# -eq 1 ]] || { echo "usage: $0 WORK_DIR" >&2; exit 2; }
work=$1
for file in settings.txt runs.csv nearest.json linear.json bspline.json; do
  [[ -f $work/$file ]] || { echo "summarize-depth-study: '$work/$file' is missing: not a depth study's folder" >&2; exit 1; }
done
cd "$work"
source "$root/Utilities/study-data.sh"
setting() { sed -nE "s/^$1=(.*)/\1/p" settings.txt; }
[[ $(tail -n +2 runs.csv | wc -l) -gt 0 ]] || { echo "summarize-depth-study: '$work/runs.csv' holds no runs" >&2; exit 1; }
[[ $(head -1 runs.csv) == "$depth_study_columns" ]] || {
  echo "summarize-depth-study: '$work/runs.csv' has the columns $(head -1 runs.csv), not $depth_study_columns" \
    "(a folder from an earlier version)" >&2
  exit 1
}

seeds=$(tail -n +2 runs.csv | cut -d, -f4 | sort -n -u | paste -sd' ')
echo "Held-out RMSE over the brain ($([[ $(setting subject) == t1 ]] && echo "T1 intensity, 0-255" || echo "mm^2/s"); mean ± sd over seeds $seeds;" \
  "$(setting samples) patches of 24^3 per model, batch $(setting batch), width $(setting width), Adam rate $(setting learning_rate);" \
  "input $(input=$(setting input); echo "${input:-nearest}"), validation fraction $(validation=$(setting validation); echo "${validation:-0}"),"\
  "$(augmentation=$(setting augmentation); echo "${augmentation:-flips}"))"
# Tensor measures (mean over seeds; "-" for scalar subjects, which have neither): the fraction of
# predicted tensors that are not positive definite (total), and the log-Euclidean distance to the truth
# (interior, over the voxels where both tensors are positive definite).
# The last column compares interior RMSE with cubic B-spline's, the baseline every model must beat.
printf "%-6s %-14s %6s %24s %24s %9s %10s %10s %10s %11s\n" loss model runs "RMSE total" "RMSE interior" "vs NN" "train (s)" \
  "non-PD" "log-Eucl." "vs B-spline"
# tensor_measure FILE KEY FORMAT: one tensor measure of an evaluation, "-" where it has none.
tensor_measure() { local value; value=$(json_value "$1" "$2"); if [[ -n $value ]]; then printf "$3" "$value"; else echo -; fi; }
nearest=$(json_value nearest.json rmse_interior) bspline=$(json_value bspline.json rmse_interior)
for interpolation in nearest linear bspline; do
  printf "%-6s %-14s %6s %24.4e %24.4e %8.1f%% %10s %10s %10s %10.1f%%\n" - "$interpolation" 1 \
    "$(json_value $interpolation.json rmse_total)" "$(json_value $interpolation.json rmse_interior)" \
    "$(awk -v a="$(json_value $interpolation.json rmse_interior)" -v b="$nearest" 'BEGIN { print 100 * (a - b) / b }')" - \
    "$(tensor_measure $interpolation.json non_pd_fraction_total %.1e)" \
    "$(tensor_measure $interpolation.json log_euclidean_interior %.4f)" \
    "$(awk -v a="$(json_value $interpolation.json rmse_interior)" -v b="$bspline" 'BEGIN { print 100 * (a - b) / b }')"
done
# Columns of runs.csv ($depth_study_columns): loss,model,depth,seed,seconds,rmse_total,rmse_interior,
# fa_rmse_interior,non_pd_fraction_total,log_euclidean_interior.
# Rows: L1, L1 in the log-Euclidean domain, then GAN; within a loss by depth, EDSR-F after SRCNN+8R.
awk -F, -v nn="$nearest" -v bs="$bspline" '
  { key = $1 " " $2; if (!(key in n)) order[++keys] = key
    n[key]++; t[key] += $6; tt[key] += $6 * $6; i[key] += $7; ii[key] += $7 * $7; s[key] += $5
    if ($9 == "") scalar[key] = 1; else { pd[key] += $9; le[key] += $10 } }
  function sd(sum, squares, count) { return count > 1 ? sqrt((squares - sum * sum / count) / (count - 1)) : 0 }
  END { for (k = 1; k <= keys; ++k) { key = order[k]; split(key, part, " "); c = n[key]
        printf "%-6s %-14s %6d %13.4e ± %8.2e %13.4e ± %8.2e %8.1f%% %10.0f %10s %10s %10.1f%%\n", part[1], part[2], c,
          t[key] / c, sd(t[key], tt[key], c), i[key] / c, sd(i[key], ii[key], c), 100 * (i[key] / c - nn) / nn, s[key] / c,
          key in scalar ? "-" : sprintf("%.1e", pd[key] / c), key in scalar ? "-" : sprintf("%.4f", le[key] / c),
          100 * (i[key] / c - bs) / bs } }
' <(tail -n +2 runs.csv | awk -F, '{ print ($1 == "l1" ? 1 : $1 == "l1-log" ? 2 : 3) "," $0 }' |
  sort -s -t, -k1,1n -k4,4n -k3,3r | cut -d, -f2-)

for loss in l1 gan; do
  file=$(memory_file $loss)
  [[ -f $file ]] || continue
  echo
  echo "Activation memory of one training step, $loss (batch $(setting batch), 24^3; MiB above parameters and Adam state)"
  printf "%-8s %6s %12s %12s\n" model depth reversible naive
  sed -E 's/.*"model":"([^"]+)","mode":"([^"]+)","depth":([0-9]+),.*"peak_activation_bytes":([0-9]+).*/\1 \3 \2 \4/' "$file" |
    awk '{ key = $1 " " $2; if (!(key in seen)) { seen[key] = 1; order[++n] = key }; bytes[key, $3] = $4 }
      END { for (k = 1; k <= n; ++k) { split(order[k], p, " ")
            printf "%-8s %6s %12.1f %12.1f\n", p[1], p[2], bytes[order[k], "reversible"] / 1048576,
              bytes[order[k], "naive"] / 1048576 } }'
done
