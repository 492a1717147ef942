#pragma once

#include "itkImageBase.h"
#include "itkImageToImageFilterCommon.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace revgan
{

/// Throws std::invalid_argument naming `path` unless `image` lies where `reference` lies: same
/// origin and spacing (within ITK's global coordinate tolerance, a fraction of the spacing) and
/// same direction cosines (within ITK's direction tolerance) — what ITK's multi-input filters
/// require. Sizes are checked by the callers, which can name them better.
template<unsigned int D>
void
requireSameGeometry(const std::string &       path,
                    const itk::ImageBase<D> * image,
                    const itk::ImageBase<D> * reference,
                    const std::string &       referenceName)
{
  const double coordinateTolerance = itk::ImageToImageFilterCommon::GetGlobalDefaultCoordinateTolerance();
  const double directionTolerance = itk::ImageToImageFilterCommon::GetGlobalDefaultDirectionTolerance();
  auto         fail = [&](const std::string & what)
  {
    throw std::invalid_argument("'" + path + "' has another " + what + " than " + referenceName +
                                " (use --ignore-geometry if the images are known to correspond voxel by voxel)");
  };
  for (unsigned int d = 0; d < D; ++d)
  {
    const double tolerance = coordinateTolerance * std::abs(reference->GetSpacing()[d]);
    if (std::abs(image->GetSpacing()[d] - reference->GetSpacing()[d]) > tolerance)
      fail("spacing");
    if (std::abs(image->GetOrigin()[d] - reference->GetOrigin()[d]) > tolerance)
      fail("origin");
    for (unsigned int e = 0; e < D; ++e)
    {
      if (std::abs(image->GetDirection()[d][e] - reference->GetDirection()[d][e]) > directionTolerance)
        fail("direction");
    }
  }
}

} // namespace revgan
