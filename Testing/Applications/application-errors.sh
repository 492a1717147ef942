#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every bad input ends with one line on stderr naming the file or option, a non-zero exit status and
# no output file. Usage: application-errors.sh APPLICATION_DIR DATA_DIR WORK_DIR
set -uo pipefail
bin="$1" data="$2" work="$3"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
failures=0

# expect_error EXPECTED_TEXT OUTPUT_FILE COMMAND...
expect_error() {
  local expected="$1" output="$2"
  shift 2
  "$@" > stdout.txt 2> stderr.txt
  local status=$?
  local lines
  lines=$(wc -l < stderr.txt)
  if [[ $status -eq 0 ]]; then
    echo "FAILED (exit 0): $*"; failures=$((failures + 1))
  elif [[ $lines -ne 1 ]] || ! grep -qF -- "$expected" stderr.txt; then
    echo "FAILED (stderr '$(cat stderr.txt)' lacks '$expected'): $*"; failures=$((failures + 1))
  elif [[ -n "$output" && -e "$output" ]]; then
    echo "FAILED (left $output behind): $*"; failures=$((failures + 1))
  fi
  ls -a | grep -q partial && { echo "FAILED (partial file left): $*"; failures=$((failures + 1)); }
  return 0
}

t1="$data/BrainT1Slice.png" pd="$data/BrainProtonDensitySlice.png" volume="$data/KmeansTest_T1UCharRaw.nii.gz"
"$bin/revgan-train" --x "$t1" --y "$pd" --output model2d.pt --width 4 --depth 1 --patch-size 32 \
  --samples-per-epoch 2 --epochs 1 --gan-weight 0 --threads 1 > /dev/null || { echo "could not train"; exit 1; }
"$bin/revgan-train" --x "$volume" --y "$volume" --output model3d.pt --generator srcnn --width 4 --depth 0 \
  --patch-size 16 --samples-per-epoch 2 --epochs 1 --gan-weight 0 --threads 1 > /dev/null || { echo "could not train"; exit 1; }
echo "not a model" > broken.pt
"$bin/revgan-prepare" --task phantom --t1 "$volume" --mask "$data/KmeansTest_T1RawSkullStrip.nii.gz" \
  --size 32,32,16 --output tensors.nii.gz > /dev/null || { echo "could not make a phantom"; exit 1; }

expect_error "'missing.png': file missing or unreadable" out.nii.gz \
  "$bin/revgan-translate" --input missing.png --model model2d.pt --output out.nii.gz
expect_error "model file 'broken.pt'" out.nii.gz "$bin/revgan-translate" --input "$t1" --model broken.pt --output out.nii.gz
expect_error "model file 'model3d.pt' is for 3D images but '$t1' is 2D" out.nii.gz \
  "$bin/revgan-translate" --input "$t1" --model model3d.pt --output out.nii.gz
expect_error "model file 'model3d.pt' is for 3D images but '$data/small_64D.nii' is 4D" out.nii.gz \
  "$bin/revgan-translate" --input "$data/small_64D.nii" --model model3d.pt --output out.nii.gz
expect_error "the input has 6 component(s) per pixel but the forward direction" out.nii.gz \
  "$bin/revgan-translate" --input tensors.nii.gz --model model3d.pt --output out.nii.gz
expect_error "--batch must lie in" out.nii.gz \
  "$bin/revgan-translate" --input "$t1" --model model2d.pt --output out.nii.gz --batch 0
expect_error "--direction must be one of forward, inverse" out.nii.gz \
  "$bin/revgan-translate" --input "$t1" --model model2d.pt --output out.nii.gz --direction sideways
expect_error "is not a positive multiple of 4" out.nii.gz \
  "$bin/revgan-translate" --input "$t1" --model model2d.pt --output out.nii.gz --patch-size 30 --overlap 4
expect_error "'no-such-folder/out.nii.gz' cannot be written: folder 'no-such-folder' does not exist" no-such-folder/out.nii.gz \
  "$bin/revgan-translate" --input "$t1" --model model2d.pt --output no-such-folder/out.nii.gz --patch-size 32 --overlap 4
expect_error "--output is required" "" "$bin/revgan-translate" --input "$t1" --model model2d.pt
expect_error "unrecognised option '--colour'" "" "$bin/revgan-translate" --colour red

expect_error "is smaller than the crop size" new.pt \
  "$bin/revgan-train" --x "$t1" --y "$pd" --output new.pt --patch-size 512 --epochs 1
