// SPDX-License-Identifier: Apache-2.0
// The checks of model archives before LibTorch parses them.
#include "ModelArchiveCheck.h"
#include "revgan/ModelFile.h"

#include <functional>
#include <gtest/gtest.h>
#include <map>
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

/// Expects `check` to throw a ModelFileError whose message contains `problem`.
void
expectModelFileError(const std::function<void()> & check, const std::string & problem)
{
  try
  {
    check();
    ADD_FAILURE() << "accepted; expected: " << problem;
  }
  catch (const ModelFileError & error)
  {
    EXPECT_NE(std::string(error.what()).find(problem), std::string::npos) << error.what();
  }
}

void
expectRefused(const std::string & pickle, const std::string & problem)
{
  expectModelFileError([&] { checkPickle(pickle, "archive/data.pkl", "m.pt"); }, problem);
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
  // Two float storages as LibTorch's writer lays them out, inside the MARK of the tensor they
  // belong to: MARK, "storage", the storage type, the key, the device, the element count, TUPLE,
  // BINPERSID; the second repeats the memoized strings and global with BINGET.
  const std::string first = "(" + unicode("storage") + byte('q', 0) + global("torch", "FloatStorage") + byte('q', 1) +
                            unicode("0") + byte('q', 2) + unicode("cpu") + byte('q', 3) + byte('K', 98) + "tQ";
  const std::string second =
    "(" + byte('h', 0) + byte('h', 1) + unicode("1") + byte('q', 4) + byte('h', 3) + "M\x00\x01"s + "tQ";
  const auto claims = checkPickle(protocol + "(" + first + second + "\x86.", "archive/data.pkl", "m.pt");
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].key, "0");
  EXPECT_EQ(claims[0].bytes, 98u * 4);
  EXPECT_EQ(claims[0].at, protocol.size() + first.size());
  EXPECT_EQ(claims[1].key, "1");
  EXPECT_EQ(claims[1].bytes, 256u * 4);
  // A double storage of 2^32 elements, its count a LONG1.
  const auto doubles = checkPickle(protocol + "(" + unicode("storage") + global("torch", "DoubleStorage") +
                                     unicode("7") + unicode("cpu") + "\x8a\x05\x00\x00\x00\x00\x01tQ."s,
                                   "archive/data.pkl",
                                   "m.pt");
  ASSERT_EQ(doubles.size(), 1u);
  EXPECT_EQ(doubles[0].bytes, (uint64_t{ 1 } << 32) * 8);
  // Past memo slot 255 the writer uses LONG_BINPUT and LONG_BINGET; a count of 70000, a BININT.
  std::string manySlots = protocol;
  for (int slot = 0; slot < 256; ++slot)
    manySlots += "N" + byte('q', static_cast<unsigned char>(slot));
  const auto long_ = checkPickle(manySlots + "(" + unicode("storage") + "r\x00\x01\x00\x00"s +
                                   global("torch", "LongStorage") + "r\x01\x01\x00\x00"s + unicode("12") +
                                   unicode("cpu") + "J\x70\x11\x01\x00tQ(j\x00\x01\x00\x00j\x01\x01\x00\x00"s +
                                   unicode("13") + unicode("cpu") + byte('K', 1) + "tQ.",
                                 "archive/data.pkl",
                                 "m.pt");
  ASSERT_EQ(long_.size(), 2u);
  EXPECT_EQ(long_[0].key, "12");
  EXPECT_EQ(long_[0].bytes, 70000u * 8);
  EXPECT_EQ(long_[1].key, "13");
  EXPECT_EQ(long_[1].bytes, 8u);

  const std::string refusal = "a tensor's data is named in a way LibTorch's writer never names it";
  // The whole persistent id fetched from the memo: its key and count cannot be read.
  expectRefused(protocol + first + byte('q', 4) + byte('h', 4) + "Q.", refusal);
  // The tuple memoized before its BINPERSID (so that a second one could fetch it): refused at the first.
  expectRefused(protocol + first.substr(0, first.size() - 1) + byte('q', 4) + "Q" + byte('h', 4) + "Q.",
                "at byte " + std::to_string(protocol.size() + first.size() + 1) + ": " + refusal);
  // The storage type as a number (LibTorch's unpickler would take it), not as its global.
  expectRefused(
    protocol + first + "(" + byte('h', 0) + byte('K', 6) + unicode("1") + byte('h', 3) + byte('K', 1) + "tQ.", refusal);
  const std::string head = protocol + "(" + unicode("storage");
  const std::string floats = global("torch", "FloatStorage");
  // A sixth item; an unknown storage type; a negative count; the text form PERSID.
  expectRefused(head + floats + unicode("0") + unicode("cpu") + byte('K', 1) + "NtQ.", refusal);
  expectRefused(head + global("torch", "NoSuchStorage") + unicode("0") + unicode("cpu") + byte('K', 1) + "tQ.",
                refusal);
  expectRefused(head + floats + unicode("0") + unicode("cpu") + "J\xff\xff\xff\xfftQ.",
                "a tensor's data claims -1 elements");
  expectRefused(protocol + "Pstorage\n.", refusal);
  // Keys that are not the writer's numbers: LibTorch looks a key up by its C string, so "0\0x"
  // would read record data/0 while the check looked at data/0<NUL>x.
  expectRefused(head + floats + unicode("0\0x"s) + unicode("cpu") + byte('K', 1) + "tQ.", refusal);
  expectRefused(head + floats + unicode("") + unicode("cpu") + byte('K', 1) + "tQ.", refusal);
  // A key longer than the walk keeps is unknown, so refused.
  expectRefused(head + floats + unicode(std::string(65, '1')) + unicode("cpu") + byte('K', 1) + "tQ.", refusal);
}

