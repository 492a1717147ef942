// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace revgan
{

/// The figure every benchmark reports from its repetitions: the upper median of `values` ordered by
/// `key` (the element at index size/2 once sorted; for an even count the larger of the two middle
/// values, an element that was measured rather than an average of two). A median rather than a mean,
/// because the machine's outliers (another process, a page fault) are slow ones. Throws
/// std::invalid_argument for an empty vector.
template<typename Value, typename Key>
Value
upperMedian(std::vector<Value> values, Key key)
{
  if (values.empty())
    throw std::invalid_argument("the median of no measurements is undefined");
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(),
                   middle,
                   values.end(),
                   [&key](const Value & a, const Value & b) { return std::invoke(key, a) < std::invoke(key, b); });
  return *middle;
}

/// The upper median of values ordered by themselves.
template<typename Value>
Value
upperMedian(std::vector<Value> values)
{
  return upperMedian(std::move(values), [](const Value & value) -> const Value & { return value; });
}

} // namespace revgan
