// SPDX-License-Identifier: Apache-2.0
#include "revgan/DomainFrame.h"

#include <gtest/gtest.h>

#include <cmath>

namespace revgan
{
namespace
{

/// The phantom's layout (ITK direction, row-major): axis 0 along x, axis 1 along z, axis 2 along −y.
const std::vector<double> kTrained{ 1, 0, 0, 0, 0, -1, 0, 1, 0 };

TEST(DomainFrame, TheTrainingLayoutAndUnrecordedFramesRaiseNothing)
{
  EXPECT_EQ(describeFrameDifference({ true, kTrained }, { true, kTrained }), "");
  // Within a degree of the training axes.
  const double        c = std::cos(0.5 * M_PI / 180.0), s = std::sin(0.5 * M_PI / 180.0);
  std::vector<double> tilted{ c, 0, -s, 0, 0, -1, s, 1, 0 };
  EXPECT_EQ(describeFrameDifference({ true, kTrained }, { true, tilted }), "");
  // Models of earlier builds record no direction; a 2D model reads slices of any volume.
  EXPECT_EQ(describeFrameDifference({ true, {} }, { true, kTrained }), "");
  EXPECT_EQ(describeFrameDifference({ false, { 1, 0, 0, 1 } }, { false, kTrained }), "");
}

TEST(DomainFrame, NamesMirroredSwappedAndObliqueAxes)
{
  // Axis 0 mirrored (ITK column 0 negated).
  EXPECT_EQ(describeFrameDifference({ true, kTrained }, { true, { -1, 0, 0, 0, 0, -1, 0, 1, 0 } }),
            "its axis 0 runs opposite to the training images' axis 0");
  // Axes 1 and 2 swapped.
  EXPECT_EQ(describeFrameDifference({ true, kTrained }, { true, { 1, 0, 0, 0, -1, 0, 0, 0, 1 } }),
            "its axis 1 runs along the training images' axis 2; its axis 2 runs along the training images' axis 1");
  // Rotated by 30 degrees about the training images' axis 2 (world y).
  const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
  EXPECT_EQ(describeFrameDifference({ true, kTrained }, { true, { c, s, 0, 0, 0, -1, -s, c, 0 } }),
            "its axis 0 is 30 degrees from the nearest axis of the training images (axis 0); its axis 1 is 30 "
            "degrees from the nearest axis of the training images (axis 1)");
}

TEST(DomainFrame, NamesTensorsWhereTheModelExpectsNoneAndTheReverse)
{
  EXPECT_NE(describeFrameDifference({ true, kTrained }, { false, kTrained }).find("trained on DTI tensors"),
            std::string::npos);
  EXPECT_NE(describeFrameDifference({ false, kTrained }, { true, kTrained }).find("the input holds DTI tensors"),
            std::string::npos);
}

} // namespace
} // namespace revgan
