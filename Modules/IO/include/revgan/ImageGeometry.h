// SPDX-License-Identifier: Apache-2.0
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
  /// Voxels per axis.
  std::vector<uint64_t> size;
  /// Physical position of the first voxel's centre, in ITK's LPS coordinates (usually mm).
  std::vector<double> origin;
  /// Distance between voxel centres per axis (usually mm).
  std::vector<double> spacing;
  std::vector<double> direction; ///< row-major D×D

  /// The geometry of `image` (its largest possible region).
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
void
requireSameGeometry(const std::string &   path,
                    const ImageGeometry & image,
                    const ImageGeometry & reference,
                    const std::string &   referenceName);

/// requireSameGeometry for two ITK images.
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
