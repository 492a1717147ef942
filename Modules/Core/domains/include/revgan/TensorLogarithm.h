// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <torch/types.h>

namespace revgan
{

/// \name Log-Euclidean domain of diffusion tensors
/// Fields of symmetric 3×3 tensors held as 6 channels in ITK's order (xx, xy, xz, yy, yz, zz),
/// shaped (6, z, y, x) or (N, 6, z, y, x). Both functions diagonalise every tensor (LibTorch's
/// `linalg_eigh`, in double precision, in chunks so that a whole volume needs little memory) and
/// map its eigenvalues; the result has the input's shape and type. No gradients flow through them:
/// they map data before and after the network.
/// @{

/// log D = V diag(log max(λ, floor)) Vᵀ. A tensor that is not positive definite (background
/// zeros, noise) has its eigenvalues ≤ floor raised to `floor` (> 0) first.
torch::Tensor
tensorLogarithm(const torch::Tensor & tensors, double floor);

/// exp L = V diag(exp λ) Vᵀ: positive definite for every symmetric L.
torch::Tensor
tensorExponential(const torch::Tensor & tensors);

/// @}

} // namespace revgan
