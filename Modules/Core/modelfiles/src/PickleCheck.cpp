#include "ModelArchiveCheck.h"
#include "revgan/ModelFile.h"

#include <cstdint>
#include <cstring>

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

} // namespace

void
checkPickleLengths(const std::string & pickle, const std::string & record, const std::string & path)
{
  const auto fail = [&](size_t at, const std::string & problem)
  { throw ModelFileError(path, "record '" + record + "' at byte " + std::to_string(at) + ": " + problem); };
  size_t position = 0;
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
        uint64_t count = 0;
        std::memcpy(&count, pickle.data() + position, layout.size); // little-endian, as x86 and ARM
        position += layout.size;
        if (count > pickle.size() - position)
          fail(at,
               "an opcode claims " + std::to_string(count) + " bytes but " + std::to_string(pickle.size() - position) +
                 " follow: the record is corrupted or crafted");
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
    if (opcode == '.')
      return; // STOP: what follows is not read
  }
  fail(pickle.size(), "the pickle has no STOP opcode: the record is truncated");
}

} // namespace revgan
