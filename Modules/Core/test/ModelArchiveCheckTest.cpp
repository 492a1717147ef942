// The checks of model archives before LibTorch parses them.
#include "ModelArchiveCheck.h"
#include "revgan/ModelFile.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace revgan
{
namespace
{

TEST(ModelArchiveCheck, PickleOpcodesMustFitTheirRecord)
{
  using namespace std::string_literals;
  // PROTO 2, BINUNICODE "abc", BINPUT 0, STOP.
  EXPECT_NO_THROW(checkPickleLengths("\x80\x02X\x03\x00\x00\x00"
                                     "abc"
                                     "q\x00."s,
                                     "archive/data.pkl",
                                     "m.pt"));
  const auto expectRefused = [](const std::string & pickle, const std::string & problem)
  {
    try
    {
      checkPickleLengths(pickle, "archive/data.pkl", "m.pt");
      ADD_FAILURE() << "accepted; expected: " << problem;
    }
    catch (const ModelFileError & error)
    {
      EXPECT_NE(std::string(error.what()).find(problem), std::string::npos) << error.what();
    }
  };
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

} // namespace
} // namespace revgan
