// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANStructuralSimilarity_h
#define itkRevGANStructuralSimilarity_h

#include <array>
#include <cmath>

namespace itk
{

/** \class RevGANStructuralSimilarity
 * \brief SSIM of one window (Wang et al. 2004): an 11×11 Gaussian window with σ = 1.5,
 * K1 = 0.01, K2 = 0.03, as in the reference implementation. ITK has no such filter; its Gaussian
 * smoothers use another discrete kernel, which would change the values.
 * \ingroup RevGAN
 */
class RevGANStructuralSimilarity
{
public:
  /// Side of the square window in pixels.
  static constexpr int Window = 11;

  /// The window weights and the stabilising constants C1 = (K1·dataRange)², C2 = (K2·dataRange)² for
  /// intensities spanning `dataRange` (255 for 8-bit images).
  explicit RevGANStructuralSimilarity(double dataRange)
    : m_C1(std::pow(0.01 * dataRange, 2))
    , m_C2(std::pow(0.03 * dataRange, 2))
  {
    double sum = 0.0;
    for (int i = 0; i < Window; ++i)
      sum += m_Kernel[i] = std::exp(-0.5 * std::pow((i - Window / 2) / 1.5, 2));
    for (auto & k : m_Kernel)
      k /= sum;
  }

  /** SSIM of the window whose pixels (x, y), 0 ≤ x, y < Window, are a(x, y) and b(x, y). */
  template<typename TA, typename TB>
  double
  AtWindow(const TA & a, const TB & b) const
  {
    double meanA = 0, meanB = 0, aa = 0, bb = 0, ab = 0;
    for (int y = 0; y < Window; ++y)
    {
      for (int x = 0; x < Window; ++x)
      {
        const double w = m_Kernel[x] * m_Kernel[y];
        const double va = a(x, y);
        const double vb = b(x, y);
        meanA += w * va;
        meanB += w * vb;
        aa += w * va * va;
        bb += w * vb * vb;
        ab += w * va * vb;
      }
    }
    const double varA = aa - meanA * meanA, varB = bb - meanB * meanB, cov = ab - meanA * meanB;
    return ((2 * meanA * meanB + m_C1) * (2 * cov + m_C2)) /
           ((meanA * meanA + meanB * meanB + m_C1) * (varA + varB + m_C2));
  }

private:
  std::array<double, Window> m_Kernel{};
  double                     m_C1;
  double                     m_C2;
};

} // namespace itk

#endif
