// SPDX-License-Identifier: Apache-2.0
#include "ModelArchiveCheck.h"
#include "revgan/ModelFile.h"

#include <c10/core/ScalarType.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace revgan
{

namespace
{

/// How an opcode's argument is laid out (Python's Lib/pickletools.py, protocols 0 to 5).
enum class Argument
{
  None,
  Fixed,        ///< `size` bytes
  CountedBytes, ///< a little-endian count of `size` bytes, then that many bytes
  TwoLines,     ///< two newline-terminated lines (GLOBAL, INST)
  Line,         ///< one newline-terminated line
};

struct Layout
{
  Argument argument{ Argument::None };
  size_t   size{ 0 };
  bool     known{ false };
};

Layout
layoutOf(unsigned char opcode)
{
  // The opcodes of each layout, as bytes.
  static const struct
  {
    const char * opcodes;
    Layout       layout;
  } kLayouts[] = {
    { "()]}eusatRbQN.012ldo\x81\x85\x86\x87\x88\x89\x8f\x90\x91\x92\x93\x94\x97\x98", { Argument::None, 0, true } },
    { "Kqh\x80\x82", { Argument::Fixed, 1, true } },
    { "M\x83", { Argument::Fixed, 2, true } },
    { "Jrj\x84", { Argument::Fixed, 4, true } },
    // BINFLOAT; FRAME, whose argument is the frame's length (its opcodes follow as usual).
    { "G\x95", { Argument::Fixed, 8, true } },
    { "CU\x8a\x8c", { Argument::CountedBytes, 1, true } },
    { "BTX\x8b", { Argument::CountedBytes, 4, true } },
    { "\x8d\x8e\x96", { Argument::CountedBytes, 8, true } },
    { "ci", { Argument::TwoLines, 0, true } },
    { "ILFSVPgp", { Argument::Line, 0, true } },
  };
  for (const auto & entry : kLayouts)
    if (std::memchr(entry.opcodes, opcode, std::strlen(entry.opcodes)) != nullptr)
      return entry.layout;
  return {};
}

/// A value the walk knows for certain: what LibTorch's writer puts in a storage's persistent id.
/// Only short strings are kept (keys, "storage", device names): a crafted pickle that fetched a
/// long one from the memo again and again would otherwise make the walk copy it each time.
struct Known
{
  enum class Kind
  {
    Unknown,
    Text,    ///< a unicode string of at most kLongestText bytes
    Global,  ///< GLOBAL's "module\nname", of at most kLongestText bytes
    Integer, ///< BININT1, BININT2, BININT or LONG1 of at most 8 bytes
  };
  static constexpr size_t kLongestText = 64;
  Kind                    kind{ Kind::Unknown };
  std::string             text;
  int64_t                 integer{ 0 };

  static Known
  textOf(Kind kind, const char * bytes, size_t length)
  {
    return length <= kLongestText ? Known{ kind, std::string(bytes, length), 0 } : Known{};
  }
};

/// The bytes of one element of the storage type a `torch.<Type>Storage` global names, as
/// LibTorch's unpickler maps the names; 0 for any other global.
size_t
storageElementSize(const std::string & global)
{
#define REVGAN_STORAGE_GLOBAL(_, name)                                                                                 \
  if (global == "torch\n" #name "Storage")                                                                             \
    return c10::elementSize(c10::ScalarType::name);
  AT_FORALL_SCALAR_TYPES_WITH_COMPLEX_AND_QINTS(REVGAN_STORAGE_GLOBAL)
#undef REVGAN_STORAGE_GLOBAL
  return 0;
}

/// Follows just enough of the pickle machine to read the persistent id of each tensor storage as
/// LibTorch's writer lays it out — MARK, five pushes ("storage", the storage type's global, the
/// record's key, the device, the element count), TUPLE, BINPERSID — with the strings and globals
/// it memoizes (BINPUT) and repeats (BINGET). Any opcode it does not follow makes the stack values
/// it holds unknown, so a persistent id built any other way is never taken for one it has read.
/// Opcodes of Python's pickle that LibTorch 1.13's reader refuses (SHORT_BINUNICODE, MEMOIZE,
/// FRAME, …) are given Python's meaning, which is safe either way.
class PersistentIdReader
{
public:
  void
  push(Known value)
  {
    if (m_MarkOpen && ++m_PushesSinceMark <= kPersistentIdSize)
      m_SinceMark.push_back(value);
    m_Top = std::move(value);
  }
  void
  mark()
  {
    m_SinceMark.clear();
    m_PushesSinceMark = 0;
    m_MarkOpen = true;
    m_Top = {};
  }
  /// BINPUT, LONG_BINPUT, MEMOIZE: memoizes the top of the stack in slot `index`. LibTorch's
  /// writer numbers its slots 0, 1, 2, …; false for any other slot (LibTorch's reader would grow
  /// its memo to the index given: 2^32 values for a crafted LONG_BINPUT).
  bool
  put(uint64_t index)
  {
    if (index != m_Memo.size())
      return false;
    m_Memo.push_back(m_Top);
    return true;
  }
  Known
  get(uint64_t index) const
  {
    return index < m_Memo.size() ? m_Memo[index] : Known{};
  }
  size_t
  memoSize() const
  {
    return m_Memo.size();
  }
  /// TUPLE: keeps the tuple's items when all of them are followed.
  void
  tuple()
  {
    m_Tuple.clear();
    if (m_MarkOpen && m_PushesSinceMark == kPersistentIdSize)
      m_Tuple = m_SinceMark;
    other();
  }
  /// Any opcode whose effect the walk does not follow.
  void
  other()
  {
    m_MarkOpen = false;
    m_SinceMark.clear();
    m_PushesSinceMark = 0;
    m_Top = {};
  }
  /// For BINPERSID: the tuple the previous opcode built, empty if it was not a TUPLE of five
  /// followed items.
  std::vector<Known>
  takeTuple()
  {
    return std::move(m_Tuple);
  }
  void
  endOfOpcode(unsigned char opcode)
  {
    if (opcode != 't')
      m_Tuple.clear();
  }

private:
  static constexpr size_t kPersistentIdSize = 5;
  std::vector<Known>      m_SinceMark; ///< the first kPersistentIdSize values pushed since the MARK
  size_t                  m_PushesSinceMark{ 0 };
  bool                    m_MarkOpen{ false };
  Known                   m_Top;
  std::vector<Known>      m_Memo;
  std::vector<Known>      m_Tuple;
};

/// A record's key as LibTorch's writer names tensor data: a decimal number. LibTorch finds the
/// record by the key's C string, so a key with a NUL byte would name another record than the one
/// checked.
bool
isStorageKey(const std::string & key)
{
  return !key.empty() && key.size() <= 20 &&
         std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
}

uint64_t
littleEndian(const char * bytes, size_t count)
{
  uint64_t value = 0;
  std::memcpy(&value, bytes, count); // little-endian, as x86 and ARM
  return value;
}

/// LONG1's two's-complement integer, unknown when it is longer than 8 bytes.
Known
long1(const char * bytes, size_t count)
{
  if (count > 8)
    return {};
  uint64_t value = littleEndian(bytes, count);
  if (count > 0 && count < 8 && (bytes[count - 1] & 0x80) != 0)
    value |= ~uint64_t{ 0 } << (8 * count); // sign extension
  return { Known::Kind::Integer, {}, static_cast<int64_t>(value) };
}

} // namespace

std::vector<StorageClaim>
checkPickle(const std::string & pickle, const std::string & record, const std::string & path)
{
  const auto fail = [&](size_t at, const std::string & problem)
  { throw ModelFileError(path, "record '" + record + "' at byte " + std::to_string(at) + ": " + problem); };
  std::vector<StorageClaim> claims;
  PersistentIdReader        reader;
  size_t                    position = 0;
  while (position < pickle.size())
  {
    const size_t at = position;
    const auto   opcode = static_cast<unsigned char>(pickle[position++]);
    const Layout layout = layoutOf(opcode);
    const size_t remaining = pickle.size() - position;
    if (!layout.known)
      fail(at,
           "not a pickle opcode (0x" + std::string(1, "0123456789abcdef"[opcode >> 4]) +
             std::string(1, "0123456789abcdef"[opcode & 15]) + "): the record is corrupted");
    // The argument's bytes: [argument, position) once the switch has moved past them.
    size_t argument = position;
    switch (layout.argument)
    {
      case Argument::None:
        break;
      case Argument::Fixed:
        if (layout.size > remaining)
          fail(at, "the record ends inside an opcode's argument");
        position += layout.size;
        break;
      case Argument::CountedBytes:
      {
        if (layout.size > remaining)
          fail(at, "the record ends inside an opcode's length");
        const uint64_t count = littleEndian(pickle.data() + position, layout.size);
        position += layout.size;
        if (count > pickle.size() - position)
          fail(at,
               "an opcode claims " + std::to_string(count) + " bytes but " + std::to_string(pickle.size() - position) +
                 " follow: the record is corrupted or crafted");
        argument = position;
        position += static_cast<size_t>(count);
        break;
      }
      case Argument::TwoLines:
      case Argument::Line:
        for (int line = layout.argument == Argument::TwoLines ? 2 : 1; line > 0; --line)
        {
          const size_t end = pickle.find('\n', position);
          if (end == std::string::npos)
            fail(at, "the record ends inside an opcode's text argument");
          position = end + 1;
        }
        break;
    }
    const char * bytes = pickle.data() + argument;
    const size_t length = position - argument;
    switch (opcode)
    {
      case '(': // MARK
        reader.mark();
        break;
      case 'X':  // BINUNICODE
      case 0x8c: // SHORT_BINUNICODE
      case 0x8d: // BINUNICODE8
        reader.push(Known::textOf(Known::Kind::Text, bytes, length));
        break;
      case 'c': // GLOBAL: "module\nname\n"
        // From LibTorch 2.0 on, this global makes the unpickler push the next global as an index,
        // whatever its name says (a storage type named Float could then be read as another);
        // LibTorch's C++ writer never writes it.
        if (std::string(bytes, length) == "torch._tensor\n_rebuild_from_type_v2\n")
          fail(at, "the global torch._tensor._rebuild_from_type_v2, which LibTorch's C++ writer never writes");
        reader.push(Known::textOf(Known::Kind::Global, bytes, length - 1));
        break;
      case 'K': // BININT1, BININT2: unsigned
      case 'M':
        reader.push({ Known::Kind::Integer, {}, static_cast<int64_t>(littleEndian(bytes, length)) });
        break;
      case 'J': // BININT: signed
        reader.push({ Known::Kind::Integer, {}, static_cast<int32_t>(littleEndian(bytes, length)) });
        break;
      case 0x8a: // LONG1
        reader.push(long1(bytes, length));
        break;
      case 'h': // BINGET, LONG_BINGET
      case 'j':
        reader.push(reader.get(littleEndian(bytes, length)));
        break;
      case 'q': // BINPUT, LONG_BINPUT, MEMOIZE (Python's; LibTorch refuses it): the stack is unchanged
      case 'r':
      case 0x94:
      {
        const uint64_t slot = opcode == 0x94 ? reader.memoSize() : littleEndian(bytes, length);
        if (!reader.put(slot))
          fail(at,
               "memo slot " + std::to_string(slot) + " where LibTorch's writer would fill slot " +
                 std::to_string(reader.memoSize()) + ": the record is corrupted or crafted");
        break;
      }
      case 'p': // PUT, whose slot is text: Python's, never LibTorch's
        fail(at, "the memo opcode PUT, which LibTorch's writer never writes: the record is corrupted or crafted");
        break;
      case 0x80: // PROTO, FRAME: no values
      case 0x95:
        break;
      case 't': // TUPLE
        reader.tuple();
        break;
      case 'P': // PERSID, BINPERSID: LibTorch reads a record of tensor data
      case 'Q':
      {
        const std::vector<Known> id = reader.takeTuple();
        const auto               is = [&](size_t i, Known::Kind kind) { return id.size() == 5 && id[i].kind == kind; };
        const size_t             elementSize = is(1, Known::Kind::Global) ? storageElementSize(id[1].text) : 0;
        if (opcode == 'P' || !is(0, Known::Kind::Text) || id[0].text != "storage" || elementSize == 0 ||
            !is(2, Known::Kind::Text) || !isStorageKey(id[2].text) || !is(4, Known::Kind::Integer))
          fail(
            at,
            "a tensor's data is named in a way LibTorch's writer never names it: the record is corrupted or crafted");
        uint64_t bytesClaimed = 0;
        if (id[4].integer < 0 ||
            __builtin_mul_overflow(static_cast<uint64_t>(id[4].integer), elementSize, &bytesClaimed))
          fail(at,
               "a tensor's data claims " + std::to_string(id[4].integer) +
                 " elements: the record is corrupted or crafted");
        claims.push_back({ id[2].text, bytesClaimed, at });
        reader.other();
        break;
      }
      default:
        reader.other();
        break;
    }
    reader.endOfOpcode(opcode);
    if (opcode == '.')
      return claims; // STOP: what follows is not read
  }
  fail(pickle.size(), "the pickle has no STOP opcode: the record is truncated");
  return claims; // not reached: fail throws
}

} // namespace revgan
