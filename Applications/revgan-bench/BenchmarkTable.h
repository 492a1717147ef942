// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace revgan
{

/// \brief Fixed-width text table of the benchmarks: the first column left-aligned, the others
/// right-aligned.
class BenchmarkTable
{
public:
  /// (title, width) of each column.
  explicit BenchmarkTable(std::vector<std::pair<std::string, int>> columns);

  std::string
  header() const;
  /// One line; `cells` must have one entry per column.
  std::string
  row(const std::vector<std::string> & cells) const;

private:
  std::vector<std::pair<std::string, int>> m_Columns;
};

double
mebibytes(int64_t bytes);
/// `value` with `decimals` digits after the point.
std::string
formatFixed(double value, int decimals);

} // namespace revgan
