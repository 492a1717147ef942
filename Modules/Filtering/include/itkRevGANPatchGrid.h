// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANPatchGrid_h
#define itkRevGANPatchGrid_h

#include "itkImageRegion.h"
#include "itkIntTypes.h"

#include <algorithm>
#include <array>
#include <vector>

namespace itk
{

/** \class RevGANPatchAxis
 * \brief Where the patches of a sliding-window pass lie along one image axis.
 *
 * Patches start at 0, patch size − overlap apart, and the last one is moved back so that it ends at
 * the image's end; an image shorter than a patch gets a single patch that reaches beyond it (the
 * caller pads). The grid is anchored to the whole image, never to the region being computed, so
 * each pixel is computed the same way however the image is streamed.
 *
 * Each patch contributes only its central part ("overlap-tile"): half the overlap is trimmed
 * from each side that faces another patch, so the trimmed parts tile the axis (the last patch,
 * moved back, shares part of its neighbour's, where both are blended). A network whose
 * receptive radius is at most overlap / 2 and that has no per-patch statistics then gives exactly
 * the result of a whole-image pass.
 */
class RevGANPatchAxis
{
public:
  /// One patch along the axis, in positions relative to the image's first index.
  struct Patch
  {
    /// The first position the patch reads.
    IndexValueType start;
    /// The part [validBegin, validEnd) of the axis this patch contributes to.
    IndexValueType validBegin;
    /// The end (exclusive) of the part this patch contributes to.
    IndexValueType validEnd;
  };

  /// The patches of `patchSize` positions, neighbours overlapping by `overlap` (< patchSize) positions, along an
  /// axis of `extent` positions.
  RevGANPatchAxis(SizeValueType extent, SizeValueType patchSize, SizeValueType overlap)
  {
    const auto                  extentValue = static_cast<IndexValueType>(extent);
    const auto                  size = static_cast<IndexValueType>(patchSize);
    const auto                  stride = std::max<IndexValueType>(1, size - static_cast<IndexValueType>(overlap));
    std::vector<IndexValueType> starts{ 0 };
    while (starts.back() + size < extentValue)
    {
      starts.push_back(std::min(starts.back() + stride, extentValue - size));
    }
    const IndexValueType lowerTrim = static_cast<IndexValueType>(overlap / 2);
    const IndexValueType upperTrim = static_cast<IndexValueType>(overlap) - lowerTrim;
    for (size_t k = 0; k < starts.size(); ++k)
    {
      Patch patch;
      patch.start = starts[k];
      patch.validBegin = k == 0 ? 0 : starts[k] + lowerTrim;
      patch.validEnd = k + 1 == starts.size() ? extentValue : starts[k] + size - upperTrim;
      m_Patches.push_back(patch);
    }
  }

  /// All patches along the axis, in increasing order; their valid parts cover [0, extent).
  const std::vector<Patch> &
  GetPatches() const
  {
    return m_Patches;
  }

  /** The patches whose valid part meets [begin, end). */
  std::vector<Patch>
  PatchesMeeting(IndexValueType begin, IndexValueType end) const
  {
    std::vector<Patch> result;
    for (const auto & patch : m_Patches)
    {
      if (patch.validBegin < end && patch.validEnd > begin)
      {
        result.push_back(patch);
      }
    }
    return result;
  }

private:
  std::vector<Patch> m_Patches;
};

/** \class RevGANPatchGrid
 * \brief The patches of a sliding-window pass over an N-D image: every combination of one patch per
 * axis (RevGANPatchAxis), in ITK's order (axis 0 fastest).
 *
 * Positions are relative to the image's first index; Region() turns a patch into the image region
 * it reads, ValidRegion() into the part of the image it contributes to.
 */
template<unsigned int VDimension>
class RevGANPatchGrid
{
public:
  /// One patch of the grid: its patch along each axis.
  using Patch = std::array<RevGANPatchAxis::Patch, VDimension>;
  /// A region of the image.
  using RegionType = ImageRegion<VDimension>;

  /** The patches of size `patchSize` (overlap `overlap`) over `image` whose valid parts meet `region`. */
  RevGANPatchGrid(const RegionType &       image,
                  const Size<VDimension> & patchSize,
                  const Size<VDimension> & overlap,
                  const RegionType &       region)
    : m_Image(image)
    , m_PatchSize(patchSize)
  {
    for (unsigned int d = 0; d < VDimension; ++d)
    {
      const IndexValueType  begin = region.GetIndex(d) - image.GetIndex(d);
      const IndexValueType  end = begin + static_cast<IndexValueType>(region.GetSize(d));
      const RevGANPatchAxis axis(image.GetSize(d), patchSize[d], std::min(overlap[d], patchSize[d] - 1));
      m_PerAxis[d] = axis.PatchesMeeting(begin, end);
    }
    std::array<size_t, VDimension> counter{};
    while (true)
    {
      Patch patch;
      for (unsigned int d = 0; d < VDimension; ++d)
        patch[d] = m_PerAxis[d][counter[d]];
      m_Patches.push_back(patch);
      unsigned int d = 0;
      while (d < VDimension && ++counter[d] == m_PerAxis[d].size())
        counter[d++] = 0;
      if (d == VDimension)
        break;
    }
  }

  /// The patches whose valid parts meet the region given to the constructor, axis 0 varying fastest.
  const std::vector<Patch> &
  GetPatches() const
  {
    return m_Patches;
  }

  /** The image region a patch reads: it may reach beyond the image when the image is smaller than
   * a patch along an axis. */
  RegionType
  Region(const Patch & patch) const
  {
    RegionType region;
    for (unsigned int d = 0; d < VDimension; ++d)
    {
      region.SetIndex(d, m_Image.GetIndex(d) + patch[d].start);
      region.SetSize(d, m_PatchSize[d]);
    }
    return region;
  }

  /** The part of the image a patch contributes to. */
  RegionType
  ValidRegion(const Patch & patch) const
  {
    RegionType region;
    for (unsigned int d = 0; d < VDimension; ++d)
    {
      region.SetIndex(d, m_Image.GetIndex(d) + patch[d].validBegin);
      region.SetSize(d, static_cast<SizeValueType>(patch[d].validEnd - patch[d].validBegin));
    }
    return region;
  }

  /** The image region all patches read together, cropped to the image. */
  RegionType
  InputRegion() const
  {
    RegionType region;
    for (unsigned int d = 0; d < VDimension; ++d)
    {
      const IndexValueType first = m_PerAxis[d].front().start;
      const IndexValueType last = std::min(m_PerAxis[d].back().start + static_cast<IndexValueType>(m_PatchSize[d]),
                                           static_cast<IndexValueType>(m_Image.GetSize(d)));
      region.SetIndex(d, m_Image.GetIndex(d) + first);
      region.SetSize(d, static_cast<SizeValueType>(last - first));
    }
    return region;
  }

private:
  RegionType                                                  m_Image;
  Size<VDimension>                                            m_PatchSize;
  std::array<std::vector<RevGANPatchAxis::Patch>, VDimension> m_PerAxis;
  std::vector<Patch>                                          m_Patches;
};

} // namespace itk

#endif
