// SPDX-License-Identifier: Apache-2.0
#include "revgan/StderrCapture.h"

#include <stdio.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace revgan
{

StderrCapture::StderrCapture()
{
  std::cerr.flush();
  std::fflush(stderr);
  // An unnamed temporary file, not a pipe: a library that prints more than a pipe holds would
  // block on a pipe nobody reads until the call returns.
  std::FILE * file = std::tmpfile();
  if (file == nullptr)
    return; // nothing captured: the library's words reach the terminal as before
  captureDescriptor_ = ::dup(::fileno(file));
  std::fclose(file);
  savedDescriptor_ = ::dup(STDERR_FILENO);
  if (captureDescriptor_ < 0 || savedDescriptor_ < 0 || ::dup2(captureDescriptor_, STDERR_FILENO) < 0)
  {
    if (captureDescriptor_ >= 0)
      ::close(captureDescriptor_);
    if (savedDescriptor_ >= 0)
      ::close(savedDescriptor_);
    captureDescriptor_ = savedDescriptor_ = -1;
    return;
  }
  active_ = true;
}

StderrCapture::~StderrCapture()
{
  release();
}

std::string
StderrCapture::release()
{
  if (!active_)
    return {};
  active_ = false;
  std::cerr.flush();
  std::fflush(stderr);
  ::dup2(savedDescriptor_, STDERR_FILENO);
  ::close(savedDescriptor_);
  std::string text;
  char        buffer[4096];
  ::lseek(captureDescriptor_, 0, SEEK_SET);
  for (ssize_t read = 0; (read = ::read(captureDescriptor_, buffer, sizeof(buffer))) > 0;)
    text.append(buffer, static_cast<size_t>(read));
  ::close(captureDescriptor_);
  return text;
}

} // namespace revgan