expect_error "--width must lie in" new.pt "$bin/revgan-train" --x "$t1" --y "$pd" --output new.pt --width 0
expect_error "--memory-budget must be a positive number of MiB or 'auto', got 'lots'" new.pt \
  "$bin/revgan-train" --x "$t1" --y "$pd" --output new.pt --patch-size 32 --memory-budget lots
expect_error "'$t1' is 2D, the other images 3D" new.pt "$bin/revgan-train" --x "$t1" --y "$volume" --output new.pt
expect_error "--log-tensors needs DTI volumes" new.pt "$bin/revgan-train" --x "$t1" --y "$pd" --output new.pt --log-tensors
expect_error "--validation-x and --validation-y go together" new.pt \
  "$bin/revgan-train" --x "$t1" --y "$pd" --output new.pt --validation-x "$t1"
expect_error "validation compares translations with their pairs: it needs --objective paired" new.pt \
  "$bin/revgan-train" --x "$t1" --y "$pd" --output new.pt --objective unpaired --validation-fraction 0.1
expect_error "spike factor must be 0 (off) or above 1, got 0.5" new.pt \
  "$bin/revgan-train" --x "$t1" --y "$pd" --output new.pt --spike-factor 0.5
expect_error "mask '$pd' has 3 components, not 1" new.pt \
  "$bin/revgan-train" --x "$t1" --y "$pd" --x-masks "$pd" --output new.pt --patch-size 32 --epochs 1
expect_error "mask '$t1' differs in size from the prediction" "" \
  "$bin/revgan-evaluate" --prediction "$volume" --reference "$volume" --mask "$t1"
expect_error "'$volume' differs in size from the prediction" "" \
  "$bin/revgan-evaluate" --prediction "$t1" --reference "$volume"

expect_error "--task phantom needs --mask" out.nii.gz "$bin/revgan-prepare" --task phantom --t1 "$volume" --output out.nii.gz
expect_error "must be a diffusion-weighted scan" out.nii.gz \
  "$bin/revgan-prepare" --task dti --input "$volume" --bval "$data/small_64D.bval" --bvec "$data/small_64D.bvec" \
  --output out.nii.gz
expect_error "reach outside" out.nii.gz \
  "$bin/revgan-prepare" --task crop --input "$volume" --start 0,0,50 --extent 10,10,20 --output out.nii.gz

mkdir -p empty
expect_error "folder 'empty' holds no image files" new.pt "$bin/revgan-train" --x empty --y "$pd" --output new.pt

# Hostile headers and values, refused before any work (MetaImage files written byte by byte).
metaimage() { # metaimage FILE DIMSIZE SPACING DATA_BYTES(printf format)
  { printf 'ObjectType = Image\nNDims = 2\nDimSize = %s\nElementSpacing = %s\n' "$2" "$3"
    printf 'ElementType = MET_FLOAT\nElementDataFile = LOCAL\n'
    printf "$4"; } > "$1"
}
finite='\x00\x00\x80\x3f\x00\x00\x00\x40\x00\x00\x40\x40\x00\x00\x80\x40' # 1 2 3 4
metaimage nan.mha "2 2" "1 1" '\x00\x00\x80\x3f\x00\x00\xc0\x7f\x00\x00\x40\x40\x00\x00\x80\x7f' # 1 NaN 3 inf
metaimage zero-spacing.mha "2 2" "0 1" "$finite"
metaimage negative-spacing.mha "2 2" "1 -2" "$finite"
metaimage huge.mha "4000000 4000000" "1 1" "$finite"
expect_error "'nan.mha': 2 of its 4 values are NaN or infinite" out.nii.gz \
  "$bin/revgan-translate" --input nan.mha --model model2d.pt --output out.nii.gz
expect_error "'zero-spacing.mha': spacing of axis 0 is 0; it must be positive" out.nii.gz \
  "$bin/revgan-translate" --input zero-spacing.mha --model model2d.pt --output out.nii.gz
expect_error "'negative-spacing.mha': spacing of axis 1 is -2; it must be positive" new.pt \
  "$bin/revgan-train" --x negative-spacing.mha --y "$pd" --output new.pt
expect_error "'huge.mha': the header describes 59604.6 GiB of float pixels, more than this machine's memory" out.nii.gz \
  "$bin/revgan-translate" --input huge.mha --model model2d.pt --output out.nii.gz
# Found by Testing/Fuzz: a NaN (or a value near the float maximum) in the sform made ITK's NIfTI
# reader loop forever in an SVD.
regressions="$(cd "$(dirname "${BASH_SOURCE[0]}")/../Fuzz/corpus/image/regressions" && pwd)"
expect_error "'$regressions/nan-sform-hangs-itk-svd.nii': the NIfTI header's srow[11] is " out.nii.gz \
  "$bin/revgan-translate" --input "$regressions/nan-sform-hangs-itk-svd.nii" --model model2d.pt --output out.nii.gz
