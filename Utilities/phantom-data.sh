# Sourced by run-main-job.sh and run-depth-study.sh: the DTI phantom in the real brain's geometry and
# its train/test split, made in the current folder.
#   hr.nii.gz     phantom tensors at 256×256×124 (1×1×1.5 mm) from ITK's brain volume and mask (Data/);
#   lr.nii.gz     the paper's low-resolution input: 2× block average, then nearest-neighbour upsampling;
#   mask.nii.gz   the brain mask on the phantom's grid;
#   *_train       slices z < 80, *_test slices z ≥ 80 (held out).
# Usage: make_phantom_data BIN_DIR DATA_DIR
make_phantom_data() {
  local bin="$1" data="$2" volume
  "$bin/revgan-prepare" --task phantom --t1 "$data/KmeansTest_T1UCharRaw.nii.gz" \
    --mask "$data/KmeansTest_T1RawSkullStrip.nii.gz" --size 256,256,124 --output hr.nii.gz > /dev/null
  "$bin/revgan-prepare" --task degrade --input hr.nii.gz --output lr.nii.gz > /dev/null
  "$bin/revgan-prepare" --task resample --input "$data/KmeansTest_T1RawSkullStrip.nii.gz" --reference hr.nii.gz \
    --output mask.nii.gz > /dev/null
  for volume in hr lr mask; do
    crop_train_test "$bin" $volume
  done
}

# The train/test split of one volume: NAME.nii.gz into NAME_train.nii.gz and NAME_test.nii.gz.
crop_train_test() {
  "$1/revgan-prepare" --task crop --input "$2.nii.gz" --start 0,0,0 --extent 256,256,80 \
    --output "$2_train.nii.gz" > /dev/null
  "$1/revgan-prepare" --task crop --input "$2.nii.gz" --start 0,0,80 --extent 256,256,44 \
    --output "$2_test.nii.gz" > /dev/null
}

# One field of a one-line JSON object: json_value FILE KEY
json_value() { sed -E "s/.*\"$2\":([^,}]+).*/\1/" "$1"; }
