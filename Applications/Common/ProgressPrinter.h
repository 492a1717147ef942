// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace revgan
{

/// \brief Progress for people and for 3D Slicer: Slicer reads `<filter-start>`, `<filter-progress>`
/// and `<filter-end>` from standard output when it is not a terminal; a terminal gets a line on
/// standard error that is rewritten in place.
///
/// Construction prints the start (with 0 progress), destruction the end, so that every module
/// reports start, fraction and end however it leaves. Slicer's progress bar moves in steps of
/// 1/100; updates within one percent are not printed.
class ProgressPrinter
{
public:
  /// `slicerLines` false keeps standard output for the program's own results (e.g. --json lines,
  /// which a pipe's reader parses); the terminal line on standard error stays.
  ProgressPrinter(std::string name, std::string comment, bool slicerLines = true);
  ~ProgressPrinter();
  ProgressPrinter(const ProgressPrinter &) = delete;
  ProgressPrinter &
  operator=(const ProgressPrinter &) = delete;

  /// `fraction` in [0, 1]; `detail` is shown on the terminal line.
  void
  update(double fraction, const std::string & detail = {});

private:
  std::string name_;
  bool        forSlicer_;
  bool        toTerminal_;
  int         lastPercent_{ -1 };
};

} // namespace revgan
