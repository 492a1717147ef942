// SPDX-License-Identifier: Apache-2.0
#include "ModelArchiveCheck.h"

#include "revgan/AsciiText.h"
#include "revgan/ModelFile.h"

#include <caffe2/serialize/versions.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace revgan
{

namespace
{

// Zip record signatures and sizes (PKWARE APPNOTE 4.3).
constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr uint32_t kEndOfCentralDirectorySignature = 0x06054b50;
constexpr size_t   kLocalHeaderSize = 30;
constexpr size_t   kCentralHeaderSize = 46;
constexpr size_t   kEndOfCentralDirectorySize = 22;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr uint32_t kZip64EndSignature = 0x06064b50;
constexpr size_t   kZip64LocatorSize = 20;
constexpr size_t   kZip64EndSize = 56;
/// LibTorch deflates only the small code records; a larger claim is not ours.
constexpr uint32_t kLargestCompressedRecord = 64 << 20;

/// The bytes of a raw-deflate record, or fewer than `size` bytes if it does not inflate to
/// `size` bytes (never more: the output is bounded).
std::string
inflateRecord(const std::string & compressed, uint32_t size)
{
  std::string output(static_cast<size_t>(size) + 1, '\0'); // one spare byte detects overlong data
  z_stream    stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)
    return {};
  stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  stream.next_out = reinterpret_cast<Bytef *>(output.data());
  stream.avail_out = static_cast<uInt>(output.size());
  const int status = inflate(&stream, Z_FINISH);
  inflateEnd(&stream);
  if (status != Z_STREAM_END)
    return {};
  output.resize(stream.total_out);
  return output;
}

/// Little-endian reads that cannot run past the end of the bytes.
class ByteReader
{
public:
  ByteReader(const std::string & bytes, const std::string & path)
    : bytes_(bytes)
    , path_(path)
  {
  }

  uint16_t
  u16(size_t offset) const
  {
    require(offset, 2);
    return static_cast<uint16_t>(byte(offset) | byte(offset + 1) << 8);
  }
  uint32_t
  u32(size_t offset) const
  {
    require(offset, 4);
    return static_cast<uint32_t>(u16(offset)) | static_cast<uint32_t>(u16(offset + 2)) << 16;
  }
  uint64_t
  u64(size_t offset) const
  {
    return static_cast<uint64_t>(u32(offset)) | static_cast<uint64_t>(u32(offset + 4)) << 32;
  }
  void
  require(size_t offset, size_t size) const
  {
    if (offset > bytes_.size() || size > bytes_.size() - offset)
      throw ModelFileError(path_,
                           "not a readable RevGAN model or checkpoint (truncated or corrupted?): a zip record "
                           "reaches past the end of the file");
  }

private:
  uint32_t
  byte(size_t offset) const
  {
    return static_cast<unsigned char>(bytes_[offset]);
  }
  const std::string & bytes_;
  const std::string & path_;
};

/// A type of the attributes LibTorch declares for what archives hold: tensors, numbers, strings,
/// lists, tuples, dictionaries, optionals, and the archive's nested modules.
bool
isDeclaredType(const std::string & type, int depth = 0)
{
  static const std::regex basic("Tensor|int|float|bool|str|NoneType|__torch__(\\.___torch_mangle_[0-9]+)?\\.Module");
  if (std::regex_match(type, basic))
    return true;
  const size_t open = type.find('[');
  if (depth > 8 || open == std::string::npos || type.back() != ']')
    return false;
  const std::string outer = type.substr(0, open);
  if (outer != "List" && outer != "Tuple" && outer != "Dict" && outer != "Optional")
    return false;
  // Split the arguments at the commas outside nested brackets.
  std::vector<std::string> arguments(1);
  int                      nesting = 0;
  for (size_t i = open + 1; i + 1 < type.size(); ++i)
  {
    const char c = type[i];
    nesting += c == '[' ? 1 : c == ']' ? -1 : 0;
    if (nesting < 0)
      return false;
    if (c == ',' && nesting == 0)
      arguments.emplace_back();
    else if (!(c == ' ' && nesting == 0))
      arguments.back() += c;
  }
  for (const auto & argument : arguments)
  {
    if (!isDeclaredType(argument, depth + 1))
      return false;
  }
  return nesting == 0;
}

bool
isNameCharacter(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '/' || c == '-';
}

bool
isIdentifier(const std::string & text)
{
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0])) != 0)
    return false;
  return std::all_of(
    text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; });
}

