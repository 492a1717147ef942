#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Data-parallel revgan-train started the way launchers start it: one process per rank with
# torchrun's variables (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT),
# talking over the loopback interface, on the real T1/PD slices.
#  1. 2 processes of batch 1 train the model that 1 process of batch 2 trains (double precision:
#     the loss logs agree to 1e-9, the translations to 1e-3 RMSE on 0-255); rank 0 alone logs and
#     reports progress.
#  2. SIGTERM to both processes (as torchrun and SLURM send it): both stop after the same
#     iteration, rank 0 writes the checkpoint, and --resume with 2 processes ends with the model
#     file of the uninterrupted run, byte for byte.
#  3. A process killed with SIGKILL stops the other within the timeout with one error line and a
#     non-zero exit; the last checkpoint is intact and resumes to the end.
#  4. A process that never joins: the one that did stops within the timeout, one error line.
#  5. Under Debian's torchrun, the model of 1. byte for byte.
# Usage: application-distributed.sh APPLICATION_DIR DATA_DIR WORK_DIR
set -euo pipefail
bin="$1" data="$2" work="$3"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

fail() { echo "FAILED: $*" >&2; exit 1; }
# Rendezvous ports below the kernel's ephemeral range (32768-60999 on Linux by default), from
# which other connections on this machine take theirs; each job takes the next port.
port=$((20000 + $$ % 1000 * 10))

train=("$bin/revgan-train" --objective paired --x "$data/BrainT1Slice.png" --y "$data/BrainProtonDensitySlice.png"
  --width 8 --depth 2 --patch-size 64 --epochs 2 --decay-epochs 1 --discriminator-width 8
  --precision double --threads 1 --seed 3)

# start_job NAME WORLD_SIZE [--timeout SECONDS] ARGUMENTS...: starts the ranks in the background; their process ids
# go to $pids, their output to NAME.rankR.out/.err.
start_job() {
  local name=$1 world=$2 timeout=20
  shift 2
  if [[ ${1:-} == --timeout ]]; then timeout=$2; shift 2; fi
  pids=()
  for rank in $(seq 0 $((world - 1))); do
    RANK=$rank WORLD_SIZE=$world LOCAL_RANK=$rank LOCAL_WORLD_SIZE=$world MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
      "${train[@]}" --distributed-timeout "$timeout" "$@" > "$name.rank$rank.out" 2> "$name.rank$rank.err" &
    pids+=($!)
  done
  port=$((port + 1))
}
# wait_job: waits for $pids; their exit codes go to $codes (space-separated).
wait_job() {
  codes=""
  for pid in "${pids[@]}"; do
    status=0
    wait "$pid" || status=$?
    codes="$codes $status"
  done
  codes="${codes# }"
}
# rmse A B: RMSE between two images.
rmse() {
  "$bin/revgan-evaluate" --prediction "$1" --reference "$2" --json | sed -E 's/.*"rmse_total":([^,]+),.*/\1/'
}

# 1. Two processes of batch 1 against one process of batch 2.
start_job two 2 --batch-size 1 --samples-per-epoch 16 --output two.pt --loss-log two.csv
wait_job
[[ $codes == "0 0" ]] || fail "2-process training ended with $codes: $(cat two.rank*.err)"
"${train[@]}" --batch-size 2 --samples-per-epoch 16 --output one.pt --loss-log one.csv > one.out 2> one.err || fail "1 process: $(cat one.err)"
[[ -s two.pt ]] || fail "rank 0 wrote no model"
[[ $(wc -l < two.csv) -eq 25 ]] || fail "the job's loss log should have a header and 24 rows (3 epochs of 16/2)"
[[ ! -s two.rank1.out && ! -s two.rank1.err ]] || fail "rank 1 printed: $(cat two.rank1.out two.rank1.err)"
grep -q "<filter-progress>1</filter-progress>" two.rank0.out || fail "rank 0 reported no progress"
for model in one two; do
  "$bin/revgan-translate" -i "$data/BrainT1Slice.png" -m $model.pt -o $model.mha --patch-size 64 --threads 1 > /dev/null
done
difference=$(rmse two.mha one.mha)
echo "2 processes x batch 1 vs 1 process x batch 2: RMSE of the translations $difference"
# Trained in double, translated in float, intensities 0-255: float rounding is about 1e-5.
awk -v d="$difference" 'BEGIN { exit !(d < 1e-3) }' || fail "the translations differ by RMSE $difference"
# The losses each row reports are the job's: those of one process of batch 2 (samples/s aside).
paste -d, <(cut -d, -f1-3,5- two.csv) <(cut -d, -f1-3,5- one.csv) | awk -F, 'NR > 1 {
  n = NF / 2
  for (i = 1; i <= n; ++i) { d = $i - $(i + n); if (d < 0) d = -d; if (d > 1e-9 * (1 + ($i < 0 ? -$i : $i))) bad = 1 } }
  END { exit bad }' || fail "loss logs differ: $(diff two.csv one.csv | head -4)"

# 2. SIGTERM to every process, then --resume: the uninterrupted run's model, byte for byte.
longer=(--batch-size 1 --samples-per-epoch 64 --checkpoint stopped.checkpoint)
start_job stopped 2 "${longer[@]}" --output stopped.pt
# The signal must come once training runs: before that (images read, processes joining) SIGTERM
# ends a process the default way, with nothing to save. Rank 0 reports progress past 0 only after
# an iteration, which neither rank finishes before both have begun training.
for _ in $(seq 600); do
  grep -q '<filter-progress>0\.[0-9]' stopped.rank0.out && break
  kill -0 "${pids[0]}" 2> /dev/null || break
  sleep 0.1
