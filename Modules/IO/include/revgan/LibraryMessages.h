// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/StderrCapture.h"

#include <stdexcept>
#include <string>
#include <type_traits>

namespace revgan
{

/// The words of an error from ITK, teem, MetaIO or niftilib without their decorations, on one
/// line: ITK's "source.cxx:292: itk::ERROR: NrrdImageIO(0x55f8…): " prefix, teem's chain of
/// messages ("[nrrd] nrrdLoad: trouble … [nrrd] _nrrdEncodingRaw_read: fread got only …": its last
/// link), source paths and memory addresses.
std::string
plainLibraryMessage(const std::string & message);

/// The one line readingImageFile gives for an exception `what` while reading `path`, the
/// libraries having printed `printed`.
std::string
readingErrorMessage(const std::string & path, const std::string & what, const std::string & printed);

/// Writes what the libraries printed during a successful read to standard error.
void
passOnLibraryOutput(const std::string & printed);

/// Runs `read`, a call that makes ITK read `path` (its header or pixels), and turns whatever the
/// libraries underneath say into the toolkit's words: what they print on their own is captured
/// (MetaIO writes to stderr), and an exception becomes std::runtime_error "'path': …" in one line,
/// with the last line they printed when the exception alone says little. On success their output
/// is passed on, so that nothing is hidden when a file reads.
template<typename Read>
auto
readingImageFile(const std::string & path, Read && read) -> decltype(read())
{
  StderrCapture libraryOutput;
  try
  {
    if constexpr (std::is_void_v<decltype(read())>)
    {
      read();
      passOnLibraryOutput(libraryOutput.release());
    }
    else
    {
      auto result = read();
      passOnLibraryOutput(libraryOutput.release());
      return result;
    }
  }
  catch (const std::exception & error)
  {
    throw std::runtime_error(readingErrorMessage(path, error.what(), libraryOutput.release()));
  }
}

} // namespace revgan
