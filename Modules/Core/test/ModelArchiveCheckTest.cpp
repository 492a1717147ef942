// The checks of model archives before LibTorch parses them.
#include "ModelArchiveCheck.h"
#include "revgan/ModelFile.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace revgan
{
namespace
{

/// Pickle opcodes as LibTorch's writer emits them.
std::string
unicode(const std::string & text) // BINUNICODE
{
  const auto size = static_cast<uint32_t>(text.size());
  return "X" + std::string(reinterpret_cast<const char *>(&size), 4) + text;
}
std::string
global(const std::string & module, const std::string & name) // GLOBAL
{
  return "c" + module + "\n" + name + "\n";
}
std::string
byte(const char opcode, unsigned char argument) // BINPUT, BINGET, BININT1
{
  return std::string(1, opcode) + std::string(1, static_cast<char>(argument));
}

void
expectRefused(const std::string & pickle, const std::string & problem)
{
  try
  {
    checkPickle(pickle, "archive/data.pkl", "m.pt");
    ADD_FAILURE() << "accepted; expected: " << problem;
  }
  catch (const ModelFileError & error)
  {
    EXPECT_NE(std::string(error.what()).find(problem), std::string::npos) << error.what();
  }
}

TEST(ModelArchiveCheck, PickleOpcodesMustFitTheirRecord)
{
  using namespace std::string_literals;
  // PROTO 2, BINUNICODE "abc", BINPUT 0, STOP.
  EXPECT_NO_THROW(checkPickle("\x80\x02X\x03\x00\x00\x00"
                              "abc"
                              "q\x00."s,
                              "archive/data.pkl",
                              "m.pt"));
  // BINBYTES8 claiming 4 GiB, followed by one byte: LibTorch would allocate the 4 GiB first.
  expectRefused("\x80\x02\x8e\x00\x00\x00\x00\x01\x00\x00\x00."s,
                "record 'archive/data.pkl' at byte 2: an opcode claims 4294967296 bytes but 1 follow");
  expectRefused("\x80\x02\xff."s, "at byte 2: not a pickle opcode (0xff)");
  expectRefused("\x80\x02X\x03\x00\x00\x00"
                "abc"s,
                "no STOP opcode");
  expectRefused("\x80\x02"
                "cbuiltins\nstr"s,
                "ends inside an opcode's text argument");
  expectRefused("\x80\x02J\x01\x00"s, "ends inside an opcode's argument");
}

TEST(ModelArchiveCheck, PersistentIdsAreReadAsLibTorchWritesThem)
{
  using namespace std::string_literals;
  const std::string protocol = "\x80\x02"s;
  // Two float storages as LibTorch's writer lays them out: MARK, "storage", the storage type, the
  // key, the device, the element count, TUPLE, BINPERSID; the second repeats the memoized strings
  // and global with BINGET.
  const std::string first = "(" + unicode("storage") + byte('q', 1) + global("torch", "FloatStorage") + byte('q', 2) +
                            unicode("0") + byte('q', 3) + unicode("cpu") + byte('q', 4) + byte('K', 98) + "tQ";
  const std::string second =
    "(" + byte('h', 1) + byte('h', 2) + unicode("1") + byte('q', 5) + byte('h', 4) + "M\x00\x01"s + "tQ";
  const auto claims = checkPickle(protocol + first + second + "\x86.", "archive/data.pkl", "m.pt");
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].key, "0");
  EXPECT_EQ(claims[0].bytes, 98u * 4);
  EXPECT_EQ(claims[0].at, protocol.size() + first.size() - 1);
  EXPECT_EQ(claims[1].key, "1");
  EXPECT_EQ(claims[1].bytes, 256u * 4);
  // A double storage of 2^32 elements, its count a LONG1.
  const auto doubles = checkPickle(protocol + "(" + unicode("storage") + global("torch", "DoubleStorage") +
                                     unicode("7") + unicode("cpu") + "\x8a\x05\x00\x00\x00\x00\x01tQ."s,
                                   "archive/data.pkl",
                                   "m.pt");
  ASSERT_EQ(doubles.size(), 1u);
  EXPECT_EQ(doubles[0].bytes, (uint64_t{ 1 } << 32) * 8);

  const std::string refusal = "a tensor's data is named in a way LibTorch's writer never names it";
  // The whole persistent id fetched from the memo: its key and count cannot be read.
  expectRefused(protocol + first + byte('q', 6) + byte('h', 6) + "Q.", refusal);
  // The tuple memoized before its BINPERSID (so that a second one could fetch it): refused at the first.
  expectRefused(protocol + first.substr(0, first.size() - 1) + byte('q', 6) + "Q" + byte('h', 6) + "Q.",
                "at byte " + std::to_string(protocol.size() + first.size() + 1) + ": " + refusal);
  // The storage type as a number (LibTorch's unpickler would take it), not as its global.
  expectRefused(
    protocol + first + "(" + byte('h', 1) + byte('K', 6) + unicode("1") + byte('h', 4) + byte('K', 1) + "tQ.", refusal);
  // A memo slot after MEMOIZE is no longer known.
  expectRefused(protocol + first + "\x94(" + byte('h', 1) + byte('h', 2) + unicode("1") + byte('h', 4) + byte('K', 1) +
                  "tQ.",
                refusal);
  const std::string head = protocol + "(" + unicode("storage");
  // A sixth item; an unknown storage type; a negative count; the text form PERSID.
  expectRefused(head + global("torch", "FloatStorage") + unicode("0") + unicode("cpu") + byte('K', 1) + "NtQ.",
                refusal);
  expectRefused(head + global("torch", "NoSuchStorage") + unicode("0") + unicode("cpu") + byte('K', 1) + "tQ.",
                refusal);
  expectRefused(head + global("torch", "FloatStorage") + unicode("0") + unicode("cpu") + "J\xff\xff\xff\xfftQ.",
                "a tensor's data claims -1 elements");
  expectRefused(protocol + "Pstorage\n.", refusal);
}

} // namespace
} // namespace revgan