expect_error "'$regressions/complex-symmatrix-overflows-itk-buffer.nii': NIfTI datatype 32 (complex or 128-bit values) is not supported" out.nii.gz \
  "$bin/revgan-translate" --input "$regressions/complex-symmatrix-overflows-itk-buffer.nii" --model model2d.pt --output out.nii.gz
# Found by Testing/Fuzz: ITK 5.2 converts scaled integers with several values per voxel into a
# buffer sized for one, and copies past it (RGB; a vector intent).
expect_error "'$regressions/scaled-rgb-overflows-itk-buffer.nii': NIfTI integer values (datatype 128) with several per voxel and scaling (scl_slope 2, scl_inter 0) are not read correctly" out.nii.gz \
  "$bin/revgan-translate" --input "$regressions/scaled-rgb-overflows-itk-buffer.nii" --model model2d.pt --output out.nii.gz
expect_error "'$regressions/scaled-short-vector-overflows-itk-buffer.nii': NIfTI integer values (datatype 4) with several per voxel" out.nii.gz \
  "$bin/revgan-translate" --input "$regressions/scaled-short-vector-overflows-itk-buffer.nii" --model model2d.pt --output out.nii.gz
# Found by Testing/Fuzz: ITK reads a file that starts like a PNG with its PNG reader, which aborted
# the program on a damaged header.
expect_error "'$regressions/damaged-png-header-aborts-itk.nii': a damaged PNG file (" out.nii.gz \
  "$bin/revgan-translate" --input "$regressions/damaged-png-header-aborts-itk.nii" --model model2d.pt --output out.nii.gz
# Found by Testing/Fuzz: choosing a reader for a JPEG file with a damaged segment made ITK's JPEG
# reader jump to a null address.
expect_error "'$regressions/damaged-jpeg-segment-segfaults-itk.jpg': the JPEG file has no marker at byte 89" "" \
  "$bin/revgan-evaluate" "$regressions/damaged-jpeg-segment-segfaults-itk.jpg" "$t1"
expect_error "the NIfTI header's srow[0] is 1.16357e+24; voxel sizes and orientation must be finite and within ±1e6" out.nii.gz \
  "$bin/revgan-translate" --input "$regressions/huge-sform-hangs-itk-svd.nii" --model model2d.pt --output out.nii.gz
model_regressions="$(cd "$(dirname "${BASH_SOURCE[0]}")/../Fuzz/corpus/model/regressions" && pwd)"
# (Refused for claiming 31 GiB where that is more than the machine has; how it is refused elsewhere
# depends on the machine's memory, so only the refusal is checked.)
expect_error "model file '$model_regressions/crafted-size-31-gib-bad-alloc.pt': " out.nii.gz \
  "$bin/revgan-translate" --input "$t1" --model "$model_regressions/crafted-size-31-gib-bad-alloc.pt" --output out.nii.gz
# A malformed TorchScript declaration (CRCs intact) crashed LibTorch's compiler while loading. The
# fuzzer had also changed a memo slot in data.pkl, which the archive check now refuses first (the
# declaration's refusal: ModelFileTest.MalformedDeclarationsAreAnError).
expect_error "record 'archive/data.pkl' at byte 9378: memo slot 1979711885 where LibTorch's writer would fill slot 397" out.nii.gz \
  "$bin/revgan-translate" --input "$t1" --model "$model_regressions/malformed-type-crashes-torchscript-parser.pt" --output out.nii.gz
# A zip64 end record that counts no entries (CRCs intact): LibTorch's zip reader takes the count
# from it, and LibTorch's archive reader then threw out of its constructor, leaking the zip state.
expect_error "the zip64 end of the zip directory disagrees with its end record" out.nii.gz \
  "$bin/revgan-translate" --input "$t1" --model "$model_regressions/zip64-record-counts-no-entries-leaks-zip-state.pt" --output out.nii.gz
# A storage whose persistent id claims 255 floats where its record holds 98, and a tensor placed
# past the 98 (CRCs intact): LibTorch gave the storage the claimed size, and reading the weights
# ran past the record's memory.
expect_error "claims 1020 bytes of tensor data in 'archive/data/0', which holds 392: the file is corrupted or crafted" out.nii.gz \
  "$bin/revgan-translate" --input "$t1" --model "$model_regressions/storage-count-past-its-record-overflows-heap.pt" --output out.nii.gz
