// SPDX-License-Identifier: Apache-2.0
// The median every benchmark reports: which element it picks, by which key, and what it refuses.
#include "revgan/UpperMedian.h"

#include <gtest/gtest.h>
#include <stdexcept>
#include <utility>
#include <vector>

namespace revgan
{
namespace
{

TEST(UpperMedian, OddCountGivesTheMiddleValue)
{
  EXPECT_DOUBLE_EQ(upperMedian(std::vector<double>{ 0.9, 0.1, 0.5, 7.0, 0.3 }), 0.5);
  EXPECT_DOUBLE_EQ(upperMedian(std::vector<double>{ 2.5 }), 2.5);
}

// An even count gives the larger of the two middle values, a value that was measured.
TEST(UpperMedian, EvenCountGivesTheUpperOfTheTwoMiddleValues)
{
  EXPECT_DOUBLE_EQ(upperMedian(std::vector<double>{ 4.0, 1.0, 3.0, 2.0 }), 3.0);
  EXPECT_DOUBLE_EQ(upperMedian(std::vector<double>{ 1.0, 2.0 }), 2.0);
}

// Records are ordered by their key and returned whole, with the fields that belong to that run.
TEST(UpperMedian, OrdersRecordsByTheirKeyAndReturnsTheWholeRecord)
{
  struct Run
  {
    double seconds;
    int    index;
  };
  const std::vector<Run> runs{ { 0.30, 0 }, { 0.10, 1 }, { 0.90, 2 }, { 0.20, 3 }, { 0.50, 4 } };
  const Run              middle = upperMedian(runs, &Run::seconds);
  EXPECT_EQ(middle.index, 0);
  EXPECT_EQ(upperMedian(runs, [](const Run & run) { return -run.seconds; }).index, 0);
  EXPECT_EQ(upperMedian(std::vector<Run>(runs.begin() + 1, runs.end()), &Run::seconds).index, 4); // not 3
  // The caller's order is kept: the median is taken of a copy.
  EXPECT_EQ(runs[2].index, 2);
  const std::vector<std::pair<double, double>> pairs{ { 2.0, 20.0 }, { 1.0, 10.0 }, { 3.0, 30.0 } };
  EXPECT_EQ(upperMedian(pairs), std::make_pair(2.0, 20.0));
}

TEST(UpperMedian, RefusesNoMeasurements)
{
  EXPECT_THROW(upperMedian(std::vector<double>{}), std::invalid_argument);
}

} // namespace
} // namespace revgan
