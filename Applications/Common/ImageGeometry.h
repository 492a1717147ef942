#pragma once

#include "itkImageBase.h"
#include "itkImageToImageFilterCommon.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace revgan
{

/// Where an image lies, whatever its dimension: kept by applications that turn images into
/// tensors (which have no geometry) so that paired images and masks can still be compared.
struct ImageGeometry
{
  std::vector<uint64_t> size;
  std::vector<double>   origin;
  std::vector<double>   spacing;
  std::vector<double>   direction; ///< row-major D×D

  template<unsigned int D>
  static ImageGeometry
  of(const itk::ImageBase<D> * image)
  {
    ImageGeometry geometry;
    for (unsigned int d = 0; d < D; ++d)
    {
      geometry.size.push_back(image->GetLargestPossibleRegion().GetSize()[d]);
      geometry.origin.push_back(image->GetOrigin()[d]);
      geometry.spacing.push_back(image->GetSpacing()[d]);
      for (unsigned int e = 0; e < D; ++e)
        geometry.direction.push_back(image->GetDirection()[d][e]);
    }
    return geometry;
  }
};

/// Throws std::invalid_argument naming `path` unless `image` lies where `reference` lies: same
/// origin and spacing (within ITK's global coordinate tolerance, a fraction of the spacing) and
/// same direction cosines (within ITK's direction tolerance) — what ITK's multi-input filters
/// require. Sizes are checked by the callers, which can name them better.
inline void
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

template<unsigned int D>
void
requireSameGeometry(const std::string &       path,
                    const itk::ImageBase<D> * image,
                    const itk::ImageBase<D> * reference,
                    const std::string &       referenceName)
{
  requireSameGeometry(path, ImageGeometry::of<D>(image), ImageGeometry::of<D>(reference), referenceName);
}

} // namespace revgan
