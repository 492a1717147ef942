#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs everything the toolkit needs to build and test on Debian 12, from Debian's packages;
# with --with-figures also what the main job's and the benchmarks' figures need (matplotlib, nibabel).
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libtorch-dev                  # LibTorch 1.13 (CPU)
  libgloo-dev                   # Gloo's headers, needed by LibTorch's c10d (data-parallel training)
  libopenblas0-pthread          # fast BLAS for LibTorch (Debian's default is the reference BLAS)
  libinsighttoolkit5-dev        # ITK 5.2
  libgdcm-tools                 # binaries that ITK's CMake configuration references
  libnifti2-dev
  libboost-program-options-dev
  libgtest-dev
  zlib1g-dev                    # CRC-32 checks of model files
  libpng-dev                    # PNG headers checked before ITK reads them
  libjpeg-dev                   # JPEG files decoded with an error handler before ITK reads them
  clang libclang-rt-14-dev      # the sanitizer and fuzzing build (Testing/run-sanitized-tests.sh)
  clang-format                  # the style.clang-format test
  doxygen                       # the API reference (target doc) and its test documentation.api
  dpkg-dev file                 # cpack -G DEB: dpkg-shlibdeps finds the package's dependencies
  python3-dev pybind11-dev      # the Python package revgan (Wrapping/Python)
  python3-torch python3-numpy   # … whose torch shares the system LibTorch
  python3-nibabel python3-pytest  # … its conversions and its tests
)
# Only for the figures of the main job and the benchmarks (not needed to build or test).
figure_packages=(python3-matplotlib)

case "${1:-}" in
  --with-figures) packages+=("${figure_packages[@]}") ;;
  "") ;;
  *) echo "install-dependencies: error: unknown option '$1' (usage: install-dependencies.sh [--with-figures])" >&2
     exit 1 ;;
esac

run_as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "install-dependencies: error: must run as root (or with sudo available) to install packages" >&2
    exit 1
  fi
}

run_as_root apt-get update -q
run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}"
