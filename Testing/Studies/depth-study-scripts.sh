#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The depth study's scripts on the runs kept in Documentation/benchmarks (no training):
#  1. summarize-depth-study.sh gives Documentation/Results.md's figures from the kept phantom and T1
#     runs (RMSE, non-positive-definite fractions, log-Euclidean distances, memory), in the same order
#     whatever order runs.csv holds;
#  2. a folder that is not a study's, or whose runs were made with other settings, with settings not
#     kept or with an earlier version's columns, is refused with a message naming it (by both scripts
#     for the columns), and
#     run-depth-study.sh refuses the latter before it makes anything, as it refuses the log-Euclidean
#     domain for the scalar T1 study;
#  3. plot-depth-study.py draws a study of the GAN loss alone (where matplotlib is installed).
# Usage: depth-study-scripts.sh SOURCE_DIR APPLICATION_DIR DATA_DIR WORK_DIR
set -euo pipefail
root="$1" bin="$2" data="$3" work="$4"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAILED: $*" >&2; exit 1; }
kept="$root/Documentation/benchmarks"

# field SUMMARY LOSS MODEL COLUMN: one column of a model's row in the summary.
field() { awk -v loss="$2" -v model="$3" -v column="$4" '$1 == loss && $2 == model { print $column }' "$1"; }
# memory SUMMARY LOSS MODEL DEPTH MODE: MiB of that loss's memory table.
memory() { awk -v loss="$2" -v model="$3" -v depth="$4" -v column="$([[ $5 == reversible ]] && echo 3 || echo 4)" \
  '/^Activation memory/ { table = ($0 ~ ", " loss " \\(") } table && $1 == model && $2 == depth { print $column }' "$1"; }

# 1. The kept runs summarised: Results.md's tables (RMSE mean and sd, vs nearest, memory).
bash "$root/Utilities/summarize-depth-study.sh" "$kept/depth-study-phantom" > phantom.txt || fail "phantom summary: $(cat phantom.txt)"
cat phantom.txt
expect() { # SUMMARY LOSS MODEL COLUMN VALUE
  local actual
  actual=$(field "$1" "$2" "$3" "$4")
  [[ $actual == "$5" ]] || fail "$1: $2 $3, column $4: '$actual', Results.md says '$5'"
}
expect phantom.txt l1 srcnn+0r 7 8.4982e-05   # 8.50
expect phantom.txt l1 srcnn+0r 9 5.07e-07     # ± 0.05
expect phantom.txt l1 srcnn+2r 7 5.2984e-05   # 5.30
expect phantom.txt l1 srcnn+4r 7 5.0578e-05   # 5.06
expect phantom.txt l1 srcnn+4r 10 -50.6%
expect phantom.txt l1 srcnn+8r 7 4.6160e-05   # 4.62
expect phantom.txt l1 srcnn+8r 9 2.75e-06     # ± 0.28
expect phantom.txt l1 edsr-f 10 16.1%
expect phantom.txt - bspline 5 4.8983e-05     # 4.90
expect phantom.txt gan srcnn+0r 7 8.5134e-05  # with the GAN loss: 8.51
expect phantom.txt gan srcnn+4r 4 5.8971e-05  # total 5.90
expect phantom.txt gan srcnn+4r 7 5.0248e-05  # 5.02
expect phantom.txt gan srcnn+8r 9 8.11e-07    # ± 0.08
expect phantom.txt gan edsr-f 10 5.5%
expect phantom.txt l1 edsr-f 12 1.5e-03         # non-positive-definite predictions, mean over seeds
expect phantom.txt l1 srcnn+0r 12 0.0e+00
expect phantom.txt - bspline 8 4.2e-06
expect phantom.txt l1 srcnn+2r 13 0.1169        # log-Euclidean distance, interior
expect phantom.txt - bspline 9 0.0786
expect phantom.txt l1-log srcnn+0r 7 8.8121e-05 # in the log-Euclidean domain: 8.81
expect phantom.txt l1-log srcnn+2r 7 6.4298e-05 # 6.43
expect phantom.txt l1-log srcnn+2r 13 0.1250
expect phantom.txt l1-log edsr-f 7 1.0812e-04   # 10.81
expect phantom.txt l1-log edsr-f 12 0.0e+00     # against 1.5e-03 in the plain domain
[[ $(awk '$1 == "l1" { printf "%s ", $2 }' phantom.txt) == "srcnn+0r srcnn+2r srcnn+4r srcnn+8r edsr-f " ]] \
  || fail "rows out of order: $(awk '$1 == "l1" { printf "%s ", $2 }' phantom.txt)"