head -c 5000 "$data/small_64D.nii" > truncated.nii
expect_error "'truncated.nii': it holds 4648 bytes of pixel data where its header describes " out.nii.gz \
  "$bin/revgan-translate" --input truncated.nii --model model3d.pt --output out.nii.gz
grep -qF "bytes: the file is truncated, or the header is wrong" stderr.txt \
  || { echo "FAILED: truncated NIfTI message: $(cat stderr.txt)"; failures=$((failures + 1)); }
expect_error "'nan.mha': 2 of its 4 values are NaN or infinite" new.pt \
  "$bin/revgan-train" --x "$t1" --y nan.mha --output new.pt

# Images that do not lie in the same place are not compared voxel by voxel unless asked.
zeros() { head -c 576 /dev/zero; } # 12 x 12 floats
{ printf 'ObjectType = Image\nNDims = 2\nDimSize = 12 12\nElementSpacing = 1 1\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n'; zeros; } > a.mha
{ printf 'ObjectType = Image\nNDims = 2\nDimSize = 12 12\nElementSpacing = 1 2\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n'; zeros; } > b.mha
{ printf 'ObjectType = Image\nNDims = 2\nDimSize = 12 12\nOffset = 0 5\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n'; head -c 144 /dev/zero | tr '\0' '\1'; } > mask.mha
expect_error "'b.mha' has another spacing than the prediction (use --ignore-geometry" "" \
  "$bin/revgan-evaluate" a.mha b.mha
expect_error "'mask.mha' has another origin than the prediction" "" "$bin/revgan-evaluate" a.mha a.mha --mask mask.mha
"$bin/revgan-evaluate" a.mha b.mha --mask mask.mha --ignore-geometry > /dev/null 2>&1 \
  || { echo "FAILED: --ignore-geometry did not allow the comparison"; failures=$((failures + 1)); }
# revgan-train pairs X with Y and masks with their images voxel by voxel: the same checks.
{ printf 'ObjectType = Image\nNDims = 2\nDimSize = 12 10\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n'; head -c 480 /dev/zero; } > small.mha
train_small=(--output new.pt --width 4 --depth 1 --patch-size 8 --epochs 1 --samples-per-epoch 1 --gan-weight 0)
expect_error "'b.mha' has another spacing than 'a.mha' (use --ignore-geometry" new.pt \
  "$bin/revgan-train" --x a.mha --y b.mha "${train_small[@]}"
expect_error "'small.mha' differs in size from 'a.mha'" new.pt "$bin/revgan-train" --x a.mha --y small.mha "${train_small[@]}"
expect_error "'mask.mha' has another origin than 'a.mha'" new.pt \
  "$bin/revgan-train" --x a.mha --y a.mha --x-masks mask.mha "${train_small[@]}"
expect_error "there are 2 X masks for 1 images" new.pt \
  "$bin/revgan-train" --x a.mha --y a.mha --x-masks mask.mha,mask.mha "${train_small[@]}"
expect_error "'mask.mha' has another spacing than 'b.mha'" new.pt \
  "$bin/revgan-train" --objective unpaired --x a.mha --y b.mha --y-masks mask.mha "${train_small[@]}"
"$bin/revgan-train" --x a.mha --y b.mha --x-masks mask.mha --ignore-geometry "${train_small[@]}" > /dev/null 2>&1 \
  || { echo "FAILED: revgan-train --ignore-geometry did not train"; failures=$((failures + 1)); }
rm -f new.pt

# A .nii.gz cut off after its first 100 kB (as a broken download leaves it) is refused by every
# application, and a flipped byte in its compressed data too; ITK's reader alone fills the rest.
head -c 100000 "$volume" > cut.nii.gz
expect_error "'cut.nii.gz': its compressed data end early after inflating to " out.nii.gz \
  "$bin/revgan-translate" --input cut.nii.gz --model model3d.pt --output out.nii.gz --patch-size 16
expect_error "'cut.nii.gz': its compressed data end early" "" "$bin/revgan-evaluate" cut.nii.gz "$volume"
expect_error "'cut.nii.gz': its compressed data end early" out.nii.gz \
  "$bin/revgan-prepare" --task degrade --input cut.nii.gz --output out.nii.gz
expect_error "'cut.nii.gz': its compressed data end early" new.pt \
  "$bin/revgan-train" --x cut.nii.gz --y "$volume" --output new.pt --generator srcnn --patch-size 16
cp "$volume" flipped.nii.gz
printf '\xff\xff\xff\xff' | dd of=flipped.nii.gz bs=1 seek=150000 conv=notrunc 2> /dev/null
expect_error "'flipped.nii.gz': its compressed data are corrupt" out.nii.gz \
  "$bin/revgan-translate" --input flipped.nii.gz --model model3d.pt --output out.nii.gz --patch-size 16

