// SPDX-License-Identifier: Apache-2.0
#include "revgan/JpegDataCheck.h"

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <jpeglib.h> // after <cstdio>: it uses FILE without including it

namespace revgan
{

namespace
{

/// libjpeg's error manager with a way back: its default error_exit ends the program.
struct JpegErrorManager
{
  jpeg_error_mgr pub{};
  std::jmp_buf   back{};
  char           message[JMSG_LENGTH_MAX] = "";
};

void
jumpBack(j_common_ptr decoder)
{
  auto * errors = reinterpret_cast<JpegErrorManager *>(decoder->err);
  (*decoder->err->format_message)(decoder, errors->message);
  std::longjmp(errors->back, 1);
}

/// Warnings of level -1 (corrupt data libjpeg works around) are errors here.
void
warningIsError(j_common_ptr decoder, int level)
{
  if (level < 0)
    jumpBack(decoder);
}

} // namespace

void
checkJpegData(const std::string & path)
{
  std::FILE * file = std::fopen(path.c_str(), "rb");
  if (file == nullptr)
    return; // the caller reports the unreadable file
  unsigned char signature[3] = {};
  const bool    isJpeg =
    std::fread(signature, 1, 3, file) == 3 && signature[0] == 0xFF && signature[1] == 0xD8 && signature[2] == 0xFF;
  if (!isJpeg)
  {
    std::fclose(file);
    return;
  }
  std::rewind(file);
  jpeg_decompress_struct decoder{};
  JpegErrorManager       errors;
  decoder.err = jpeg_std_error(&errors.pub);
  errors.pub.error_exit = jumpBack;
  errors.pub.emit_message = warningIsError;
  // Everything the jump may skip lives outside this block, so nothing needs unwinding (setjmp).
  std::vector<JSAMPLE> row;
  volatile bool        decoded = false;
  if (setjmp(errors.back) == 0)
  {
    jpeg_create_decompress(&decoder);
    jpeg_stdio_src(&decoder, file);
    jpeg_read_header(&decoder, TRUE);
    jpeg_start_decompress(&decoder);
    row.resize(static_cast<size_t>(decoder.output_width) * static_cast<size_t>(decoder.output_components));
    JSAMPROW rows[1] = { row.data() };
    while (decoder.output_scanline < decoder.output_height)
      jpeg_read_scanlines(&decoder, rows, 1);
    jpeg_finish_decompress(&decoder);
    decoded = true;
  }
  jpeg_destroy_decompress(&decoder);
  std::fclose(file);
  if (!decoded)
    throw std::runtime_error("'" + path + "': a damaged JPEG file (" + std::string(errors.message) + ")");
}

} // namespace revgan
