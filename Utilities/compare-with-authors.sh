#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side, same-run timing of one full unpaired training step (forward cycles, generators' update,
# discriminators' update; Adam; batch 1; CPU) of the authors' PyTorch code (tychovdo/RevGAN with
# memcnn 1.5.2; Utilities/authors-step-time.py) and of ours (revgan-bench speed), in the paper's
# 128x128 configurations: RevGAN ngf 32 with 6, 9 and 30 reversible blocks, CycleGAN (ResNet
# generators, ngf 32) with 6 and 9 blocks; PatchGAN ndf 64, least-squares GAN, cycle weight 10, no
# identity loss on both sides (both sides have the same parameter counts: the harness prints theirs).
#   - rounds are interleaved (each round runs every configuration, the authors' step then ours), so a
#     slow spell of the machine hits both sides alike; each run reports the median of REPEAT steps
#     after its warm-up, and the table shows the median over rounds;
#   - the authors' RevGAN runs in their default mode (memcnn's memory-saving reversible blocks); ours
#     in the gradient mode revgan-bench --memory-budget chooses for MEMORY_BUDGET (the "ours mode"
#     column), or, with MEMORY_BUDGET empty, in the reversible mode like theirs.
# Results: OUT (default build/compare-with-authors.jsonl; one JSON line per run, "code" authors or
# ours, with "round"; rewritten from scratch by every run) and the table on stdout.
# Settings (environment): ROUNDS (3), CONFIGS ("revgan:6 revgan:9 revgan:30 cyclegan:6 cyclegan:9"),
#   SIZE (128), THREADS (2), WARMUP (2: the authors' untimed steps; revgan-bench always warms up with
#   one), REPEAT (5), MEMORY_BUDGET (1024 MiB, for our RevGAN), PYTHON (/usr/bin/python3: a Python with
#   torch, numpy and PIL; no torchvision, visdom or dominate needed), REVGAN_BENCH (build/Applications/
#   revgan-bench). The defaults should take 10 to 20 minutes on 2 cores (an estimate: not yet run in
#   full); run it on an otherwise idle machine: the figures are timings.
#   Smoke test (under a minute): ROUNDS=1 SIZE=32 CONFIGS="revgan:2 cyclegan:2" WARMUP=1 REPEAT=1.
# Usage: Utilities/compare-with-authors.sh [AUTHORS_DIR [MEMCNN_DIR [OUT]]]
#   AUTHORS_DIR (or env AUTHORS_DIR): a checkout of github.com/tychovdo/RevGAN;
#   MEMCNN_DIR (or env MEMCNN_DIR): a checkout of github.com/silvandeleemput/memcnn at tag 1.5.2.
#   Neither is copied into this repository: the harness imports them from there at run time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
authors=${1:-${AUTHORS_DIR:-}}
memcnn=${2:-${MEMCNN_DIR:-}}
out=${3:-${OUT:-$root/build/compare-with-authors.jsonl}}
rounds=${ROUNDS:-3} size=${SIZE:-128} threads=${THREADS:-2} warmup=${WARMUP:-2} repeat=${REPEAT:-5}
configs=${CONFIGS:-revgan:6 revgan:9 revgan:30 cyclegan:6 cyclegan:9}
budget=${MEMORY_BUDGET-1024}   # "-": an empty MEMORY_BUDGET means no budget
python=${PYTHON:-/usr/bin/python3}
bench=${REVGAN_BENCH:-$root/build/Applications/revgan-bench}
harness="$root/Utilities/authors-step-time.py"

fail() { echo "compare-with-authors: error: $*" >&2; exit 1; }
[[ -n $authors && -n $memcnn ]] || fail "give AUTHORS_DIR and MEMCNN_DIR (arguments or environment); see the header"
[[ -f $authors/models/unpaired_revgan_model.py ]] || fail "$authors is not a checkout of tychovdo/RevGAN"
[[ -f $memcnn/memcnn/__init__.py ]] || fail "$memcnn holds no memcnn package"
# The comparison is defined with memcnn 1.5.2; another version would time other code.
grep -q "__version__ = '1.5.2'" "$memcnn/memcnn/__init__.py" || fail "$memcnn is not memcnn 1.5.2 (git checkout 1.5.2)"
[[ -x $bench ]] || fail "$bench not found; build the project first"
"$python" -c 'import torch' 2> /dev/null || fail "$python cannot import torch; set PYTHON"

