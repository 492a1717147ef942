// SPDX-License-Identifier: Apache-2.0
#include "BenchmarkTable.h"

#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace revgan
{

BenchmarkTable::BenchmarkTable(std::vector<std::pair<std::string, int>> columns)
  : m_Columns(std::move(columns))
{
}

std::string
BenchmarkTable::header() const
{
  std::vector<std::string> titles;
  for (const auto & column : m_Columns)
    titles.push_back(column.first);
  return row(titles);
}

std::string
BenchmarkTable::row(const std::vector<std::string> & cells) const
{
  if (cells.size() != m_Columns.size())
    throw std::logic_error("benchmark table row has " + std::to_string(cells.size()) + " cells for " +
                           std::to_string(m_Columns.size()) + " columns");
  std::ostringstream line;
  for (size_t i = 0; i < cells.size(); ++i)
  {
    line << (i == 0 ? std::left : std::right) << std::setw(m_Columns[i].second) << cells[i];
  }
  line << '\n';
  return line.str();
}

double
mebibytes(int64_t bytes)
{
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

std::string
formatFixed(double value, int decimals)
{
  std::ostringstream text;
  text << std::fixed << std::setprecision(decimals) << value;
  return text.str();
}

} // namespace revgan