losses() { awk '$1 != "-" && $3 ~ /^[0-9]+$/ && !seen[$1]++ { printf "%s ", $1 }' "$1"; }
[[ $(losses phantom.txt) == "l1 l1-log gan " ]] || fail "losses out of order: $(losses phantom.txt)"
[[ $(memory phantom.txt l1 srcnn 4 reversible) == 98.0 && $(memory phantom.txt l1 srcnn 4 naive) == 251.1 ]] \
  || fail "memory of SRCNN+4R: $(memory phantom.txt l1 srcnn 4 reversible) / $(memory phantom.txt l1 srcnn 4 naive), Results.md says 98.0 / 251.1"
[[ $(memory phantom.txt gan srcnn 0 reversible) == 54.1 && $(memory phantom.txt gan srcnn 8 naive) == 445.7 ]] \
  || fail "GAN memory of SRCNN / SRCNN+8R: $(memory phantom.txt gan srcnn 0 reversible) / $(memory phantom.txt gan srcnn 8 naive), Results.md says 54.1 / 445.7"
grep -q "mean ± sd over seeds 1 2 3; 1600 patches of 24^3 per model, batch 4, width 32, Adam rate 0.0002" phantom.txt \
  || fail "the header does not state the kept runs' settings: $(head -1 phantom.txt)"

bash "$root/Utilities/summarize-depth-study.sh" "$kept/depth-study-t1" > t1.txt || fail "T1 summary: $(cat t1.txt)"
expect t1.txt l1 srcnn+0r 7 1.0395e+01  # 10.39
expect t1.txt l1 srcnn+4r 7 9.1951e+00  # 9.20
expect t1.txt l1 srcnn+8r 10 -15.6%
expect t1.txt l1 srcnn+8r 12 -          # a scalar study has no tensor measures
expect t1.txt l1 srcnn+8r 13 -
grep -q "^Held-out RMSE over the brain (T1 intensity" t1.txt || fail "T1 summary in the wrong unit: $(head -1 t1.txt)"

# From the coarse scan with B-spline input and validation (Results.md, "Against cubic B-spline"):
# the comparison with B-spline is the last column, and the header names input and validation.
bash "$root/Utilities/summarize-depth-study.sh" "$kept/depth-study-t1-bspline" > t1-bspline.txt ||
  fail "T1 B-spline summary: $(cat t1-bspline.txt)"
expect t1-bspline.txt l1 srcnn+2r 7 8.9051e+00  # 8.91
expect t1-bspline.txt l1 srcnn+2r 14 -2.1%
expect t1-bspline.txt l1 srcnn+4r 14 -2.4%
expect t1-bspline.txt l1 srcnn+8r 9 1.15e-01    # ± 0.12
expect t1-bspline.txt - bspline 10 0.0%
expect t1-bspline.txt - nearest 10 18.3%
grep -q "mean ± sd over seeds 1 2 3 4 5; 800 patches of 24^3 per model, batch 4, width 32, Adam rate 0.0002; input bspline, validation fraction 0.1" \
  t1-bspline.txt || fail "the header does not state the input and validation: $(head -1 t1-bspline.txt)"
bash "$root/Utilities/summarize-depth-study.sh" "$kept/depth-study-phantom-bspline" > phantom-bspline.txt ||
  fail "phantom B-spline summary: $(cat phantom-bspline.txt)"
expect phantom-bspline.txt l1 srcnn+8r 7 3.4644e-05  # 3.46
expect phantom-bspline.txt l1 srcnn+8r 14 -29.3%
expect phantom-bspline.txt l1 srcnn+8r 13 0.0651     # against B-spline's 0.0786
expect phantom-bspline.txt l1 srcnn+2r 14 -16.1%
expect phantom-bspline.txt l1 srcnn+4r 14 -18.1%

# The same runs in another order (as interrupted and continued studies append them): the same tables.
cp -r "$kept/depth-study-phantom" shuffled
{ head -1 "$kept/depth-study-phantom/runs.csv"; tail -n +2 "$kept/depth-study-phantom/runs.csv" | tac; } > shuffled/runs.csv
bash "$root/Utilities/summarize-depth-study.sh" shuffled > shuffled.txt
cmp -s phantom.txt shuffled.txt || fail "the order of runs.csv changes the summary: $(diff phantom.txt shuffled.txt | head -4)"

# 2. Refusals.
mkdir -p not-a-study
status=0
bash "$root/Utilities/summarize-depth-study.sh" not-a-study > /dev/null 2> refused.err || status=$?
[[ $status -ne 0 ]] && grep -q "'not-a-study/settings.txt' is missing: not a depth study's folder" refused.err \
  || fail "a folder without a study: status $status, $(cat refused.err)"
