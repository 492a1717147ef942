// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANInputGrid_h
#define itkRevGANInputGrid_h

#include "itkBSplineInterpolateImageFunction.h"
#include "itkComposeImageFilter.h"
#include "itkImage.h"
#include "itkLinearInterpolateImageFunction.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"
#include "itkVectorImage.h"
#include "itkVectorIndexSelectionCastImageFilter.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace itk
{

/** The fine grid of a coarse image: each axis d `factors[d]` times finer over the same extent.
 * Spacing divided by the factor, size multiplied, direction kept, and the origin moved so that
 * the fine voxels tile each coarse voxel: the first fine centre lies half a fine voxel inside the
 * coarse voxel's corner, i.e. (f − 1)/2 fine voxels before the coarse centre. It is the grid
 * ShrinkRevGANVolume's blocks came from (BinShrinkImageFilter's geometry, inverted). Returned as
 * an image without pixels, for ResampleImageFilter::SetOutputParametersFromImage. */
template<unsigned int D>
typename Image<unsigned char, D>::Pointer
RevGANFineGrid(const ImageBase<D> * coarse, const std::vector<int64_t> & factors)
{
  if (factors.size() != D)
    throw std::invalid_argument("a fine grid of a " + std::to_string(D) + "D image needs " + std::to_string(D) +
                                " factors, not " + std::to_string(factors.size()));
  using GridType = Image<unsigned char, D>;
  auto                           grid = GridType::New();
  typename GridType::SpacingType spacing = coarse->GetSpacing();
  typename GridType::SizeType    size = coarse->GetLargestPossibleRegion().GetSize();
  typename GridType::IndexType   index = coarse->GetLargestPossibleRegion().GetIndex();
  Vector<double, D>              shift; // in the image axes, physical units
  for (unsigned int d = 0; d < D; ++d)
  {
    if (factors[d] < 1)
      throw std::invalid_argument("grid factors must be at least 1");
    const auto factor = static_cast<double>(factors[d]);
    shift[d] = -0.5 * (factor - 1.0) * spacing[d] / factor;
    spacing[d] /= factor;
    size[d] *= static_cast<SizeValueType>(factors[d]);
    index[d] *= static_cast<IndexValueType>(factors[d]);
  }
  typename GridType::PointType origin = coarse->GetOrigin() + coarse->GetDirection() * shift;
  // A coarse region that does not start at index 0 starts at the matching fine index.
  grid->SetRegions(typename GridType::RegionType(index, size));
  grid->SetSpacing(spacing);
  grid->SetOrigin(origin);
  grid->SetDirection(coarse->GetDirection());
  return grid;
}

/** `image` resampled onto `grid`'s geometry by "nearest", "linear" or "bspline" (cubic B-spline;
 * ITK's B-spline interpolator takes scalar images, so one component at a time). */
template<unsigned int D>
typename VectorImage<float, D>::Pointer
InterpolateRevGANImage(const VectorImage<float, D> * image,
                       const ImageBase<D> *          grid,
                       const std::string &           interpolation)
{
  using VectorType = VectorImage<float, D>;
  using ScalarType = Image<float, D>;
  if (interpolation == "bspline")
  {
    auto compose = ComposeImageFilter<ScalarType, VectorType>::New();
    // The pipeline needs its filters alive until it runs.
    std::vector<ProcessObject::Pointer> stages;
    for (unsigned int component = 0; component < image->GetNumberOfComponentsPerPixel(); ++component)
    {
      auto select = VectorIndexSelectionCastImageFilter<VectorType, ScalarType>::New();
      select->SetInput(image);
      select->SetIndex(component);
      auto resampler = ResampleImageFilter<ScalarType, ScalarType>::New();
      resampler->SetInput(select->GetOutput());
      resampler->SetInterpolator(BSplineInterpolateImageFunction<ScalarType, double, double>::New());
      resampler->SetOutputParametersFromImage(grid);
      compose->SetInput(component, resampler->GetOutput());
      stages.insert(stages.end(), { select.GetPointer(), resampler.GetPointer() });
    }
    compose->Update();
    typename VectorType::Pointer output = compose->GetOutput();
    output->DisconnectPipeline();
    return output;
  }
  auto resampler = ResampleImageFilter<VectorType, VectorType>::New();
  resampler->SetInput(image);
  resampler->SetOutputParametersFromImage(grid);
  if (interpolation == "nearest")
    resampler->SetInterpolator(NearestNeighborInterpolateImageFunction<VectorType, double>::New());
  else if (interpolation == "linear")
    resampler->SetInterpolator(LinearInterpolateImageFunction<VectorType, double>::New());
  else
    throw std::invalid_argument("unknown interpolation '" + interpolation + "' (nearest, linear or bspline)");
  resampler->Update();
  typename VectorType::Pointer output = resampler->GetOutput();
  output->DisconnectPipeline();
  return output;
}

/** A super-resolution model's input on the grid its network works on: `image`, given on its
 * coarse grid, interpolated onto RevGANFineGrid(image, factors) as the model was trained (see
 * revgan::DomainFrame::gridFactors and interpolation). */
template<unsigned int D>
typename VectorImage<float, D>::Pointer
RevGANInputOnFineGrid(const VectorImage<float, D> * image,
                      const std::vector<int64_t> &  factors,
                      const std::string &           interpolation)
{
  const auto grid = RevGANFineGrid<D>(image, factors);
  return InterpolateRevGANImage<D>(image, grid.GetPointer(), interpolation);
}

} // namespace itk

#endif
