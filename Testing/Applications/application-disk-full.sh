#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A full disk or an unwritable folder: revgan-train stops with one line naming the file and the
# system's reason, leaves the previous checkpoint as it was and no partial file; resumed from that
# checkpoint, training ends with the uninterrupted run's model. Folders that cannot take the
# outputs are refused before training.
# A small tmpfs is the full disk (needs root); without it a file-size limit (ulimit -f) makes the
# writes fail instead.
# Usage: application-disk-full.sh APPLICATION_DIR DATA_DIR WORK_DIR
set -uo pipefail
bin="$1" data="$2" work="$3"
[[ -d "$work" ]] && { umount "$work/disk" "$work/readonly" 2> /dev/null; rm -rf "$work"; }
mkdir -p "$work/disk" "$work/readonly" && cd "$work"
fail() { echo "FAILED: $*" >&2; exit 1; }

train=("$bin/revgan-train" --x "$data/BrainT1Slice.png" --y "$data/BrainProtonDensitySlice.png" --width 8 --depth 2
  --patch-size 32 --samples-per-epoch 4 --epochs 3 --decay-epochs 0 --discriminator-width 8 --threads 1)
"${train[@]}" --output reference.pt --checkpoint reference.checkpoint > /dev/null 2> reference.err \
  || fail "reference run: $(cat reference.err)"
size=$(stat -c %s reference.checkpoint)

# The disk holds one checkpoint and a half: the first epoch's checkpoint is written, the second's
# (written beside it before the rename) runs out of room.
mounted=0
if mount -t tmpfs -o size=$(( size + size / 2 )) tmpfs disk 2> /dev/null; then
  mounted=1
  trap 'cd /; umount "$work/disk" "$work/readonly" 2> /dev/null' EXIT
  reason="No space left on device"
  "${train[@]}" --output model.pt --checkpoint disk/checkpoint.pt > /dev/null 2> full.err
  status=$?
else
  # Without root: a file-size limit below the checkpoint's size fails the first write instead.
  reason="File too large"
  cp reference.checkpoint disk/checkpoint.pt
  ( trap '' XFSZ; ulimit -f $(( size / 2048 ))
    "${train[@]}" --output model.pt --checkpoint disk/checkpoint.pt > /dev/null 2> full.err )
  status=$?
fi
[[ $status -ne 0 ]] || fail "training on a full disk exited 0"
[[ $(wc -l < full.err) -eq 1 ]] || fail "expected one line on stderr, got: $(cat full.err)"
grep -qF "'disk/checkpoint.pt' cannot be written: $reason (the file already there is left unchanged)" full.err \
  || fail "unexpected message: $(cat full.err)"
[[ ! -e disk/checkpoint.pt.partial ]] || fail "a partial checkpoint was left behind"
[[ ! -e model.pt ]] || fail "a model was written although training failed"
echo "full disk: $(cat full.err)"

# The checkpoint left on the full disk is intact: resumed elsewhere, it ends where the
# uninterrupted run ended (same model file, byte for byte).
if [[ $mounted -eq 1 ]]; then
  cp disk/checkpoint.pt checkpoint.pt
  "${train[@]}" --output model.pt --resume checkpoint.pt --checkpoint checkpoint.pt > /dev/null 2> resume.err \
    || fail "resume from the checkpoint left on the full disk: $(cat resume.err)"
  cmp -s model.pt reference.pt || fail "resumed from the checkpoint left on the full disk, training ends elsewhere"
  rm model.pt
  echo "the checkpoint left on the full disk resumes to the uninterrupted run's model"
else
  cmp -s disk/checkpoint.pt reference.checkpoint || fail "the previous checkpoint changed"
fi

# Folders that cannot take the outputs are refused before any image is read.
expect_refusal() {
  local expected="$1"
  shift
  "${train[@]}" "$@" > /dev/null 2> refused.err && fail "exit 0 for $*"
  grep -qF "$expected" refused.err || fail "for $*: unexpected message: $(cat refused.err)"
  [[ ! -e model.pt ]] || fail "a model was written for $*"
}
expect_refusal "'missing/checkpoint.pt' cannot be written: folder 'missing' does not exist" \
  --output model.pt --checkpoint missing/checkpoint.pt
expect_refusal "'missing/losses.csv' cannot be written: folder 'missing' does not exist" \
  --output model.pt --loss-log missing/losses.csv
if [[ $mounted -eq 1 ]] && mount -t tmpfs -o ro,size=1m tmpfs readonly 2> /dev/null; then
  expect_refusal "'readonly/model.pt' cannot be written: folder 'readonly' does not accept new files (Read-only file system)" \
    --output readonly/model.pt
  echo "read-only folder refused"
else
  echo "read-only folder: not tested (tmpfs cannot be mounted here)"
fi
echo "ok"
