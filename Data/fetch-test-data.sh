#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Obtains the real test images and volumes from Debian packages without installing them:
# `apt-get download` fetches each .deb, `dpkg -x` unpacks it into a scratch folder, and the few
# files the tests use are copied into the cache folder. Running it again when the files are there
# does nothing.
#
# Usage: Data/fetch-test-data.sh [CACHE_DIR]
#   CACHE_DIR defaults to $REVGAN_DATA_DIR, else Data/cache beside this script.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_dir="${1:-${REVGAN_DATA_DIR:-$script_dir/cache}}"

# package|path inside the package|file name in the cache
files=(
  "insighttoolkit5-examples|usr/share/doc/insighttoolkit5-examples/examples/Data|BrainT1Slice.png"
  "insighttoolkit5-examples|usr/share/doc/insighttoolkit5-examples/examples/Data|BrainProtonDensitySlice.png"
  "insighttoolkit5-examples|usr/share/doc/insighttoolkit5-examples/examples/Data|KmeansTest_T1UCharRaw.nii.gz"
  "insighttoolkit5-examples|usr/share/doc/insighttoolkit5-examples/examples/Data|KmeansTest_T1RawSkullStrip.nii.gz"
  "python3-dipy|usr/lib/python3/dist-packages/dipy/data/files|small_64D.nii"
  "python3-dipy|usr/lib/python3/dist-packages/dipy/data/files|small_64D.bval"
  "python3-dipy|usr/lib/python3/dist-packages/dipy/data/files|small_64D.bvec"
)

fail() {
  echo "fetch-test-data: error: $*" >&2
  exit 1
}

missing_packages=()
for entry in "${files[@]}"; do
  IFS='|' read -r package _ name <<<"$entry"
  if [[ ! -s "$cache_dir/$name" ]]; then
    [[ " ${missing_packages[*]-} " == *" $package "* ]] || missing_packages+=("$package")
  fi
done
if [[ ${#missing_packages[@]} -eq 0 ]]; then
  echo "fetch-test-data: test data present in $cache_dir"
  exit 0
fi

command -v apt-get >/dev/null || fail "apt-get not found: this script needs a Debian-based system"
command -v dpkg >/dev/null || fail "dpkg not found: this script needs a Debian-based system"
mkdir -p "$cache_dir" || fail "cannot create cache folder $cache_dir"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# apt may download as the unprivileged _apt user, which must be able to write here.
chmod 0777 "$scratch"

for package in "${missing_packages[@]}"; do
  echo "fetch-test-data: downloading $package"
  if ! (cd "$scratch" && apt-get download -q "$package" >"$scratch/$package.log" 2>&1); then
    cat "$scratch/$package.log" >&2
    fail "could not download Debian package '$package' (run 'apt-get update' first, and check that a Debian mirror is reachable)"
  fi
  deb=("$scratch"/"${package}"_*.deb)
  [[ -f "${deb[0]}" ]] || fail "apt-get download produced no .deb for '$package'"
  dpkg -x "${deb[0]}" "$scratch/$package" || fail "could not unpack ${deb[0]}"
done

for entry in "${files[@]}"; do
  IFS='|' read -r package path name <<<"$entry"
  [[ -s "$cache_dir/$name" ]] && continue
  source_file="$scratch/$package/$path/$name"
  [[ -s "$source_file" ]] || fail "package '$package' no longer contains $path/$name"
  # Copy under a temporary name and rename, so an interrupted run leaves no truncated file.
  cp "$source_file" "$cache_dir/.$name.partial"
  mv "$cache_dir/.$name.partial" "$cache_dir/$name"
done
echo "fetch-test-data: test data ready in $cache_dir"