mkdir -p "$(dirname "$out")"
: > "$out"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Runs a command whose stdout is one JSON line; its stderr (their progress prints, warnings) is shown
# only when it fails.
json_of() {
  local line
  if ! line=$("$@" 2> "$log"); then
    cat "$log" >&2
    fail "failed: $*"
  fi
  [[ $(wc -l <<< "$line") == 1 ]] || fail "expected one JSON line from: $*"
  echo "$line"
}

# Our step as one JSON line in the harness's form: the configuration's name, seconds_per_step, round,
# and revgan-bench's own figures under "bench".
ours_record() { # ROUND MODEL BENCH_JSON
  "$python" -c '
import json, sys
bench = json.loads(sys.argv[3])
print(json.dumps({"code": "ours", "round": int(sys.argv[1]), "model": sys.argv[2], "depth": bench["depth"],
                  "size": bench["size"], "seconds_per_step": bench["seconds"], "mode": bench["mode"],
                  "bench": bench}))' "$@"
}

authors_record() { # ROUND HARNESS_JSON
  "$python" -c '
import json, sys
record = json.loads(sys.argv[2])
print(json.dumps({"round": int(sys.argv[1]), **record}))' "$@"
}

echo "== authors' code ($authors, memcnn $memcnn) against $bench: $rounds rounds of [$configs]," \
  "${size}x$size, $threads threads, median of $repeat steps; results in $out" >&2
for round in $(seq 1 "$rounds"); do
  for config in $configs; do
    model=${config%%:*} depth=${config##*:}
    case $model in
      revgan)
        ours_model=revgan
        if [[ -n $budget ]]; then ours_mode=(--memory-budget "$budget"); else ours_mode=(--modes reversible); fi ;;
      cyclegan) ours_model=resnet ours_mode=() ;;  # resnet: revgan-bench's CycleGAN baseline
      *) fail "unknown model '$model' in CONFIGS (revgan or cyclegan)" ;;
    esac
    echo "   round $round: $model depth $depth" >&2
    authors_json=$(json_of "$python" "$harness" --authors "$authors" --memcnn "$memcnn" --model "$model" \
      --depth "$depth" --size "$size" --warmup "$warmup" --repeat "$repeat" --threads "$threads" --json)
    authors_record "$round" "$authors_json" >> "$out"
    ours_json=$(json_of "$bench" speed --models "$ours_model" "${ours_mode[@]}" --objective unpaired --width 32 \
      --discriminator-width 64 --gan-weight 1 --batch-size 1 --sizes "$size" --depths "$depth" \
      --threads "$threads" --repeat "$repeat" --json)
    ours_record "$round" "$model" "$ours_json" >> "$out"
  done
done

# The table: per configuration, the median over rounds of each side's per-run median.
"$python" - "$out" "$configs" << 'EOF'
import json, statistics, sys
records = [json.loads(line) for line in open(sys.argv[1])]
print("%-14s %11s %9s %12s  %s" % ("configuration", "authors s", "ours s", "ours/authors", "ours mode"))
for config in sys.argv[2].split():
    model, depth = config.split(":")
    runs = {code: [r for r in records if r["code"] == code and r["model"] == model and r["depth"] == int(depth)]
            for code in ("authors", "ours")}
    authors = statistics.median(r["seconds_per_step"] for r in runs["authors"])
    ours = statistics.median(r["seconds_per_step"] for r in runs["ours"])
    modes = ",".join(sorted({r["mode"] for r in runs["ours"]}))
    print("%-14s %11.3f %9.3f %12.2f  %s" % ("%s d%s" % (model, depth), authors, ours, ours / authors, modes))
EOF