done
kill -TERM "${pids[@]}" 2> /dev/null || true
wait_job
if [[ $codes == "0 0" ]]; then
  echo "the job finished before SIGTERM; nothing to resume"
else
  [[ $codes == "143 143" ]] || fail "SIGTERM: exit codes $codes, expected 143 143: $(cat stopped.rank*.err)"
  grep -q "checkpoint written to 'stopped.checkpoint'" stopped.rank0.err || fail "no stop message: $(cat stopped.rank0.err)"
  echo "SIGTERM: $(tail -1 stopped.rank0.err)"
  start_job resumed 2 "${longer[@]}" --output stopped.pt --resume stopped.checkpoint
  wait_job
  [[ $codes == "0 0" ]] || fail "resuming ended with $codes: $(cat resumed.rank*.err)"
fi
start_job whole 2 --batch-size 1 --samples-per-epoch 64 --output whole.pt
wait_job
[[ $codes == "0 0" ]] || fail "uninterrupted 2-process run ended with $codes: $(cat whole.rank*.err)"
cmp -s stopped.pt whole.pt || fail "the stopped and resumed job wrote another model than the uninterrupted job"

# 3. SIGKILL of rank 1 while training: rank 0 stops within the timeout; the checkpoint resumes.
start_job killed 2 --timeout 10 --batch-size 1 --samples-per-epoch 64 --checkpoint-interval 1 \
  --checkpoint killed.checkpoint --output killed.pt
for _ in $(seq 300); do
  [[ -e killed.checkpoint ]] || ! kill -0 "${pids[1]}" 2> /dev/null && break
  sleep 0.2
done
[[ -e killed.checkpoint ]] || fail "no checkpoint written: $(cat killed.rank*.err)"
sleep 1
kill -KILL "${pids[1]}"
start=$(date +%s)
wait_job
seconds=$(($(date +%s) - start))
[[ ${codes%% *} -ne 0 && ${codes%% *} -ne 143 ]] || fail "rank 0 ended with ${codes%% *} after rank 1 was killed"
[[ ${codes##* } -eq 137 ]] || fail "rank 1 was not killed: $codes"
((seconds <= 10 + 5)) || fail "rank 0 took $seconds s to stop (timeout 10 s)"
[[ $(wc -l < killed.rank0.err | tr -d ' ') -le 2 ]] || fail "rank 0 printed more than one error line: $(cat killed.rank0.err)"
grep -q "revgan-train: error: rank 0 of 2: .* failed" killed.rank0.err ||
  fail "unclear error (rank 0 ended with ${codes%% *}): $(cat killed.rank0.err)"
echo "rank 1 killed: rank 0 stopped after $seconds s: $(grep error killed.rank0.err)"
[[ ! -e killed.pt ]] || fail "a model was written by a job that lost a process"
start_job killed-resumed 2 --batch-size 1 --samples-per-epoch 64 --checkpoint-interval 1 \
  --checkpoint killed.checkpoint --output killed.pt --resume killed.checkpoint
wait_job
[[ $codes == "0 0" ]] || fail "resuming the last checkpoint ended with $codes: $(cat killed-resumed.rank*.err)"
cmp -s killed.pt whole.pt || fail "the killed and resumed job wrote another model than the uninterrupted job"

# 4. A process whose peer never comes stops within its stated timeout (plus start-up: reading the
#    images), as rank 0 and as rank 1 (no rank 0 to reach); one error line each.
for rank in 0 1; do
  start=$(date +%s)
  status=0
  RANK=$rank WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port "${train[@]}" --output alone.pt --samples-per-epoch 16 \
    --distributed-timeout 6 > alone.out 2> alone.err || status=$?
  seconds=$(($(date +%s) - start))
  [[ $status -ne 0 ]] || fail "rank $rank of a job whose other process never came trained"
  ((seconds <= 6 + 4)) || fail "rank $rank took $seconds s to give up joining (timeout 6 s)"
  [[ $(wc -l < alone.err | tr -d ' ') -eq 1 ]] || fail "not one error line: $(cat alone.err)"
  grep -q "rank $rank of 2: could not join the job at 127.0.0.1:$port within 6 s" alone.err || fail "unclear error: $(cat alone.err)"
  echo "never joined, rank $rank: $(cat alone.err) (after $seconds s)"
done
# 5. The real launcher: Debian's torchrun (python3-torch) hosts the rendezvous store itself and tells
#    its workers so (TORCHELASTIC_USE_AGENT_STORE); its job writes the model file of the job started
#    with the variables alone (1.), byte for byte. Debian 12's torchrun (torch 1.13 on Python 3.11)
#    fails at start unless --redirects and --tee name one stream (2: standard error), and takes
#    only the underscore spellings of its options.
torchrun --standalone --nproc_per_node 2 --redirects 2 --tee 2 --log_dir torchrun-logs --no_python \
  "${train[@]}" --batch-size 1 --samples-per-epoch 16 --output torchrun.pt > torchrun.out 2> torchrun.err ||
  fail "revgan-train under torchrun: $(tail -5 torchrun.err)"
cmp -s torchrun.pt two.pt || fail "the torchrun job wrote another model than the job started with its variables"
echo "distributed training: all checks passed"
