// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/NetworkOptions.h"

#include <torch/types.h>

namespace revgan
{

/// Pads every spatial axis of an (N, C, spatial...) tensor by `width` voxels on both sides, with
/// copies of the border (PaddingMode::Replicate) or its mirror image without the border voxel
/// itself (PaddingMode::Reflect; `width` must be smaller than every spatial extent) — the values
/// of torch::nn::functional::pad in "replicate" and "reflect" mode.
///
/// Why not that function: LibTorch 1.13's replication and reflection padding kernels compute a
/// source index per output voxel, and their backward passes scatter-add voxel by voxel; for a batch
/// of four 16-channel 24³ activations (the main job's reversible blocks), padding took about a third
/// as long as the 3×3×3 convolution that followed it, forward and backward (23.6 against 77 ms with
/// Debian's python3-torch 1.13 on this project's machines). Here the forward copies the
/// interior in one strided copy and fills the border slabs axis by axis from slices of the
/// result; the backward folds the border slabs' gradients back onto the voxels they came from
/// with slice sums, axis by axis in the opposite order. Differentiable once (no double backward).
torch::Tensor
padBorder(const torch::Tensor & input, int64_t width, PaddingMode mode);

} // namespace revgan
