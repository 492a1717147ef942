// SPDX-License-Identifier: Apache-2.0
#include "revgan/CoreBenchmark.h"

#include <gtest/gtest.h>

namespace revgan
{
namespace
{

TEST(CoreBenchmark, ProducesOneRowPerDepthAndMode)
{
  CoreBenchmarkSettings settings;
  settings.depths = { 2, 8 };
  settings.dimensions = 3;
  settings.channels = 8;
  settings.size = 12;
  settings.repetitions = 1;
  int  reported = 0;
  auto rows = runCoreBenchmark(settings, [&](const CoreBenchmarkRow &) { ++reported; });
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(reported, 4);
  EXPECT_EQ(rows[0].depth, 2);
  EXPECT_EQ(rows[0].mode, GradientMode::Naive);
  EXPECT_EQ(rows[3].depth, 8);
  EXPECT_EQ(rows[3].mode, GradientMode::Reversible);
  for (const auto & row : rows)
  {
    EXPECT_GT(row.measurement.peakActivationBytes, 0);
    EXPECT_GT(row.measurement.seconds, 0.0);
    // 2 branches × 2 convolutions 4→4, 3×3×3, with bias, per block, in float
    EXPECT_EQ(row.measurement.parameterBytes, row.depth * 4 * (4 * 4 * 27 + 4) * 4);
  }
  // Naive memory grows with depth, reversible does not.
  EXPECT_GT(rows[2].measurement.peakActivationBytes, 2 * rows[0].measurement.peakActivationBytes);
  EXPECT_LE(rows[3].measurement.peakActivationBytes, rows[1].measurement.peakActivationBytes * 11 / 10);
}

TEST(CoreBenchmark, RejectsBadSettings)
{
  CoreBenchmarkSettings settings;
  settings.repetitions = 0;
  EXPECT_THROW(runCoreBenchmark(settings), std::invalid_argument);
  settings.repetitions = 1;
  settings.dimensions = 4;
  settings.depths = { 1 };
  EXPECT_THROW(runCoreBenchmark(settings), std::invalid_argument);
}

} // namespace
} // namespace revgan