TEST(ModelArchiveCheck, MemoSlotsMustBeFilledInTheWritersOrder)
{
  using namespace std::string_literals;
  // LibTorch's reader grows its memo to the slot a BINPUT names: one LONG_BINPUT of 2^32 - 1 would
  // make it allocate 2^32 values.
  expectRefused("\x80\x02Nr\xff\xff\xff\xff."s,
                "at byte 3: memo slot 4294967295 where LibTorch's writer would fill slot 0");
  expectRefused("\x80\x02Nq\x00Nq\x02."s, "at byte 6: memo slot 2 where LibTorch's writer would fill slot 1");
  expectRefused("\x80\x02Np0\n."s, "the memo opcode PUT, which LibTorch's writer never writes");
  EXPECT_NO_THROW(checkPickle("\x80\x02Nq\x00\x94Nr\x02\x00\x00\x00."s, "archive/data.pkl", "m.pt"));
  // From LibTorch 2.0 on, this global changes what the next global means.
  expectRefused("\x80\x02"s + global("torch._tensor", "_rebuild_from_type_v2") + ".",
                "the global torch._tensor._rebuild_from_type_v2, which LibTorch's C++ writer never writes");
}

TEST(ModelArchiveCheck, TensorDataMustFitTheRecordItNames)
{
  const std::map<std::string, uint32_t> sizes = { { "archive/data.pkl", 100 },
                                                  { "archive/data/0", 392 },
                                                  { "archive/data/1", 8 } };
  // A claim of exactly the record's size, an empty tensor with no record (LibTorch reads none),
  // and a record found regardless of case, as LibTorch finds it.
  EXPECT_NO_THROW(
    checkStorageClaims("archive/data.pkl", { { "0", 392, 10 }, { "5", 0, 20 }, { "1", 8, 30 } }, sizes, "m.pt"));
  EXPECT_NO_THROW(checkStorageClaims("ARCHIVE/Data.PKL", { { "1", 8, 30 } }, sizes, "m.pt"));
  const auto expectRefusedClaims = [&](const std::vector<StorageClaim> & claims, const std::string & problem)
  { expectModelFileError([&] { checkStorageClaims("archive/data.pkl", claims, sizes, "m.pt"); }, problem); };
  expectRefusedClaims({ { "0", 396, 10 } },
                      "record 'archive/data.pkl' at byte 10 claims 396 bytes of tensor data in 'archive/data/0', which "
                      "holds 392: the file is corrupted or crafted");
  expectRefusedClaims({ { "2", 4, 40 } },
                      "record 'archive/data.pkl' at byte 40 names tensor data 'archive/data/2' that the archive does "
                      "not hold");
}

} // namespace
} // namespace revgan
