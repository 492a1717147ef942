// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANImportanceMap_h
#define itkRevGANImportanceMap_h

#include "itkIntTypes.h"
#include "itkRevGANBlending.h"
#include "itkSize.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace itk
{

/** \class RevGANImportanceMap
 * \brief The weight of each position of a patch when overlapping predictions are blended: 1
 * everywhere (constant), or a Gaussian around the patch's centre with σ = max(1, size / 8) per
 * axis (MONAI's compute_importance_map), the product over axes.
 */
template<unsigned int VDimension>
class RevGANImportanceMap
{
public:
  /// The weights of a patch of `patchSize` pixels for `blending`.
  RevGANImportanceMap(const Size<VDimension> & patchSize, RevGANBlending blending)
  {
    for (unsigned int d = 0; d < VDimension; ++d)
    {
      m_AxisWeights[d].assign(patchSize[d], 1.0f);
      if (blending != RevGANBlending::Gaussian)
        continue;
      const double sigma = std::max(1.0, patchSize[d] / 8.0);
      const double centre = (patchSize[d] - 1) / 2.0;
      for (SizeValueType i = 0; i < patchSize[d]; ++i)
        m_AxisWeights[d][i] = static_cast<float>(std::exp(-0.5 * std::pow((i - centre) / sigma, 2)));
    }
  }

  /** The weight at `position` inside the patch (0 ≤ position[d] < patch size). */
  template<typename TPosition>
  float
  Weight(const TPosition & position) const
  {
    float weight = 1.0f;
    for (unsigned int d = 0; d < VDimension; ++d)
      weight *= m_AxisWeights[d][static_cast<size_t>(position[d])];
    return weight;
  }

  /// The weights along `axis` (one per position of the patch), whose product over axes is Weight().
  const std::vector<float> &
  GetAxisWeights(unsigned int axis) const
  {
    return m_AxisWeights[axis];
  }

private:
  std::array<std::vector<float>, VDimension> m_AxisWeights;
};

} // namespace itk

#endif
