// libFuzzer target: the model and checkpoint loaders (revgan::loadModel, Trainer::resume) on
// arbitrary bytes. Any crash, sanitizer report or leak is a finding; ModelFileError and other
// exceptions are the expected answer to bad input.
#include "revgan/ModelFile.h"
#include "revgan/Trainer.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
  static const std::string path =
    (std::filesystem::temp_directory_path() / ("revgan-fuzz-model-" + std::to_string(::getpid()) + ".pt")).string();
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char *>(data), size);
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
  return 0;
}