# Every pixel a header promises must be in the file: uncompressed data cut to half their size, in
# each layout (data attached to the header, or in a file of their own), are refused by every
# application in one line naming the short file, before MetaIO could fill the rest unsaid.
volume_header() { # volume_header FORMAT DATA_FILE: a 16 x 16 x 8 float volume's header
  if [[ $1 == meta ]]; then
    printf 'ObjectType = Image\nNDims = 3\nDimSize = 16 16 8\nElementType = MET_FLOAT\nElementDataFile = %s\n' "$2"
  else
    printf 'NRRD0004\ntype: float\ndimension: 3\nsizes: 16 16 8\nendian: little\nencoding: raw\n'
    if [[ $2 == LOCAL ]]; then printf '\n'; else printf 'data file: %s\n' "$2"; fi
  fi
}
half() { head -c 4096 /dev/zero; } # of the 8192 bytes described
{ volume_header meta LOCAL; head -c 8192 /dev/zero; } > whole.mha
{ volume_header meta LOCAL; half; } > short.mha
volume_header meta short.raw > short.mhd && half > short.raw
{ volume_header nrrd LOCAL; half; } > short.nrrd
volume_header nrrd short-nrrd.raw > short.nhdr && half > short-nrrd.raw
volume_header nrrd missing.raw > missing.nhdr
expect_error "'short.mha': it holds 4096 bytes of pixel data where its header describes 8192 bytes: the file is truncated" \
  out.nii.gz "$bin/revgan-translate" --input short.mha --model model3d.pt --output out.nii.gz --patch-size 16
expect_error "'short.mhd': its data file 'short.raw' holds 4096 bytes of pixel data where its header describes 8192 bytes" \
  "" "$bin/revgan-evaluate" short.mhd whole.mha
expect_error "'short.nrrd': it holds 4096 bytes of pixel data where its header describes 8192 bytes" out.nii.gz \
  "$bin/revgan-prepare" --task degrade --input short.nrrd --output out.nii.gz
expect_error "'short.nhdr': its data file 'short-nrrd.raw' holds 4096 bytes of pixel data" new.pt \
  "$bin/revgan-train" --x short.nhdr --y whole.mha --output new.pt --generator srcnn --patch-size 8
expect_error "'missing.nhdr': its data file 'missing.raw' cannot be opened (No such file or directory)" "" \
  "$bin/revgan-evaluate" missing.nhdr whole.mha
head -c $(($(stat -c %s "$data/small_64D.nii") - 1)) "$data/small_64D.nii" > one-byte-short.nii
expect_error "'one-byte-short.nii': it holds " "" "$bin/revgan-evaluate" one-byte-short.nii "$data/small_64D.nii"
head -c 20000 "$t1" > cut.png
expect_error "'cut.png': the PNG file ends after 20000 bytes, inside its chunk 'IDAT'" out.nii.gz \
  "$bin/revgan-translate" --input cut.png --model model2d.pt --output out.nii.gz
# A library's own error arrives as its last words, without source paths, addresses or teem's chain.
printf 'NRRD0004\ntype: float\ndimension: 3\nsizes: 16 16\nencoding: raw\n\n' > broken.nrrd
half >> broken.nrrd
expect_error "'broken.nrrd': cannot be read: " out.nii.gz \
  "$bin/revgan-prepare" --task degrade --input broken.nrrd --output out.nii.gz
grep -qE "\[nrrd\]|0x[0-9a-f]|\.cxx:|itk::ERROR" stderr.txt && { echo "FAILED: library noise: $(cat stderr.txt)"; failures=$((failures + 1)); }

# A loss log that cannot be flushed to the disk (here a pipe: fsync refuses it) costs one warning,
# never the checkpoint or the run.
"$bin/revgan-train" --x "$t1" --y "$pd" --output piped.pt --width 4 --depth 1 --patch-size 32 --samples-per-epoch 2 \
  --epochs 2 --gan-weight 0 --threads 1 --checkpoint piped-checkpoint.pt --loss-log /dev/stdout 2> stderr.txt | cat > /dev/null
[[ ${PIPESTATUS[0]} -eq 0 && -s piped.pt && -s piped-checkpoint.pt ]] \
  || { echo "FAILED: training with an unflushable loss log: $(cat stderr.txt)"; failures=$((failures + 1)); }
[[ $(grep -c "warning: '/dev/stdout' cannot be flushed to the disk" stderr.txt) -eq 1 ]] \
  || { echo "FAILED: expected one warning about the loss log: $(cat stderr.txt)"; failures=$((failures + 1)); }

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
