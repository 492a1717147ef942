// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the model and checkpoint loaders (revgan::loadModel, Trainer::resume) on
// arbitrary bytes. Any crash, sanitizer report or leak is a finding; ModelFileError and other
// exceptions are the expected answer to bad input.
//
// Each input is loaded twice: as it is, and with the CRC-32 of its zip records recomputed. Almost
// every mutation breaks a CRC, which the archive check refuses first; the repaired copy is what a
// deliberately crafted file looks like, and reaches LibTorch's parser and our readers behind it.
#include "FuzzInputFile.h"

#include "revgan/ModelFile.h"
#include "revgan/Trainer.h"

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace
{

uint32_t
readU32(const std::string & bytes, size_t offset)
{
  uint32_t value = 0;
  std::memcpy(&value, bytes.data() + offset, 4); // little-endian host, as the zip format
  return value;
}

uint16_t
readU16(const std::string & bytes, size_t offset)
{
  uint16_t value = 0;
  std::memcpy(&value, bytes.data() + offset, 2);
  return value;
}

/// Recomputes the CRC-32 of every stored record whose headers and data lie inside `bytes`.
void
repairChecksums(std::string & bytes)
{
  if (bytes.size() < 22)
    return;
  size_t end = bytes.size() - 22;
  while (readU32(bytes, end) != 0x06054b50)
  {
    if (end == 0 || bytes.size() - end > 22 + 0xFFFF)
      return;
    --end;
  }
  size_t         position = readU32(bytes, end + 16);
  const uint16_t entries = readU16(bytes, end + 10);
  for (uint16_t i = 0; i < entries && position + 46 <= bytes.size(); ++i)
  {
    if (readU32(bytes, position) != 0x02014b50)
      return;
    const uint32_t size = readU32(bytes, position + 24);
    const size_t   local = readU32(bytes, position + 42);
    if (readU16(bytes, position + 10) == 0 && local + 30 <= bytes.size())
    {
      const size_t data = local + 30 + readU16(bytes, local + 26) + readU16(bytes, local + 28);
      if (data <= bytes.size() && size <= bytes.size() - data)
      {
        const uint32_t crc = static_cast<uint32_t>(
          ::crc32(::crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef *>(bytes.data() + data), size));
        std::memcpy(bytes.data() + position + 16, &crc, 4);
        std::memcpy(bytes.data() + local + 14, &crc, 4);
      }
    }
    position += 46 + readU16(bytes, position + 28) + readU16(bytes, position + 30) + readU16(bytes, position + 32);
  }
}

void
load(const std::string & path)
{
  try
  {
    revgan::loadModel(path);
  }
  catch (const std::exception &)
  {
  }
  try
  {
    revgan::Trainer::resume(path);
  }
  catch (const std::exception &)
  {
  }
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
  static const revgan::test::FuzzInputFile input(".pt");
  std::string                              bytes(reinterpret_cast<const char *>(data), size);
  load(input.write(bytes.data(), bytes.size()));
  repairChecksums(bytes);
  load(input.write(bytes.data(), bytes.size()));
  return 0;
}
