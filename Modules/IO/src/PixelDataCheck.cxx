// SPDX-License-Identifier: Apache-2.0
#include "revgan/PixelDataCheck.h"

#include "FileNameText.h"
#include "TextImageHeader.h"
#include "revgan/NiftiHeaderCheck.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace revgan
{

namespace
{

std::string
inQuotes(const std::string & text)
{
  return "'" + text + "'";
}

std::string
bytes(double count)
{
  std::ostringstream text;
  text << std::fixed << std::setprecision(0) << count << (count == 1.0 ? " byte" : " bytes");
  return text.str();
}

/// A data file of an image: its name as the header gives it (for messages) and where it is.
struct DataFile
{
  std::string           named;
  std::filesystem::path location;
};

/// Opens a data file, refusing it with the name the header gives when it cannot be opened.
std::ifstream
openData(const std::string & path, const DataFile & data)
{
  std::ifstream stream(data.location, std::ios::binary);
  if (!stream)
  {
    const std::string reason = std::strerror(errno);
    if (data.location == std::filesystem::path(path))
      throw std::runtime_error(inQuotes(path) + ": file missing or unreadable (" + reason + ")");
    throw std::runtime_error(inQuotes(path) + ": its data file " + inQuotes(data.named) + " cannot be opened (" +
                             reason + ")");
  }
  return stream;
}

double
fileSize(const std::string & path, const DataFile & data)
{
  std::ifstream stream = openData(path, data);
  stream.seekg(0, std::ios::end);
  return static_cast<double>(stream.tellg());
}

/// Inflates zlib or gzip data (gzip members one after another, as `gzip -c a b > c` writes them)
/// fed in pieces, counting the bytes they inflate to; messages start with `subject` ("'a.nhdr':
/// the compressed data in its data file 'a.raw.gz'").
class Inflater
{
public:
  explicit Inflater(std::string subject)
    : subject_(std::move(subject))
  {
    if (inflateInit2(&stream_, 15 + 32) != Z_OK) // 15 + 32: zlib or gzip header, detected
      throw std::runtime_error("zlib cannot start inflating");
  }
  ~Inflater()
  {
    inflateEnd(&stream_);
  }
  Inflater(const Inflater &) = delete;
  Inflater &
  operator=(const Inflater &) = delete;

  void
  feed(const unsigned char * data, size_t size)
  {
    stream_.next_in = const_cast<unsigned char *>(data);
    stream_.avail_in = static_cast<uInt>(size);
    while (stream_.avail_in > 0)
    {
      if (ended_)
      {
        // Another gzip member, or padding after the stream (ignored, as the readers ignore it).
        if (stream_.next_in[0] != 0x1f)
          return;
        inflateReset(&stream_);
        ended_ = false;
      }
      started_ = true;
      stream_.next_out = out_.data();
      stream_.avail_out = static_cast<uInt>(out_.size());
      const int status = inflate(&stream_, Z_NO_FLUSH);
      inflated_ += static_cast<double>(out_.size() - stream_.avail_out);
      if (status == Z_STREAM_END)
        ended_ = true;
      else if (status != Z_OK && status != Z_BUF_ERROR)
        throw std::runtime_error(subject_ + " are corrupt (" +
                                 (stream_.msg ? stream_.msg : "zlib error " + std::to_string(status)) + ")");
    }
  }

  /// The bytes inflated; refuses a stream that has not ended.
  double
  finish() const
  {
    if (!started_ || !ended_)
      throw std::runtime_error(subject_ + " end early after inflating to " + bytes(inflated_) +
                               " (the file is truncated)");
    return inflated_;
  }

private:
  std::string                          subject_;
  z_stream                             stream_{};
  std::array<unsigned char, (1 << 18)> out_{};
  double                               inflated_{ 0.0 };
  bool                                 ended_{ false }, started_{ false };
};

/// Bytes the compressed data of a data file inflate to, from `offset` on.
double
inflatedSize(const std::string & path, const DataFile & data, double offset)
{
  std::ifstream stream = openData(path, data);
  stream.seekg(static_cast<std::streamoff>(offset));
  Inflater                   inflater(data.location == std::filesystem::path(path)
                      ? inQuotes(path) + ": its compressed data"
                      : inQuotes(path) + ": the compressed data in its data file " + inQuotes(data.named));
  std::vector<unsigned char> in(1 << 16);
  while (stream)
  {
    stream.read(reinterpret_cast<char *>(in.data()), static_cast<std::streamsize>(in.size()));
    inflater.feed(in.data(), static_cast<size_t>(stream.gcount()));
  }
  return inflater.finish();
}

/// Bytes taken by the first `lines` lines of a data file (NRRD's "line skip").
double
skippedLines(const std::string & path, const DataFile & data, double offset, long lines)
{
  std::ifstream stream = openData(path, data);
  stream.seekg(static_cast<std::streamoff>(offset));
  std::string line;
  double      skipped = 0.0;
  for (long i = 0; i < lines && std::getline(stream, line); ++i)
    skipped += static_cast<double>(line.size()) + (stream.eof() ? 0.0 : 1.0);
  return skipped;
}

long
integerField(const std::string & path, const std::string & name, const std::string & value, long fallback)
{
  if (value.empty())
    return fallback;
  try
  {
    size_t     used = 0;
    const long number = std::stol(value, &used);
    if (used == value.size())
      return number;
  }
  catch (const std::exception &)
  {
  }
  throw std::runtime_error(inQuotes(path) + ": its header's " + name + " '" + value + "' is not a whole number");
}

/// The files a header names by a printf-style pattern with one integer conversion (NRRD's
/// "img%03d.raw 1 10 1", MetaImage's "img%03d.raw 1 10 1"): the names for first, first + step,
/// … up to last.
std::vector<std::string>
patternFiles(const std::string & path, const std::string & value)
{
  std::istringstream fields(value);
  std::string        pattern;
  long               first = 0, last = 0, step = 0;
  fields >> pattern >> first >> last >> step;
  const size_t percent = pattern.find('%');
  size_t       conversion = percent + 1;
  while (conversion < pattern.size() && (std::isdigit(static_cast<unsigned char>(pattern[conversion])) != 0))
    ++conversion;
  if (!fields || step == 0 || (last - first) / step < 0 || (last - first) / step > 100000 ||
      conversion >= pattern.size() || (pattern[conversion] != 'd' && pattern[conversion] != 'u') ||
      pattern.find('%', conversion) != std::string::npos)
    throw std::runtime_error(inQuotes(path) + ": its data file pattern '" + value +
                             "' is not one this toolkit reads (a name with one %d, then first, last and step)");
  const std::string        flags = pattern.substr(percent + 1, conversion - percent - 1);
  const bool               zeros = !flags.empty() && flags[0] == '0';
  const size_t             width = flags.empty() ? 0 : std::stoul(flags);
  std::vector<std::string> names;
  for (long index = first; step > 0 ? index <= last : index >= last; index += step)
  {
    std::ostringstream number;
    number << std::setw(static_cast<int>(width)) << std::setfill(zeros ? '0' : ' ') << index;
    names.push_back(pattern.substr(0, percent) + number.str() + pattern.substr(conversion + 1));
  }
  return names;
}

/// The data files a NRRD or MetaImage header names (none: attached data).
std::vector<DataFile>
dataFiles(const std::string & path, const TextImageHeader & header, const std::string & value)
{
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  std::vector<std::string>    names;
  if (value.empty() || value == "LOCAL")
    return {};
  if (value == "LIST" || value.rfind("LIST ", 0) == 0)
    names = header.listedFiles;
  else if (value.find('%') != std::string::npos && value.find(' ') != std::string::npos)
    names = patternFiles(path, value);
  else
    names = { value };
  if (names.empty())
    throw std::runtime_error(inQuotes(path) + ": its header lists no data files");
  std::vector<DataFile> files;
  for (const std::string & name : names)
    files.push_back({ name, std::filesystem::path(name).is_absolute() ? std::filesystem::path(name) : folder / name });
  return files;
}

/// The longest NRRD field line teem reports on safely (its messages quote the value into a
/// buffer of AIR_STRLEN_HUGE, 1025 bytes, after about 60 of their own).
constexpr size_t kLongestNrrdFieldLine = 900;

/// Bytes per value of a NRRD type (0: unknown; teem refuses it).
size_t
nrrdValueBytes(const std::string & type)
{
  static const std::pair<const char *, size_t> sizes[] = {
    { "signed char", 1 },
    { "int8", 1 },
    { "int8_t", 1 },
    { "uchar", 1 },
    { "unsigned char", 1 },
    { "uint8", 1 },
    { "uint8_t", 1 },
    { "short", 2 },
    { "short int", 2 },
    { "signed short", 2 },
    { "signed short int", 2 },
    { "int16", 2 },
    { "int16_t", 2 },
    { "ushort", 2 },
    { "unsigned short", 2 },
    { "unsigned short int", 2 },
    { "uint16", 2 },
    { "uint16_t", 2 },
    { "int", 4 },
    { "signed int", 4 },
    { "int32", 4 },
    { "int32_t", 4 },
    { "uint", 4 },
    { "unsigned int", 4 },
    { "uint32", 4 },
    { "uint32_t", 4 },
    { "longlong", 8 },
    { "long long", 8 },
    { "long long int", 8 },
    { "signed long long", 8 },
    { "signed long long int", 8 },
    { "int64", 8 },
    { "int64_t", 8 },
    { "ulonglong", 8 },
    { "unsigned long long", 8 },
    { "unsigned long long int", 8 },
    { "uint64", 8 },
    { "uint64_t", 8 },
    { "float", 4 },
    { "double", 8 },
  };
  for (const auto & [name, bytes] : sizes)
  {
    if (type == name)
      return bytes;
  }
  return 0;
}

/// Bytes of values that NRRD text data (ascii: numbers; hex: two digits a byte) hold from
/// `offset` on, counted up to the first text teem would not read, so that teem never fails
/// inside its data reader (where ITK's reader leaks teem's state).
double
nrrdTextBytes(const std::string & path, const DataFile & data, double offset, bool hex, size_t valueBytes)
{
  std::ifstream stream = openData(path, data);
  stream.seekg(static_cast<std::streamoff>(offset));
  double count = 0.0;
  if (hex)
  {
    for (char c = 0; stream.get(c);)
    {
      if (std::isxdigit(static_cast<unsigned char>(c)) != 0)
        count += 0.5;
      else if (std::isspace(static_cast<unsigned char>(c)) == 0)
        break;
    }
    return std::floor(count);
  }
  // teem separates ascii values by white space or commas.
  std::string token;
  for (char c = 0; stream.get(c) || !token.empty();)
  {
    const bool separator = stream.eof() || std::isspace(static_cast<unsigned char>(c)) != 0 || c == ',';
    if (!separator)
    {
      token += c;
      continue;
    }
    if (token.empty())
      continue;
    char * end = nullptr;
    std::strtod(token.c_str(), &end);
    if (end == token.c_str() || *end != '\0')
      break;
    count += 1.0;
    token.clear();
    if (stream.eof())
      break;
  }
  return count * static_cast<double>(valueBytes);
}

/// Refuses a NRRD axis whose kind fixes its size (a 3D symmetric matrix has 6 values) with
/// another size. teem refuses it too, but only after parsing the whole header, on a path that
/// leaks its state (88 bytes per file; found by Testing/Fuzz), so it is refused here first.
void
checkNrrdKinds(const std::string & path, const TextImageHeader & header)
{
  static const std::pair<const char *, long> fixedSizes[] = {
    { "stub", 1 },
    { "scalar", 1 },
    { "complex", 2 },
    { "2-vector", 2 },
    { "3-color", 3 },
    { "rgb-color", 3 },
    { "hsv-color", 3 },
    { "xyz-color", 3 },
    { "4-color", 4 },
    { "rgba-color", 4 },
    { "3-vector", 3 },
    { "3-gradient", 3 },
    { "3-normal", 3 },
    { "4-vector", 4 },
    { "quaternion", 4 },
    { "2d-symmetric-matrix", 3 },
    { "2d-masked-symmetric-matrix", 4 },
    { "2d-matrix", 4 },
    { "2d-masked-matrix", 5 },
    { "3d-symmetric-matrix", 6 },
    { "3d-masked-symmetric-matrix", 7 },
    { "3d-matrix", 9 },
    { "3d-masked-matrix", 10 },
  };
  std::istringstream sizes(header.field("sizes")), kinds(lowerCase(header.field("kinds")));
  std::string        size, kind;
  for (int axis = 0; sizes >> size && kinds >> kind; ++axis)
  {
    for (const auto & [name, required] : fixedSizes)
    {
      if (kind == name && size != std::to_string(required))
        throw std::runtime_error(inQuotes(path) + ": its axis " + std::to_string(axis) + " is of kind " + kind +
                                 ", which has " + std::to_string(required) + " values, but its size is " + size);
    }
  }
}

/// Refuses the NRRD headers teem refuses on paths that leak what it parsed so far (found by
/// Testing/Fuzz): a field teem copies before it checks that the dimension is known ("kinds",
/// "centers", a numbered or LIST "data file" before "dimension"), and a quoted string without its
/// closing quote in "labels", "units" or "space units" (a quote after a backslash is part of the
/// string, as teem reads it).
void
checkNrrdFieldsTeemLeaksOn(const std::string & path, const TextImageHeader & header)
{
  // teem reads a data file as numbered files ("slice%03d.raw 1 10 1") when its first % that is
  // not "%%" starts a %d conversion.
  auto numbered = [](const std::string & value)
  {
    size_t percent = value.find('%');
    while (percent != std::string::npos && percent + 1 < value.size() && value[percent + 1] == '%')
      percent = value.find('%', percent + 2);
    if (percent == std::string::npos)
      return false;
    const size_t conversion = value.find_first_not_of("0123456789", percent + 1);
    return conversion != std::string::npos && value[conversion] == 'd';
  };
  bool dimension = false;
  for (const auto & [key, value] : header.fields)
  {
    dimension = dimension || key == "dimension";
    const bool perAxis = key == "kinds" || key == "centers" || key == "centerings";
    const bool dataFiles =
      (key == "data file" || key == "datafile") && (value.rfind("LIST", 0) == 0 || numbered(value));
    if (!dimension && (perAxis || dataFiles))
      throw std::runtime_error(inQuotes(path) + ": its NRRD field \"" + key +
                               "\" comes before \"dimension\", which teem, which reads NRRD, needs first");
    if (key == "labels" || key == "units" || key == "space units" || key == "spaceunits")
    {
      size_t quotes = 0;
      for (size_t at = 0; at < value.size(); ++at)
        quotes += value[at] == '"' && (at == 0 || value[at - 1] != '\\');
      if (quotes % 2 != 0)
        throw std::runtime_error(inQuotes(path) + ": its NRRD field \"" + key + "\" has a quoted string without its " +
                                 "closing quote");
    }
  }
}

StoredPixelData
findNrrdPixelData(const std::string & path)
{
  const TextImageHeader header = readTextImageHeader(path, TextImageHeader::Format::Nrrd);
  StoredPixelData       stored;
  if (!header.complete)
    return stored; // teem refuses a header without an end
  checkNrrdKinds(path, header);
  checkNrrdFieldsTeemLeaksOn(path, header);
  // teem writes the value of a field it cannot parse into a fixed buffer of about 1,000 bytes:
  // a longer line overflowed it (glibc's fortify abort; found by Testing/Fuzz).
  if (header.longestLineLength > kLongestNrrdFieldLine)
    throw std::runtime_error(inQuotes(path) + ": its NRRD header line " + std::to_string(header.longestLine) + " has " +
                             std::to_string(header.longestLineLength) + " characters; teem, which reads NRRD, " +
                             "takes field lines of at most " + std::to_string(kLongestNrrdFieldLine));
  std::string dataFile = header.field("data file");
  if (dataFile.empty())
    dataFile = header.field("datafile");
  const std::vector<DataFile> files = dataFiles(path, header, dataFile);
  const std::string           encoding = lowerCase(header.field("encoding"));
  const long                  lineSkip = integerField(path, "line skip", header.field("line skip"), 0);
  const long                  byteSkip = integerField(
    path, "byte skip", header.field("byte skip").empty() ? header.field("byteskip") : header.field("byte skip"), 0);
  const std::vector<DataFile> sources = files.empty() ? std::vector<DataFile>{ { path, path } } : files;
  const double                start = files.empty() ? header.dataOffset : 0.0;
  stored.file = sources.front().named;
  stored.dataFiles = files.size();
  stored.compressed = encoding == "gzip" || encoding == "gz";
  const bool   raw = encoding == "raw";
  const size_t valueBytes = nrrdValueBytes(lowerCase(header.field("type")));
  const bool   text =
    (encoding == "ascii" || encoding == "text" || encoding == "txt" || encoding == "hex") && valueBytes > 0;
  double total = 0.0;
  for (const DataFile & source : sources)
  {
    const double lines = lineSkip > 0 ? skippedLines(path, source, start, lineSkip) : 0.0;
    if (stored.compressed)
      total += inflatedSize(path, source, start + lines) - std::max(0L, byteSkip);
    else if (raw)
      // A byte skip of -1: the data are the file's last bytes, however many come before.
      total += fileSize(path, source) - start - lines - std::max(0L, byteSkip);
    else if (text)
      total += nrrdTextBytes(path, source, start + lines, encoding == "hex", valueBytes);
    else
      openData(path, source); // bzip2, which this build's teem does not read: teem refuses it
  }
  if (stored.compressed || raw || text)
    stored.bytes = std::max(0.0, total);
  return stored;
}

StoredPixelData
findMetaImagePixelData(const std::string & path)
{
  const TextImageHeader header = readTextImageHeader(path, TextImageHeader::Format::MetaImage);
  // MetaIO reads a line without "=" as part of the next field's name and, on some such headers,
  // leaks what it had parsed (found by Testing/Fuzz): only well-formed headers reach it.
  if (!header.complete)
    throw std::runtime_error(inQuotes(path) + ": not a MetaImage header this toolkit reads: no 'ElementDataFile = …' "
                                              "line ends it");
  if (header.malformedLine != 0)
    throw std::runtime_error(inQuotes(path) + ": not a MetaImage header this toolkit reads: its line " +
                             std::to_string(header.malformedLine) + " is not 'Key = Value'");
  // A field given twice: MetaIO takes the last, this check would read the first (NDims = 3, then
  // NDims = -3, kept MetaIO busy; found by Testing/Fuzz). No writer repeats a field.
  for (size_t i = 0; i < header.fields.size(); ++i)
  {
    for (size_t j = 0; j < i; ++j)
    {
      if (header.fields[j].first == header.fields[i].first)
        throw std::runtime_error(inQuotes(path) + ": its MetaImage header gives the field '" + header.fields[i].first +
                                 "' more than once");
    }
  }
  // MetaIO copies field names into buffers of 255 bytes (a longer name overflowed one: glibc's
  // abort; found by Testing/Fuzz) and reads values into fixed buffers too.
  for (const auto & [key, value] : header.fields)
  {
    if (key.size() > 250 || value.size() > 1000)
      throw std::runtime_error(inQuotes(path) + ": its MetaImage header has a field " +
                               (key.size() > 250
                                  ? "name of " + std::to_string(key.size()) + " characters (at most 250)"
                                  : "value of " + std::to_string(value.size()) + " characters (at most 1000)") +
                               ", more than MetaIO reads safely");
  }
  // A dimension count MetaIO would loop over (NDims = -3 kept it busy for over a minute; found by
  // Testing/Fuzz), and sizes that do not match it, are refused before MetaIO reads the header.
  const long dimensions = integerField(path, "NDims", header.field("ndims"), 0);
  if (dimensions < 1 || dimensions > 10)
    throw std::runtime_error(inQuotes(path) + ": its MetaImage header's NDims is '" + header.field("ndims") +
                             "'; a MetaImage has 1 to 10 dimensions");
  std::istringstream sizes(header.field("dimsize"));
  long               count = 0;
  for (long size = 0; sizes >> size; ++count)
  {
    if (size < 1)
      throw std::runtime_error(inQuotes(path) + ": its MetaImage header's DimSize holds " + std::to_string(size) +
                               "; sizes are positive");
  }
  if (count != dimensions || !sizes.eof())
    throw std::runtime_error(inQuotes(path) + ": its MetaImage header's DimSize '" + header.field("dimsize") +
                             "' is not " + std::to_string(dimensions) + " positive whole numbers (NDims)");
  StoredPixelData             stored;
  const std::string           dataFile = header.field("elementdatafile");
  const std::vector<DataFile> files = dataFiles(path, header, dataFile);
  const std::vector<DataFile> sources = files.empty() ? std::vector<DataFile>{ { path, path } } : files;
  // HeaderSize: bytes before the data in each data file; -1: the data are the file's last bytes.
  const long   headerSize = files.empty() ? 0 : integerField(path, "HeaderSize", header.field("headersize"), 0);
  const double start = files.empty() ? header.dataOffset : static_cast<double>(std::max(0L, headerSize));
  stored.file = sources.front().named;
  stored.dataFiles = files.size();
  stored.compressed = lowerCase(header.field("compresseddata")) == "true";
  double total = 0.0;
  for (const DataFile & source : sources)
    total += stored.compressed ? inflatedSize(path, source, start) : fileSize(path, source) - start;
  stored.bytes = std::max(0.0, total);
  return stored;
}

StoredPixelData
findNiftiPixelDataStored(const std::string & path, const NiftiPixelData & nifti)
{
  StoredPixelData stored;
  const DataFile  data{ std::filesystem::path(nifti.file).filename().string(), nifti.file };
  stored.file = data.location == std::filesystem::path(path) ? path : data.named;
  stored.dataFiles = data.location == std::filesystem::path(path) ? 0 : 1;
  stored.compressed = endsWith(lowerCase(nifti.file), ".gz");
  const double size = stored.compressed ? inflatedSize(path, data, 0.0) : fileSize(path, data);
  stored.bytes = std::max(0.0, size - std::max(0.0, nifti.offset));
  return stored;
}

uint32_t
bigEndian32(const unsigned char * bytes)
{
  return (uint32_t{ bytes[0] } << 24) | (uint32_t{ bytes[1] } << 16) | (uint32_t{ bytes[2] } << 8) | bytes[3];
}

/// Bytes of filtered rows a PNG image's data must inflate to (a filter byte per row of each
/// pass), from its IHDR fields.
double
pngRowBytes(uint32_t width, uint32_t height, int bitDepth, int colourType, bool interlaced)
{
  const int channels = colourType == 2 ? 3 : colourType == 4 ? 2 : colourType == 6 ? 4 : 1;
  auto      rows = [&](double columns, double count)
  { return columns > 0 && count > 0 ? count * (1.0 + std::ceil(columns * channels * bitDepth / 8.0)) : 0.0; };
  if (!interlaced)
    return rows(width, height);
  // Adam7: the seven passes' first column, first row and steps.
  const int passes[7][4] = { { 0, 0, 8, 8 }, { 4, 0, 8, 8 }, { 0, 4, 4, 8 }, { 2, 0, 4, 4 },
                             { 0, 2, 2, 4 }, { 1, 0, 2, 2 }, { 0, 1, 1, 2 } };
  double    total = 0.0;
  for (const auto & pass : passes)
  {
    const double columns = width > static_cast<uint32_t>(pass[0]) ? std::ceil((width - pass[0]) / double(pass[2])) : 0;
    const double count = height > static_cast<uint32_t>(pass[1]) ? std::ceil((height - pass[1]) / double(pass[3])) : 0;
    total += rows(columns, count);
  }
  return total;
}

/// A PNG file's chunks, each within the file with its CRC, to IEND; its image data inflate to
/// every row IHDR describes.
void
checkPngChunks(const std::string & path, const std::string & data)
{
  size_t   at = 8; // after the signature
  Inflater imageData(inQuotes(path) + ": its image data (IDAT chunks)");
  double   described = -1.0;
  for (;;)
  {
    if (data.size() < at + 12)
      throw std::runtime_error(inQuotes(path) + ": the PNG file ends after " + bytes(double(data.size())) +
                               ", before its last chunk (IEND): the file is truncated");
    const auto *   chunk = reinterpret_cast<const unsigned char *>(data.data()) + at;
    const uint32_t length = bigEndian32(chunk);
    std::string    type; // as libpng names chunks: letters as they are, other bytes as [hex]
    for (size_t i = at + 4; i < at + 8; ++i)
    {
      const auto         byte = static_cast<unsigned char>(data[i]);
      std::ostringstream hex;
      hex << "[" << std::hex << std::setw(2) << std::setfill('0') << unsigned{ byte } << "]";
      type += std::isalpha(byte) != 0 ? std::string(1, static_cast<char>(byte)) : hex.str();
    }
    if (length > data.size() - at - 12)
      throw std::runtime_error(inQuotes(path) + ": the PNG file ends after " + bytes(double(data.size())) +
                               ", inside its chunk '" + type + "' that needs " + bytes(double(at) + length + 12.0) +
                               ": the file is truncated");
    if (crc32(0, chunk + 4, length + 4) != bigEndian32(chunk + 8 + length))
      throw std::runtime_error(inQuotes(path) + ": the PNG chunk '" + type + "' at byte " + std::to_string(at) +
                               " fails its checksum (the file is corrupt)");
    if (type == "IHDR" && length >= 13)
      described = pngRowBytes(bigEndian32(chunk + 8), bigEndian32(chunk + 12), chunk[16], chunk[17], chunk[20] != 0);
    else if (type == "IDAT")
      imageData.feed(chunk + 8, length);
    else if (type == "IEND")
      break;
    at += 12 + static_cast<size_t>(length);
  }
  const double inflated = imageData.finish();
  if (described >= 0.0 && inflated < described)
    throw std::runtime_error(inQuotes(path) + ": its image data inflate to " + bytes(inflated) +
                             " where its header (IHDR) describes " + bytes(described) +
                             " (a truncated or corrupted file)");
}

/// A JPEG file's segments, each within the file, to the end-of-image marker.
void
checkJpegMarkers(const std::string & path, const std::string & data)
{
  auto   byteAt = [&](size_t i) { return static_cast<unsigned char>(data[i]); };
  size_t at = 2; // after the start-of-image marker
  auto   truncated = [&]()
  {
    return std::runtime_error(inQuotes(path) + ": the JPEG file ends after " + bytes(double(data.size())) +
                              " without its end-of-image marker: the file is truncated");
  };
  bool scanning = false; // inside entropy-coded data after a start-of-scan segment
  while (at + 1 < data.size())
  {
    if (byteAt(at) != 0xFF)
    {
      if (!scanning)
        throw std::runtime_error(inQuotes(path) + ": the JPEG file has no marker at byte " + std::to_string(at) +
                                 " where its segments say one begins (the file is corrupt)");
      ++at;
      continue;
    }
    const unsigned char marker = byteAt(at + 1);
    if (marker == 0xD9)
      return; // end of image
    // Stuffed zero, fill bytes, restart markers and markers without a length.
    if (marker == 0x00 || marker == 0xFF || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01)
    {
      at += marker == 0xFF ? 1 : 2;
      continue;
    }
    if (at + 4 > data.size())
      throw truncated();
    const size_t length = (size_t{ byteAt(at + 2) } << 8) | byteAt(at + 3);
    if (at + 2 + length > data.size())
      throw truncated();
    scanning = marker == 0xDA;
    at += 2 + length;
  }
  throw truncated();
}

std::string
fileBytes(const std::string & path)
{
  std::ifstream stream(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(stream), {});
}

} // namespace

StoredPixelData
findPixelData(const std::string & path)
{
  const std::string lower = lowerCase(path);
  if (const auto nifti = findNiftiPixelData(path))
    return findNiftiPixelDataStored(path, *nifti);
  if (endsWith(lower, ".nrrd") || endsWith(lower, ".nhdr"))
    return findNrrdPixelData(path);
  if (endsWith(lower, ".mha") || endsWith(lower, ".mhd"))
    return findMetaImagePixelData(path);
  char signature[8] = {};
  std::ifstream(path, std::ios::binary).read(signature, sizeof(signature));
  StoredPixelData stored;
  stored.file = path;
  // ITK picks the PNG and JPEG readers by these first bytes, whatever the name.
  if (std::memcmp(signature, "\x89PNG\r\n\x1a\n", 8) == 0)
    checkPngChunks(path, fileBytes(path));
  else if (std::memcmp(signature, "\xFF\xD8\xFF", 3) == 0)
    checkJpegMarkers(path, fileBytes(path));
  else if (endsWith(lower, ".gz"))
    inflatedSize(path, { path, path }, 0.0);
  return stored;
}

void
requireAllPixelData(const std::string & path, const StoredPixelData & stored, double describedBytes)
{
  if (stored.bytes < 0.0 || stored.bytes >= describedBytes)
    return;
  const std::string holder = stored.dataFiles == 0 ? inQuotes(path) + ": it holds "
                             : stored.dataFiles == 1
                               ? inQuotes(path) + ": its data file " + inQuotes(stored.file) + " holds "
                               : inQuotes(path) + ": its " + std::to_string(stored.dataFiles) + " data files (from " +
                                   inQuotes(stored.file) + ") hold ";
  throw std::runtime_error(holder + bytes(stored.bytes) + " of pixel data" + (stored.compressed ? " (inflated)" : "") +
                           " where its header describes " + bytes(describedBytes) + ": " +
                           (stored.dataFiles == 0   ? "the file is"
                            : stored.dataFiles == 1 ? "the data file is"
                                                    : "data files are") +
                           " truncated, or the header is wrong");
}

} // namespace revgan
