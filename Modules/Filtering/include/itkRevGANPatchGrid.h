#ifndef itkRevGANPatchGrid_h
#define itkRevGANPatchGrid_h

#include "itkIntTypes.h"

#include <algorithm>
#include <vector>

namespace itk
{

/** \class RevGANPatchAxis
 * \brief Where the patches of a sliding-window pass lie along one image axis.
 *
 * Patches start at 0, stride − overlap apart, and the last one is moved back so that it ends at
 * the image's end; an image shorter than a patch gets a single patch that reaches beyond it (the
 * caller pads). The grid is anchored to the whole image, never to the region being computed, so
 * each pixel is computed the same way however the image is streamed.
 *
 * Each patch contributes only its central part ("overlap-tile"): half the overlap is trimmed
 * from each side that faces another patch, so the trimmed parts tile the axis. A network whose
 * receptive radius is at most overlap / 2 and that has no per-patch statistics then gives exactly
 * the result of a whole-image pass.
 */
class RevGANPatchAxis
{
public:
  struct Patch
  {
    IndexValueType start;
    /// The part [validBegin, validEnd) of the axis this patch contributes to.
    IndexValueType validBegin;
    IndexValueType validEnd;
  };

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

} // namespace itk

#endif