/// `["a", "b/c", ]` as LibTorch writes parameter and buffer names (possibly `[]`); checked by hand,
/// because these lines grow with the model and a regular expression recurses per character.
bool
isNameList(const std::string & text)
{
  if (text.size() < 2 || text.front() != '[' || text.back() != ']')
    return false;
  for (size_t i = 1; i + 1 < text.size();)
  {
    const size_t close = text.find('"', i + 1);
    if (text[i] != '"' || close == std::string::npos || close + 3 > text.size() - 1 ||
        text.compare(close + 1, 2, ", ") != 0 ||
        !std::all_of(text.begin() + i + 1, text.begin() + close, isNameCharacter))
      return false;
    i = close + 3;
  }
  return true;
}

bool
startsWith(const std::string & text, const std::string & prefix)
{
  return text.compare(0, prefix.size(), prefix) == 0;
}

/// The first line of a code record that is not one of the declarations LibTorch writes for an
/// archive of data — `class Module(Module):`, the parameter and buffer name lists, `name : Type`,
/// `__annotations__["name"] = Type` — empty if there is none. LibTorch compiles these records
/// while loading, and its compiler does not survive every malformed source (a crash found by
/// Testing/Fuzz).
std::string
firstUndeclaredLine(const std::string & code)
{
  constexpr size_t   kLongestDeclaration = 4096; // types and names; only the name lists grow
  std::istringstream lines(code);
  for (std::string line; std::getline(lines, line);)
  {
    bool declared = false;
    if (line.empty() || line == "class Module(Module):" || line == "  __annotations__ = []")
      declared = true;
    else if (startsWith(line, "  __parameters__ = ") || startsWith(line, "  __buffers__ = "))
      declared = isNameList(line.substr(line.find('=') + 2));
    else if (line.size() <= kLongestDeclaration && startsWith(line, "  __annotations__[\""))
    {
      const size_t close = line.find("\"] = ");
      declared = close != std::string::npos &&
                 std::all_of(line.begin() + 19, line.begin() + static_cast<std::ptrdiff_t>(close), isNameCharacter) &&
                 isDeclaredType(line.substr(close + 5));
    }
    else if (line.size() <= kLongestDeclaration && startsWith(line, "  "))
    {
      const size_t colon = line.find(" : ");
      declared =
        colon != std::string::npos && isIdentifier(line.substr(2, colon - 2)) && isDeclaredType(line.substr(colon + 3));
    }
    if (!declared)
      return line;
  }
  return {};
}

/// What keeps the zip64 end record, which the locator at `locator` points to, from describing the
/// directory the end record describes (empty when it does). LibTorch's writer puts both records in
/// every file, and its reader (miniz) takes the directory's entries, size and place from the zip64
/// record whenever the locator names one: a file whose two records disagree would show LibTorch a
/// directory this check never read (a count of 0 makes LibTorch's reader throw out of its
/// constructor after miniz has allocated its state, a leak found by Testing/Fuzz).
std::string
zip64EndRecordProblem(const ByteReader & reader,
                      size_t             locator,
                      uint16_t           entries,
                      uint32_t           directorySize,
                      uint32_t           directoryOffset)
{
  if (reader.u32(locator + 4) != 0 || reader.u32(locator + 16) != 1)
    return "the zip64 locator names another disk";
  const uint64_t record = reader.u64(locator + 8);
  if (record > locator || locator - record < kZip64EndSize || reader.u32(record) != kZip64EndSignature)
    return "the zip64 end of the zip directory is not where its locator says";
  if (reader.u64(record + 4) < kZip64EndSize - 12 || reader.u32(record + 16) != 0 || reader.u32(record + 20) != 0 ||
      reader.u64(record + 24) != entries || reader.u64(record + 32) != entries ||
      reader.u64(record + 40) != directorySize || reader.u64(record + 48) != directoryOffset)
    return "the zip64 end of the zip directory disagrees with its end record";
  return {};
}