status=0
SAMPLES=8 REVGAN_APPLICATION_DIR="$bin" REVGAN_DATA_DIR="$data" bash "$root/Utilities/run-depth-study.sh" shuffled \
  > other.out 2> other.err || status=$?
[[ $status -ne 0 ]] || fail "a study with other settings ran in a folder of runs made with 1600 patches"
grep -q "depth study: 'shuffled' holds runs made with subject=phantom samples=1600 batch=4 width=32 learning_rate=0.0002, not subject=phantom samples=8 " other.err \
  || fail "unclear refusal: $(cat other.err)"
[[ ! -e shuffled/hr.nii.gz && ! -e shuffled/summary.txt ]] || fail "the refused study made files"
echo "refused: $(cat other.err)"
# A folder of runs with the columns of an earlier version: refused before anything is made.
mkdir -p old-columns && cp "$kept/depth-study-phantom"/{settings.txt,nearest.json,linear.json,bspline.json} old-columns/
cut -d, -f1-8 "$kept/depth-study-phantom/runs.csv" > old-columns/runs.csv
status=0
REVGAN_APPLICATION_DIR="$bin" REVGAN_DATA_DIR="$data" bash "$root/Utilities/run-depth-study.sh" old-columns \
  > old-columns.out 2> old-columns.err || status=$?
[[ $status -ne 0 ]] && grep -q "depth study: 'old-columns/runs.csv' has the columns loss,model,depth,seed,seconds,rmse_total,rmse_interior,fa_rmse_interior, not .*,non_pd_fraction_total,log_euclidean_interior" old-columns.err \
  || fail "a folder of runs with other columns: status $status, $(cat old-columns.err)"
[[ ! -e old-columns/hr.nii.gz ]] || fail "the refused study made files"
status=0
bash "$root/Utilities/summarize-depth-study.sh" old-columns > /dev/null 2> old-summary.err || status=$?
[[ $status -ne 0 ]] && grep -q "summarize-depth-study: 'old-columns/runs.csv' has the columns loss,.*,fa_rmse_interior, not .*,log_euclidean_interior" old-summary.err \
  || fail "a summary of runs with other columns: status $status, $(cat old-summary.err)"
status=0
LOSSES=l1-log SUBJECT=t1 REVGAN_APPLICATION_DIR="$bin" REVGAN_DATA_DIR="$data" bash "$root/Utilities/run-depth-study.sh" \
  scalar-log > /dev/null 2> scalar-log.err || status=$?
[[ $status -ne 0 ]] && grep -q "LOSSES=l1-log needs tensors: the phantom, not t1" scalar-log.err && [[ ! -e scalar-log ]] \
  || fail "the log-Euclidean domain on the T1 scan: status $status, $(cat scalar-log.err)"
# A folder of runs from before the settings were kept: refused until they are written down.
mkdir -p legacy && cp "$kept/depth-study-phantom/runs.csv" legacy/
status=0
LEARNING_RATE=2e-4 REVGAN_APPLICATION_DIR="$bin" REVGAN_DATA_DIR="$data" bash "$root/Utilities/run-depth-study.sh" legacy \
  > legacy.out 2> legacy.err || status=$?
[[ $status -ne 0 ]] && grep -q "depth study: 'legacy' holds runs but not the settings they were made with" legacy.err \
  && grep -q "^learning_rate=0.0002$" legacy.err || fail "a folder of runs without settings: status $status, $(cat legacy.err)"
[[ ! -e legacy/settings.txt ]] || fail "settings were written into a folder of earlier runs"

# 3. The figure of a study of the GAN loss alone (only memory-gan.jsonl).
if /usr/bin/python3 -c 'import matplotlib' 2> /dev/null; then
  mkdir -p gan-only
  cp "$kept/depth-study-phantom"/{nearest,linear,bspline}.json gan-only/
  sed 's/^l1,/gan,/' "$kept/depth-study-phantom/runs.csv" > gan-only/runs.csv
  cp "$kept/depth-study-phantom/memory.jsonl" gan-only/memory-gan.jsonl
  /usr/bin/python3 "$root/Utilities/plot-depth-study.py" gan-only gan-only.png > /dev/null || fail "no figure of a GAN-only study"
  [[ -s gan-only.png ]] || fail "empty figure"
else
  echo "matplotlib is not installed (Utilities/install-dependencies.sh --with-figures): the figure is not drawn"
fi
echo "depth-study scripts: all checks passed"
