// SPDX-License-Identifier: Apache-2.0
#include "revgan/LibraryMessages.h"

#include <iostream>
#include <regex>

namespace revgan
{

namespace
{

std::string
collapsedSpaces(const std::string & text)
{
  std::string result;
  for (const char c : text)
  {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (result.empty() || result.back() == ' '))
      continue;
    result += space ? ' ' : c;
  }
  while (!result.empty() && result.back() == ' ')
    result.pop_back();
  return result;
}

} // namespace

std::string
plainLibraryMessage(const std::string & message)
{
  // LibTorch (c10::Error::what): the message, then "Exception raised from … frame #0: …", its
  // C++ backtrace of some sixty frames.
  std::string text = collapsedSpaces(message.substr(0, message.find("Exception raised from ")));
  // ITK: "source.cxx:292: itk::ERROR: NrrdImageIO(0x55f8…): Method: text" (5.2), or "ITK ERROR:".
  for (const std::string tag : { "itk::ERROR: ", "ITK ERROR: " })
  {
    if (const size_t at = text.find(tag); at != std::string::npos)
      text = text.substr(at + tag.size());
  }
  static const std::regex objectPrefix(R"(^[A-Za-z_:]+\(0x[0-9a-fA-F]+\): )");
  text = std::regex_replace(text, objectPrefix, "");
  // teem's chain "[nrrd] nrrdLoad: trouble … [nrrd] _nrrdEncodingRaw_read: reason": the last link.
  static const std::regex teemLink(R"(\[[a-z]+\] [A-Za-z_0-9]+: ?)");
  std::string             lastLink;
  for (auto match = std::sregex_iterator(text.begin(), text.end(), teemLink); match != std::sregex_iterator(); ++match)
    lastLink = text.substr(static_cast<size_t>(match->position() + match->length()));
  if (!lastLink.empty())
    text = lastLink;
  static const std::regex address(R"( ?\(?0x[0-9a-fA-F]{4,}\)?)");
  static const std::regex sourcePath(R"([^ ]*\.(cxx|cpp|cc|c|h|hxx|txx):[0-9]+:? ?)");
  text = std::regex_replace(std::regex_replace(text, address, ""), sourcePath, "");
  return collapsedSpaces(text);
}

std::string
readingErrorMessage(const std::string & path, const std::string & what, const std::string & printed)
{
  const std::string quoted = "'" + path + "'";
  std::string       message = plainLibraryMessage(what);
  if (message.rfind(quoted, 0) != 0) // the toolkit's own refusals name the file already
    message = quoted + ": cannot be read: " + message;
  // What a library printed before it threw, when the exception does not say it: its last line.
  const std::string lines = collapsedSpaces(printed);
  if (!lines.empty())
  {
    std::string last = printed.substr(0, printed.find_last_not_of(" \n\r\t") + 1);
    last = plainLibraryMessage(last.substr(last.find_last_of('\n') + 1));
    if (!last.empty() && message.find(last) == std::string::npos)
      message += " (" + last + ")";
  }
  return message;
}

void
passOnLibraryOutput(const std::string & printed)
{
  std::cerr << printed << std::flush;
}

} // namespace revgan
