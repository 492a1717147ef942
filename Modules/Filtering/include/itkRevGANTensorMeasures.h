// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANTensorMeasures_h
#define itkRevGANTensorMeasures_h

#include "itkDiffusionTensor3D.h"

#include <algorithm>
#include <cmath>

namespace itk
{

/** \class RevGANTensorMeasures
 * \brief The scalar measures DTI users read off one diffusion tensor: eigenvalues, principal
 * direction, fractional anisotropy (FA), mean (MD), axial (AD) and radial (RD) diffusivity, whether
 * it is positive definite, and its matrix logarithm.
 *
 * From ITK's eigen-analysis of the symmetric matrix (eigenvalues ascending). AD is the largest
 * eigenvalue, RD the mean of the other two, MD the trace / 3, FA ITK's
 * DiffusionTensor3D::GetFractionalAnisotropy (Westin's formula; defined for any tensor, 0 for the
 * zero tensor). The logarithm V diag(log λ) Vᵀ exists only for positive-definite tensors (all
 * eigenvalues > 0), which is when PositiveDefinite is true; it is then stored in `logarithm`.
 *
 * \ingroup RevGAN
 */
struct RevGANTensorMeasures
{
  /// The tensor type the measures are computed in (double precision).
  using TensorType = DiffusionTensor3D<double>;

  /// The three eigenvalues, ascending, in the tensor's units (e.g. mm²/s).
  TensorType::EigenValuesArrayType eigenvalues{};
  /** Unit eigenvector of the largest eigenvalue (its sign is arbitrary). */
  double principalDirection[3]{};
  /// Fractional anisotropy, dimensionless in [0, 1] for a positive semi-definite tensor.
  double fractionalAnisotropy{ 0.0 };
  /// Mean diffusivity: trace / 3, in the tensor's units.
  double meanDiffusivity{ 0.0 };
  /// Axial diffusivity: the largest eigenvalue.
  double axialDiffusivity{ 0.0 };
  /// Radial diffusivity: the mean of the two smaller eigenvalues.
  double radialDiffusivity{ 0.0 };
  /// Whether all eigenvalues are > 0, so that `logarithm` is defined.
  bool positiveDefinite{ false };
  /** log D (only when positiveDefinite). */
  TensorType logarithm{};

  /** `components` in ITK's order xx, xy, xz, yy, yz, zz. */
  template<typename TComponents>
  static RevGANTensorMeasures
  Of(const TComponents & components)
  {
    TensorType tensor;
    for (unsigned int c = 0; c < 6; ++c)
      tensor[c] = static_cast<double>(components[c]);
    RevGANTensorMeasures               measures;
    TensorType::EigenVectorsMatrixType eigenvectors;
    tensor.ComputeEigenAnalysis(measures.eigenvalues, eigenvectors);
    const auto & l = measures.eigenvalues;
    for (unsigned int d = 0; d < 3; ++d)
      measures.principalDirection[d] = eigenvectors[2][d];
    measures.fractionalAnisotropy = tensor.GetFractionalAnisotropy();
    measures.meanDiffusivity = tensor.GetTrace() / 3.0;
    measures.axialDiffusivity = l[2];
    measures.radialDiffusivity = 0.5 * (l[0] + l[1]);
    measures.positiveDefinite = l[0] > 0.0;
    if (measures.positiveDefinite)
    {
      // Σ log(λ_k) v_k v_kᵀ, component by component of the symmetric result.
      for (unsigned int i = 0; i < 3; ++i)
        for (unsigned int j = i; j < 3; ++j)
        {
          double value = 0.0;
          for (unsigned int k = 0; k < 3; ++k)
            value += std::log(l[k]) * eigenvectors[k][i] * eigenvectors[k][j];
          measures.logarithm(i, j) = value;
        }
    }
    return measures;
  }

  /** Angle in degrees between the principal directions of two tensors, in [0, 90] (a direction
   * and its opposite are the same axis). */
  static double
  AngleBetweenPrincipalDirections(const RevGANTensorMeasures & a, const RevGANTensorMeasures & b)
  {
    double cosine = 0.0;
    for (unsigned int d = 0; d < 3; ++d)
      cosine += a.principalDirection[d] * b.principalDirection[d];
    cosine = std::min(1.0, std::abs(cosine));
    return std::acos(cosine) * 180.0 / 3.14159265358979323846;
  }

  /** Frobenius norm of log A − log B (both must be positive definite): the log-Euclidean distance. */
  static double
  LogEuclideanDistance(const RevGANTensorMeasures & a, const RevGANTensorMeasures & b)
  {
    double squared = 0.0;
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
      {
        const double difference = a.logarithm(i, j) - b.logarithm(i, j);
        squared += difference * difference;
      }
    return std::sqrt(squared);
  }
};

} // namespace itk

#endif
