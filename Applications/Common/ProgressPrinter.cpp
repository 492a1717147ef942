// SPDX-License-Identifier: Apache-2.0
#include "ProgressPrinter.h"

#include "CommandLineModule.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <iostream>
#include <unistd.h>

namespace revgan
{

ProgressPrinter::ProgressPrinter(std::string name, std::string comment, bool slicerLines)
  : name_(std::move(name))
  , forSlicer_(slicerLines && isatty(STDOUT_FILENO) == 0)
  , toTerminal_(isatty(STDERR_FILENO) != 0)
{
  if (forSlicer_)
  {
    std::cout << "<filter-start>\n<filter-name>" << escapeXml(name_) << "</filter-name>\n<filter-comment>"
              << escapeXml(comment) << "</filter-comment>\n</filter-start>" << std::endl;
  }
  update(0.0);
}

ProgressPrinter::~ProgressPrinter()
{
  // A module that ends normally has finished its work; one that is left by an exception has not.
  if (forSlicer_ && lastPercent_ != 100 && std::uncaught_exceptions() == 0)
    std::cout << "<filter-progress>1</filter-progress>" << std::endl;
  if (forSlicer_)
    std::cout << "<filter-end>\n<filter-name>" << escapeXml(name_) << "</filter-name>\n</filter-end>" << std::endl;
  if (toTerminal_ && lastPercent_ >= 0)
    std::cerr << std::endl;
}

void
ProgressPrinter::update(double fraction, const std::string & detail)
{
  const int percent = static_cast<int>(std::floor(std::max(0.0, std::min(1.0, fraction)) * 100.0));
  if (forSlicer_ && percent != lastPercent_)
    std::cout << "<filter-progress>" << percent / 100.0 << "</filter-progress>" << std::endl;
  if (toTerminal_)
    std::cerr << "\r" << name_ << " " << percent << "% " << detail << "   " << std::flush;
  lastPercent_ = percent;
}

} // namespace revgan
