// SPDX-License-Identifier: Apache-2.0
#include "TextImageHeader.h"

#include "FileNameText.h"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace revgan
{

namespace
{

std::string
trimmed(const std::string & text)
{
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos)
    return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

/// A data file field that lists the files on the lines after it: "LIST", with MetaImage's
/// optional slice dimension after it.
bool
listsFiles(const std::string & value)
{
  return value == "LIST" || value.rfind("LIST ", 0) == 0;
}

} // namespace

std::string
TextImageHeader::field(const std::string & name) const
{
  for (const auto & [key, value] : fields)
  {
    if (key == name)
      return value;
  }
  return {};
}

TextImageHeader
readTextImageHeader(const std::string & path, TextImageHeader::Format format)
{
  const bool      metaImage = format == TextImageHeader::Format::MetaImage;
  std::ifstream   stream(path, std::ios::binary);
  TextImageHeader header;
  std::string     line;
  bool            listing = false;
  size_t          number = 0;
  // Headers are small; no end within a few megabytes is no header this check reads.
  for (size_t read = 0; read < (8u << 20) && std::getline(stream, line); read += line.size() + 1)
  {
    ++number;
    header.dataOffset = static_cast<double>(stream.tellg());
    // The longest stretch between line ends as teem counts them ('\n' or '\r'), NUL bytes included.
    size_t longest = 0;
    for (size_t start = 0; start <= line.size();)
    {
      const size_t end = std::min(line.size(), line.find('\r', start));
      longest = std::max(longest, end - start);
      start = end + 1;
    }
    line.resize(std::min(line.size(), line.find('\0')));
    const std::string text = trimmed(line);
    // Every line teem may quote in a message: not comments, not key/value pairs ("key:=value",
    // which teem takes a line to be when its ":=" comes before any ": ").
    const size_t keyValue = line.find(":="), colon = line.find(": ");
    const bool   keyValueLine = keyValue != std::string::npos && (colon == std::string::npos || keyValue < colon);
    if (longest > header.longestLineLength && !(!text.empty() && text[0] == '#') && !keyValueLine)
    {
      header.longestLine = number;
      header.longestLineLength = longest;
    }
    if (listing)
    {
      if (text.empty())
        break;
      header.listedFiles.push_back(text);
      continue;
    }
    if (!metaImage && text.empty())
    {
      header.complete = true;
      return header;
    }
    const size_t separator = metaImage ? line.find('=') : line.find(':');
    if (separator == std::string::npos)
    {
      const bool nrrdMagicOrComment = !metaImage && (number == 1 || text.empty() || text[0] == '#');
      if (header.malformedLine == 0 && !nrrdMagicOrComment)
        header.malformedLine = number;
      continue;
    }
    const std::string key = lowerCase(trimmed(line.substr(0, separator)));
    std::string       value = trimmed(line.substr(separator + 1));
    if (!metaImage && !value.empty() && value[0] == '=') // NRRD key/value pairs "key:=value"
      continue;

    header.fields.emplace_back(key, value);
    const bool dataFile = metaImage ? key == "elementdatafile" : key == "data file" || key == "datafile";
    if (dataFile && listsFiles(value))
      listing = true;
    else if (metaImage && dataFile)
    {
      header.complete = true;
      return header;
    }
  }
  // A detached NRRD header (.nhdr) and a MetaImage list end with the file.
  header.complete = listing || (!metaImage && stream.eof());
  return header;
}

} // namespace revgan