/// Refuses a version record LibTorch would not accept. LibTorch parses it in its archive reader's
/// constructor, after its zip reader has allocated its state, and a refusal there throws out of
/// the constructor without freeing that state (a leak found by Testing/Fuzz).
void
checkFormatVersion(const std::string & contents, const std::string & name, const std::string & path)
{
  std::string digits = contents;
  if (!digits.empty() && digits.back() == '\n')
    digits.pop_back();
  const bool decimal = !digits.empty() && digits.size() <= 4 &&
                       std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  const uint64_t version = decimal ? std::stoull(digits) : 0;
  if (version < caffe2::serialize::kMinSupportedFileFormatVersion ||
      version > caffe2::serialize::kMaxSupportedFileFormatVersion)
    throw ModelFileError(path,
                         "record '" + name + "' does not hold a file format version this LibTorch reads (" +
                           std::to_string(caffe2::serialize::kMinSupportedFileFormatVersion) + " to " +
                           std::to_string(caffe2::serialize::kMaxSupportedFileFormatVersion) +
                           "): the file is corrupted, or written by a newer LibTorch");
}

} // namespace

void
checkModelArchive(const std::string & bytes, const std::string & path)
{
  auto corrupted = [&](const std::string & problem)
  { return ModelFileError(path, "not a readable RevGAN model or checkpoint (truncated or corrupted?): " + problem); };
  const ByteReader reader(bytes, path);
  if (bytes.size() < kEndOfCentralDirectorySize || reader.u32(0) != kLocalHeaderSignature)
    throw ModelFileError(path, "not a RevGAN model or checkpoint file (not a zip archive)");

  // The end-of-central-directory record is last, followed only by a comment of up to 64 KiB.
  size_t     end = bytes.size() - kEndOfCentralDirectorySize;
  const auto lowest = bytes.size() > kEndOfCentralDirectorySize + 0xFFFF ? end - 0xFFFF : 0;
  while (reader.u32(end) != kEndOfCentralDirectorySignature)
  {
    if (end == lowest)
      throw corrupted("no end of the zip directory");
    --end;
  }
  const uint16_t entries = reader.u16(end + 10);
  const uint32_t directorySize = reader.u32(end + 12);
  const uint32_t directoryOffset = reader.u32(end + 16);
  if (entries == 0xFFFF || directorySize == 0xFFFFFFFF || directoryOffset == 0xFFFFFFFF)
    throw ModelFileError(path, "is a zip64 archive (4 GiB or more), which this build does not read");
  if (static_cast<uint64_t>(directoryOffset) + directorySize > end)
    throw corrupted("the zip directory lies outside the file");
  if (end >= kZip64LocatorSize && reader.u32(end - kZip64LocatorSize) == kZip64LocatorSignature)
  {
    const std::string problem =
      zip64EndRecordProblem(reader, end - kZip64LocatorSize, entries, directorySize, directoryOffset);
    if (!problem.empty())
      throw corrupted(problem);
  }

  std::string folder;
  // Each record's size by its name in lower case, and the tensor data each pickle claims.
  std::map<std::string, uint32_t>                                sizes;
  std::vector<std::pair<std::string, std::vector<StorageClaim>>> claimsByPickle;
  size_t                                                         position = directoryOffset;
  for (uint16_t i = 0; i < entries; ++i)
  {
    if (reader.u32(position) != kCentralHeaderSignature)
      throw corrupted("zip directory entry " + std::to_string(i) + " is damaged");
    const uint16_t method = reader.u16(position + 10);
    const uint32_t crc = reader.u32(position + 16);
    const uint32_t compressedSize = reader.u32(position + 20);
    const uint32_t size = reader.u32(position + 24);
    const size_t   nameLength = reader.u16(position + 28);
    const size_t   extraLength = reader.u16(position + 30);
    const size_t   commentLength = reader.u16(position + 32);
    const uint32_t localOffset = reader.u32(position + 42);
    reader.require(position + kCentralHeaderSize, nameLength);
    const std::string name = bytes.substr(position + kCentralHeaderSize, nameLength);
    // LibTorch looks records up by C string: a name with a NUL would hide behind a shorter one.
    if (name.find('\0') != std::string::npos)
      throw corrupted("the name of zip directory entry " + std::to_string(i) + " holds a NUL byte");
    position += kCentralHeaderSize + nameLength + extraLength + commentLength;
    if (position > static_cast<size_t>(directoryOffset) + directorySize)
      throw corrupted("the zip directory overruns its size");
    if (!(method == 0 && compressedSize == size) && !(method == 8 && size <= kLargestCompressedRecord))
      throw ModelFileError(path, "record '" + name + "' is stored in a way RevGAN files never store records");
    // LibTorch finds records by name regardless of case (miniz), so the checks here do too.
    const std::string lowerName = lowerCase(name);
    if (!sizes.emplace(lowerName, size).second)
      throw corrupted("record '" + name + "' appears twice");
    const size_t slash = name.find('/');
    if (slash == std::string::npos || (!folder.empty() && name.compare(0, slash + 1, folder) != 0))
      throw ModelFileError(path, "record '" + name + "' lies outside the archive's folder");
    folder = name.substr(0, slash + 1);

    if (reader.u32(localOffset) != kLocalHeaderSignature)
      throw corrupted("the data of record '" + name + "' is not where the directory says");
    const size_t dataOffset =
      static_cast<size_t>(localOffset) + kLocalHeaderSize + reader.u16(localOffset + 26) + reader.u16(localOffset + 28);
    reader.require(dataOffset, compressedSize);
    if (dataOffset + compressedSize > directoryOffset)
      throw corrupted("record '" + name + "' overlaps the zip directory");
    const std::string contents =
      method == 0 ? bytes.substr(dataOffset, size) : inflateRecord(bytes.substr(dataOffset, compressedSize), size);
    if (contents.size() != size)
      throw corrupted("record '" + name + "' does not inflate to its size");
    if (::crc32(::crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef *>(contents.data()), size) != crc)
      throw corrupted("record '" + name + "' does not match its CRC-32");

    if (lowerName.size() > 3 && lowerName.compare(lowerName.size() - 3, 3, "pkl") == 0)
      claimsByPickle.emplace_back(name, checkPickle(contents, name, path));

    // Every code record is checked, not only the .py ones: LibTorch decides what to compile.
    const std::string relative = lowerName.substr(slash + 1);
    if (relative == "version" || relative == ".data/version")
      checkFormatVersion(contents, name, path);
    // With a model.json, LibTorch 1.13 reads the archive as a legacy TorchScript module: it compiles
    // the code that model.json names, wherever it lies, and runs its __setstate__ methods.
    if (relative == "model.json")
      throw ModelFileError(path,
                           "record '" + name + "' would make LibTorch read a legacy TorchScript module, whose code " +
                             "it runs; RevGAN files hold data only, never code");
    if (startsWith(relative, "code/") &&
        !(relative.size() > 10 && relative.compare(relative.size() - 10, 10, ".debug_pkl") == 0))
    {
      if (contents.find("def ") != std::string::npos)
        throw ModelFileError(path, "record '" + name + "' defines methods; RevGAN files hold data only, never code");
      const std::string line = firstUndeclaredLine(contents);
      if (!line.empty())
        throw ModelFileError(path,
                             "record '" + name + "' holds '" + line.substr(0, 80) +
                               "', which is not an attribute declaration of a RevGAN file");
    }
  }
  for (const char * required : { "data.pkl", "version" })
  {
    if (sizes.count(lowerCase(folder) + required) == 0)
      throw ModelFileError(path, std::string("not a RevGAN model or checkpoint file (no ") + required + " record)");
  }
  for (const auto & [pickle, pickleClaims] : claimsByPickle)
    checkStorageClaims(pickle, pickleClaims, sizes, path);
}

