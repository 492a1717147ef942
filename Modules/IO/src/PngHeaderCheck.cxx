// SPDX-License-Identifier: Apache-2.0
#include "revgan/PngHeaderCheck.h"

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <png.h>
#include <stdexcept>
#include <string>

namespace revgan
{

void
checkPngHeader(const std::string & path)
{
  std::FILE * file = std::fopen(path.c_str(), "rb");
  if (file == nullptr)
    return; // ITK reports the unreadable file
  png_byte   signature[8] = {};
  const bool isPng = std::fread(signature, 1, sizeof(signature), file) == sizeof(signature) &&
                     png_sig_cmp(signature, 0, sizeof(signature)) == 0;
  if (!isPng)
  {
    std::fclose(file);
    return;
  }
  struct ErrorMessage
  {
    char text[256] = "";
  } message;
  png_structp reader = png_create_read_struct(
    PNG_LIBPNG_VER_STRING,
    &message,
    [](png_structp png, png_const_charp text)
    {
      auto * target = static_cast<ErrorMessage *>(png_get_error_ptr(png));
      std::strncpy(target->text, text, sizeof(target->text) - 1);
      png_longjmp(png, 1);
    },
    [](png_structp, png_const_charp) {}); // warnings: ITK decides
  png_infop info = reader != nullptr ? png_create_info_struct(reader) : nullptr;
  bool      readable = false;
  if (info != nullptr && setjmp(png_jmpbuf(reader)) == 0)
  {
    png_init_io(reader, file);
    png_set_sig_bytes(reader, sizeof(signature));
    png_read_info(reader, info);
    readable = true;
  }
  png_destroy_read_struct(&reader, info != nullptr ? &info : nullptr, nullptr);
  std::fclose(file);
  if (!readable)
    throw std::runtime_error("'" + path + "': a damaged PNG file (" + std::string(message.text) + ")");
}
} // namespace revgan
