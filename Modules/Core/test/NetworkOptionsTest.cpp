// SPDX-License-Identifier: Apache-2.0
#include "revgan/NetworkOptions.h"

#include <gtest/gtest.h>

#include <sstream>

namespace revgan
{
namespace
{

TEST(NetworkOptions, NamesRoundTrip)
{
  for (const auto mode : { PaddingMode::Reflect, PaddingMode::Replicate, PaddingMode::Zero })
    EXPECT_EQ(parsePaddingMode(toString(mode)), mode);
  for (const auto norm : { Normalization::Instance, Normalization::Batch, Normalization::None })
    EXPECT_EQ(parseNormalization(toString(norm)), norm);
  for (const auto mode : { GradientMode::Naive, GradientMode::ReversibleCore, GradientMode::Reversible })
    EXPECT_EQ(parseGradientMode(toString(mode)), mode);
  for (const auto direction : { Direction::Forward, Direction::Inverse })
    EXPECT_EQ(parseDirection(toString(direction)), direction);
}

TEST(NetworkOptions, EnumerationsPrintTheirNames)
{
  std::ostringstream printed;
  printed << PaddingMode::Replicate << ' ' << Normalization::None << ' ' << GradientMode::ReversibleCore << ' '
          << Direction::Inverse;
  EXPECT_EQ(printed.str(), "replicate none reversible-core inverse");
  std::ostringstream outOfRange;
  outOfRange << static_cast<PaddingMode>(17);
  EXPECT_EQ(outOfRange.str(), "unknown");
}

TEST(NetworkOptions, UnknownNamesAreErrorsListingTheChoices)
{
  try
  {
    parseGradientMode("checkpoint");
    FAIL();
  }
  catch (const std::invalid_argument & error)
  {
    EXPECT_STREQ(error.what(), "unknown gradient mode 'checkpoint' (expected naive, reversible-core or reversible)");
  }
  EXPECT_THROW(parsePaddingMode("circular"), std::invalid_argument);
  EXPECT_THROW(parseNormalization("layer"), std::invalid_argument);
  EXPECT_THROW(parseDirection("backward"), std::invalid_argument);
}

} // namespace
} // namespace revgan
