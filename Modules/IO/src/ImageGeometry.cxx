// SPDX-License-Identifier: Apache-2.0
#include "revgan/ImageGeometry.h"

#include "itkImageToImageFilterCommon.h"

#include <cmath>

namespace revgan
{

void
requireSameGeometry(const std::string &   path,
                    const ImageGeometry & image,
                    const ImageGeometry & reference,
                    const std::string &   referenceName)
{
  const double coordinateTolerance = itk::ImageToImageFilterCommon::GetGlobalDefaultCoordinateTolerance();
  const double directionTolerance = itk::ImageToImageFilterCommon::GetGlobalDefaultDirectionTolerance();
  auto         fail = [&](const std::string & what)
  {
    throw std::invalid_argument("'" + path + "' has another " + what + " than " + referenceName +
                                " (use --ignore-geometry if the images are known to correspond voxel by voxel)");
  };
  if (image.spacing.size() != reference.spacing.size())
    fail("dimension");
  for (size_t d = 0; d < reference.spacing.size(); ++d)
  {
    const double tolerance = coordinateTolerance * std::abs(reference.spacing[d]);
    if (std::abs(image.spacing[d] - reference.spacing[d]) > tolerance)
      fail("spacing");
    if (std::abs(image.origin[d] - reference.origin[d]) > tolerance)
      fail("origin");
  }
  for (size_t i = 0; i < reference.direction.size(); ++i)
  {
    if (std::abs(image.direction[i] - reference.direction[i]) > directionTolerance)
      fail("direction");
  }
}

} // namespace revgan
