#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SIGKILL at random moments: revgan-train, started again with --resume after each kill, continues
# from its last checkpoint (never a torn one) and ends with the same model file, byte for byte, and
# the same loss log as a run that was never interrupted (CPU, one thread, same seed).
# Usage: application-kill.sh APPLICATION_DIR DATA_DIR WORK_DIR [KILLS] [SEED_OF_THE_KILL_TIMES]
set -euo pipefail
bin="$1" data="$2" work="$3" kills="${4:-5}" seed="${5:-$(date +%s)}"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
RANDOM=$seed
echo "kill times drawn with seed $seed (rerun: $0 $bin $data $work $kills $seed)"

fail() { echo "FAILED: $*" >&2; exit 1; }

# Unpaired training holds the most state: two discriminators, Adam moments, image pools, the
# random generator. A checkpoint after every iteration makes kills during a write likely.
train=("$bin/revgan-train" --objective unpaired --x "$data/BrainT1Slice.png" --y "$data/BrainProtonDensitySlice.png"
  --width 8 --depth 2 --patch-size 32 --samples-per-epoch 32 --epochs 2 --decay-epochs 1 --pool-size 4
  --discriminator-width 8 --checkpoint-interval 1 --threads 1 --seed 5)

start=$(date +%s%N)
"${train[@]}" --output reference.pt --checkpoint reference.checkpoint --loss-log reference.csv > /dev/null 2> reference.err \
  || fail "uninterrupted run: $(cat reference.err)"
duration_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "uninterrupted run: ${duration_ms} ms"

killed=0 during_write=0
for attempt in $(seq 1 "$kills"); do
  resume=()
  [[ -e model.checkpoint ]] && resume=(--resume model.checkpoint)
  "${train[@]}" "${resume[@]}" --output model.pt --checkpoint model.checkpoint --loss-log losses.csv \
    > /dev/null 2> run.err &
  pid=$!
  delay_ms=$(( RANDOM % (duration_ms / 2 + 1) )) # early enough that most attempts are killed
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -KILL "$pid" 2> /dev/null || true
  status=0
  wait "$pid" 2> /dev/null || status=$?
  if [[ $status -eq 0 ]]; then
    echo "attempt $attempt: finished before the kill at ${delay_ms} ms"
    break
  fi
  [[ $status -eq 137 ]] || fail "attempt $attempt ended with status $status, not by the kill: $(cat run.err)"
  killed=$((killed + 1))
  partial=""
  if [[ -e model.checkpoint.partial ]]; then
    during_write=$((during_write + 1))
    partial=" (during a checkpoint write)"
  fi
  rows=$( [[ -e losses.csv ]] && echo $(( $(wc -l < losses.csv) - 1 )) || echo 0)
  echo "attempt $attempt: killed after ${delay_ms} ms$partial; $rows iterations logged"
  if [[ -e model.pt ]]; then
    # Killed after the model's rename, while the process was ending: training had finished.
    cmp -s model.pt reference.pt || fail "a run killed at its end wrote another model than the uninterrupted run"
    echo "attempt $attempt: killed while exiting, after the model was written"
    break
  fi
done

if [[ ! -e model.pt ]]; then
  resume=()
  [[ -e model.checkpoint ]] && resume=(--resume model.checkpoint)
  "${train[@]}" "${resume[@]}" --output model.pt --checkpoint model.checkpoint --loss-log losses.csv > /dev/null 2> run.err \
    || fail "final run: $(cat run.err)"
fi

cmp -s model.pt reference.pt || fail "the model after $killed kills differs from the uninterrupted run's"
# Same losses in the same iterations (the throughput column differs from run to run).
cut -d, -f1-3,5- losses.csv > losses.values
cut -d, -f1-3,5- reference.csv > reference.values
cmp -s losses.values reference.values || fail "the loss log after $killed kills differs: $(diff losses.values reference.values | head -5)"
echo "$killed kills ($during_write during a checkpoint write): identical model and loss log"
