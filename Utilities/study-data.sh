# SPDX-License-Identifier: Apache-2.0
# Sourced by run-main-job.sh and run-depth-study.sh: the data of a study and its train/test split,
# made in the current folder. choose_subject sets which (the phantom unless called).
#   hr.nii.gz     the high-resolution target;
#   lr.nii.gz     the paper's low-resolution input: 2× block average, then nearest-neighbour upsampling;
#   lr_grid.nii.gz the same block averages on their own coarse grid (as a scanner would write them);
#   mask.nii.gz   the brain mask on the same grid;
#   *_train       the lower slices, *_test the upper slices (held out); lr_grid_train and
#                 lr_grid_test are the same slices on the coarse grid.
# Subjects:
#   phantom  DTI tensors at 256×256×124 (1×1×1.5 mm) made from ITK's brain T1 volume and mask (Data/);
#            train z < 80, test z ≥ 80;
#   t1       that real T1 scan itself, 128×128×62 at 2×2×3 mm (scalar); train z < 40, test z ≥ 40.

# The split of the chosen subject (crop start and extents, x,y,z) and its channels.
split_train=256,256,80 split_test_start=0,0,80 split_test=256,256,44 subject_channels=6 make_data=make_phantom_data
split_train_coarse=128,128,40 split_test_start_coarse=0,0,40 split_test_coarse=128,128,22

# Usage: choose_subject phantom|t1
choose_subject() {
  case "$1" in
    phantom) split_train=256,256,80 split_test_start=0,0,80 split_test=256,256,44 subject_channels=6
      split_train_coarse=128,128,40 split_test_start_coarse=0,0,40 split_test_coarse=128,128,22
      make_data=make_phantom_data ;;
    t1) split_train=128,128,40 split_test_start=0,0,40 split_test=128,128,22 subject_channels=1
      split_train_coarse=64,64,20 split_test_start_coarse=0,0,20 split_test_coarse=64,64,11
      make_data=make_t1_data ;;
    *) echo "unknown subject '$1' (phantom or t1)" >&2; return 1 ;;
  esac
}

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
  make_coarse_data "$bin"
}

# Usage: make_t1_data BIN_DIR DATA_DIR
make_t1_data() {
  local bin="$1" data="$2" volume
  "$bin/revgan-prepare" --task crop --input "$data/KmeansTest_T1UCharRaw.nii.gz" --start 0,0,0 --extent 128,128,62 \
    --output hr.nii.gz > /dev/null
  "$bin/revgan-prepare" --task degrade --input hr.nii.gz --output lr.nii.gz > /dev/null
  "$bin/revgan-prepare" --task crop --input "$data/KmeansTest_T1RawSkullStrip.nii.gz" --start 0,0,0 \
    --extent 128,128,62 --output mask.nii.gz > /dev/null
  for volume in hr lr mask; do
    crop_train_test "$bin" $volume
  done
  make_coarse_data "$bin"
}

# The block averages on their coarse grid, split as the fine volumes are: lr_grid_train, lr_grid_test.
make_coarse_data() {
  "$1/revgan-prepare" --task shrink --input hr.nii.gz --output lr_grid.nii.gz > /dev/null
  "$1/revgan-prepare" --task crop --input lr_grid.nii.gz --start 0,0,0 --extent "$split_train_coarse" \
    --output lr_grid_train.nii.gz > /dev/null
  "$1/revgan-prepare" --task crop --input lr_grid.nii.gz --start "$split_test_start_coarse" --extent "$split_test_coarse" \
    --output lr_grid_test.nii.gz > /dev/null
}

# The train/test split of one volume: NAME.nii.gz into NAME_train.nii.gz and NAME_test.nii.gz.
crop_train_test() {
  "$1/revgan-prepare" --task crop --input "$2.nii.gz" --start 0,0,0 --extent "$split_train" \
    --output "$2_train.nii.gz" > /dev/null
  "$1/revgan-prepare" --task crop --input "$2.nii.gz" --start "$split_test_start" --extent "$split_test" \
    --output "$2_test.nii.gz" > /dev/null
}

# The columns of a depth study's runs.csv (run-depth-study.sh writes them, summarize-depth-study.sh
# reads them by position; both refuse a runs.csv with others).
depth_study_columns=loss,model,depth,seed,seconds,rmse_total,rmse_interior,fa_rmse_interior,non_pd_fraction_total,log_euclidean_interior

# memory_file LOSS: where a study keeps the activation memory of that loss's training steps.
memory_file() { [[ $1 == gan ]] && echo memory-gan.jsonl || echo memory.jsonl; }

# One field of a one-line JSON object, empty when it has none: json_value FILE KEY
json_value() { sed -nE "s/.*\"$2\":([^,}]+).*/\1/p" "$1"; }
