#include "itkRevGANPatchGrid.h"

#include <gtest/gtest.h>

namespace
{

/// How many valid parts cover each position of the axis.
std::vector<int>
coverage(const itk::RevGANPatchAxis & axis, itk::IndexValueType extent)
{
  std::vector<int> count(static_cast<size_t>(extent), 0);
  for (const auto & patch : axis.GetPatches())
  {
    for (auto i = patch.validBegin; i < patch.validEnd; ++i)
      ++count[static_cast<size_t>(i)];
  }
  return count;
}

TEST(RevGANPatchAxis, RegularGridTilesTheAxisExactly)
{
  const itk::RevGANPatchAxis axis(28, 8, 2); // stride 6: starts 0, 6, 12, 18, 20
  const auto &               patches = axis.GetPatches();
  ASSERT_EQ(patches.size(), 5u);
  EXPECT_EQ(patches[1].start, 6);
  EXPECT_EQ(patches.back().start, 20); // moved back to end at the image's end
  EXPECT_EQ(patches[0].validBegin, 0);
  EXPECT_EQ(patches[0].validEnd, 7);
  EXPECT_EQ(patches[1].validBegin, 7);
  EXPECT_EQ(patches.back().validEnd, 28);
  for (const int c : coverage(axis, 28))
    EXPECT_GE(c, 1);
}

TEST(RevGANPatchAxis, ExactMultipleHasNoDoubleCoverage)
{
  const itk::RevGANPatchAxis axis(26, 8, 2); // starts 0, 6, 12, 18
  ASSERT_EQ(axis.GetPatches().size(), 4u);
  for (const int c : coverage(axis, 26))
    EXPECT_EQ(c, 1);
}

TEST(RevGANPatchAxis, ShortAxisGetsOnePatch)
{
  const itk::RevGANPatchAxis axis(5, 8, 2);
  ASSERT_EQ(axis.GetPatches().size(), 1u);
  EXPECT_EQ(axis.GetPatches()[0].start, 0);
  EXPECT_EQ(axis.GetPatches()[0].validEnd, 5);
}

TEST(RevGANPatchAxis, PatchesMeetingARegion)
{
  const itk::RevGANPatchAxis axis(28, 8, 2);
  const auto                 meeting = axis.PatchesMeeting(8, 12);
  ASSERT_EQ(meeting.size(), 1u);
  EXPECT_EQ(meeting[0].start, 6);
  EXPECT_EQ(axis.PatchesMeeting(0, 28).size(), 5u);
}

} // namespace
