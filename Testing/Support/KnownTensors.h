// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cmath>

namespace revgan::test
{

/// Six tensor components in the toolkit's order: xx, xy, xz, yy, yz, zz.
using TensorComponents = std::array<double, 6>;

/// diag(a, b, c) rotated by `radians` about z (R D Rᵀ): a tensor whose eigenvalues are a, b and c
/// and whose principal direction is (cos, sin, 0) of the angle, so that FA, the diffusivities,
/// the principal direction and the matrix logarithm are known in closed form.
inline TensorComponents
rotatedDiagonal(double a, double b, double c, double radians)
{
  const double cs = std::cos(radians), sn = std::sin(radians);
  return { a * cs * cs + b * sn * sn, (a - b) * cs * sn, 0.0, a * sn * sn + b * cs * cs, 0.0, c };
}

} // namespace revgan::test
