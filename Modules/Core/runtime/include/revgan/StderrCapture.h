// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace revgan
{

/// Keeps what libraries print on their own to the process's standard error (file descriptor 2:
/// C's stderr, std::cerr, glog) from reaching it while the object lives, so that the toolkit can
/// say in one line of its own what went wrong. MetaIO prints "data not read completely", c10d's
/// store logs through glog before it throws, niftilib uses fprintf(stderr): their words either
/// go into the toolkit's message or are dropped where the toolkit has already said the same.
/// The capture covers every thread of the process; keep it around a library call, not longer.
/// Not nestable with itself on other threads.
class StderrCapture
{
public:
  StderrCapture();
  ~StderrCapture();
  StderrCapture(const StderrCapture &) = delete;
  StderrCapture &
  operator=(const StderrCapture &) = delete;

  /// Ends the capture (standard error is the process's own again) and returns what was printed.
  std::string
  release();

private:
  int  savedDescriptor_{ -1 };
  int  captureDescriptor_{ -1 };
  bool active_{ false };
};

} // namespace revgan