void
checkStorageClaims(const std::string &                     pickle,
                   const std::vector<StorageClaim> &       claims,
                   const std::map<std::string, uint32_t> & sizes,
                   const std::string &                     path)
{
  // data.pkl's tensors lie in data/, constants.pkl's in constants/.
  const bool        named = pickle.size() > 4 && lowerCase(pickle.substr(pickle.size() - 4)) == ".pkl";
  const std::string folder = (named ? pickle.substr(0, pickle.size() - 4) : pickle) + "/";
  for (const StorageClaim & claim : claims)
  {
    if (claim.bytes == 0)
      continue; // LibTorch reads no record for an empty tensor
    const std::string record = folder + claim.key;
    const auto        found = sizes.find(lowerCase(record));
    const std::string where = "record '" + pickle + "' at byte " + std::to_string(claim.at) + " ";
    if (found == sizes.end())
      throw ModelFileError(path,
                           where + "names tensor data '" + record +
                             "' that the archive does not hold: the file is corrupted or crafted");
    if (claim.bytes > found->second)
      throw ModelFileError(path,
                           where + "claims " + std::to_string(claim.bytes) + " bytes of tensor data in '" + record +
                             "', which holds " + std::to_string(found->second) + ": the file is corrupted or crafted");
  }
}

} // namespace revgan
