#include "revgan/CompressedDataCheck.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace revgan
{

namespace
{

std::string
lowerCase(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool
endsWith(const std::string & text, const std::string & suffix)
{
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string
trimmed(const std::string & text)
{
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos)
    return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

/// Inflates the data of `file` from `offset` to its end (zlib or gzip streams, gzip members one
/// after another); `named` is the file the user gave, for the message.
void
inflateToEnd(const std::string & named, const std::filesystem::path & file, std::streamoff offset)
{
  std::ifstream stream(file, std::ios::binary);
  if (!stream)
    throw std::runtime_error("'" + named + "': its data file '" + file.string() + "' is missing or unreadable");
  stream.seekg(offset);
  z_stream inflater{};
  if (inflateInit2(&inflater, 15 + 32) != Z_OK) // 15 + 32: zlib or gzip header, detected
    throw std::runtime_error("zlib cannot start inflating");
  std::vector<unsigned char> in(1 << 16), out(1 << 18);
  bool                       ended = false, any = false;
  int                        status = Z_OK;
  while (stream)
  {
    stream.read(reinterpret_cast<char *>(in.data()), static_cast<std::streamsize>(in.size()));
    inflater.next_in = in.data();
    inflater.avail_in = static_cast<uInt>(stream.gcount());
    while (inflater.avail_in > 0)
    {
      if (ended)
      {
        // Another gzip member follows (gzip -c a b > c makes such files), or padding.
        if (inflater.next_in[0] != 0x1f)
        {
          inflater.avail_in = 0;
          break;
        }
        inflateReset(&inflater);
        ended = false;
      }
      any = true;
      inflater.next_out = out.data();
      inflater.avail_out = static_cast<uInt>(out.size());
      status = inflate(&inflater, Z_NO_FLUSH);
      if (status == Z_STREAM_END)
        ended = true;
      else if (status != Z_OK && status != Z_BUF_ERROR)
      {
        const std::string reason = inflater.msg ? inflater.msg : "error " + std::to_string(status);
        inflateEnd(&inflater);
        throw std::runtime_error("'" + named + "': its compressed data are corrupt (" + reason + ")");
      }
    }
  }
  inflateEnd(&inflater);
  if (!any || !ended)
    throw std::runtime_error("'" + named + "': its compressed data end early (the file is truncated)");
}

/// The header of a NRRD or MetaImage file: its lines up to the end of the header, and the offset
/// of the data that follow (a NRRD header ends with an empty line, a MetaImage header with its
/// ElementDataFile line).
struct TextHeader
{
  std::vector<std::pair<std::string, std::string>> fields;
  std::streamoff                                   dataOffset{ 0 };
};

TextHeader
readTextHeader(const std::string & path, bool metaImage)
{
  std::ifstream stream(path, std::ios::binary);
  TextHeader    header;
  std::string   line;
  // Headers are small; a missing end within a few megabytes is no header this check handles.
  size_t read = 0;
  for (; read < (8u << 20) && std::getline(stream, line); read += line.size() + 1)
  {
    header.dataOffset = stream.tellg();
    if (!metaImage && trimmed(line).empty())
      return header;
    const size_t separator = metaImage ? line.find('=') : line.find(':');
    if (separator == std::string::npos)
      continue;
    std::string key = lowerCase(trimmed(line.substr(0, separator)));
    std::string value = trimmed(line.substr(separator + 1));
    if (!metaImage && !value.empty() && value[0] == '=') // NRRD key/value pairs "key:=value"
      continue;
    header.fields.emplace_back(key, value);
    if (metaImage && key == "elementdatafile")
      return header;
  }
  // A detached NRRD header (.nhdr) ends with the file.
  if (read >= (8u << 20))
    header.fields.clear();
  return header;
}

std::string
field(const TextHeader & header, const std::string & key)
{
  for (const auto & [name, value] : header.fields)
  {
    if (name == key)
      return value;
  }
  return {};
}

} // namespace

void
checkCompressedData(const std::string & path)
{
  const std::string           lower = lowerCase(path);
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (endsWith(lower, ".gz"))
  {
    inflateToEnd(path, path, 0);
    return;
  }
  if (endsWith(lower, ".nrrd") || endsWith(lower, ".nhdr"))
  {
    const TextHeader  header = readTextHeader(path, false);
    const std::string encoding = lowerCase(field(header, "encoding"));
    if (encoding != "gzip" && encoding != "gz")
      return;
    std::string dataFile = field(header, "data file");
    if (dataFile.empty())
      dataFile = field(header, "datafile");
    if (dataFile.empty())
      inflateToEnd(path, path, header.dataOffset);
    else if (dataFile.find(' ') == std::string::npos && dataFile != "LIST") // not a list of files
      inflateToEnd(path, folder / dataFile, 0);
    return;
  }
  if (endsWith(lower, ".mha") || endsWith(lower, ".mhd"))
  {
    const TextHeader header = readTextHeader(path, true);
    if (lowerCase(field(header, "compresseddata")) != "true")
      return;
    const std::string dataFile = field(header, "elementdatafile");
    if (dataFile == "LOCAL")
      inflateToEnd(path, path, header.dataOffset);
    else if (!dataFile.empty() && dataFile.find(' ') == std::string::npos && dataFile != "LIST")
      inflateToEnd(path, folder / dataFile, 0);
  }
}

} // namespace revgan
