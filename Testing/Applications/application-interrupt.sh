#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SIGTERM (or SIGINT) stops revgan-train between two iterations: it writes a checkpoint, exits with
# 128 + the signal, and --resume then finishes exactly the remaining iterations.
# Usage: application-interrupt.sh APPLICATION_DIR DATA_DIR WORK_DIR
set -euo pipefail
bin="$1" data="$2" work="$3"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

fail() { echo "FAILED: $*" >&2; exit 1; }

# 1 epoch of 40 iterations (80 samples, batch 2).
train=("$bin/revgan-train" --x "$data/BrainT1Slice.png" --y "$data/BrainProtonDensitySlice.png" --output model.pt
  --width 8 --depth 2 --patch-size 64 --samples-per-epoch 80 --epochs 1 --decay-epochs 0 --batch-size 2
  --loss-log losses.csv --threads 1)

for signal in TERM INT; do
  rm -f losses.csv model.pt model.pt.checkpoint
  "${train[@]}" > train.out 2> train.err &
  pid=$!
  for _ in $(seq 1 600); do
    [[ -f losses.csv && $(wc -l < losses.csv) -ge 4 ]] && break
    kill -0 "$pid" 2>/dev/null || fail "training ended before it could be interrupted: $(cat train.err)"
    sleep 0.1
  done
  kill -"$signal" "$pid"
  status=0
  wait "$pid" || status=$?
  expected=$([[ $signal == TERM ]] && echo 143 || echo 130)
  [[ $status -eq $expected ]] || fail "SIG$signal: exit status $status, expected $expected: $(cat train.err)"
  grep -q "stopped by SIG$signal at epoch 1, iteration [0-9]*; checkpoint written to 'model.pt.checkpoint'" train.err \
    || fail "SIG$signal: no stop message: $(cat train.err)"
  [[ -s model.pt.checkpoint ]] || fail "SIG$signal: no checkpoint"
  [[ ! -e model.pt ]] || fail "SIG$signal: a model was written although training did not finish"
done

done_before=$(( $(wc -l < losses.csv) - 1 ))
"${train[@]}" --resume model.pt.checkpoint > /dev/null 2> resume.err || fail "resume failed: $(cat resume.err)"
[[ -s model.pt ]] || fail "resumed training wrote no model"
# The log holds every iteration exactly once: those before the stop and the rest after it.
[[ $(wc -l < losses.csv) -eq 41 ]] || fail "loss log has $(( $(wc -l < losses.csv) - 1 )) rows after resuming (stopped after $done_before), expected 40"
echo "interrupted after $done_before iterations and resumed: ok"
