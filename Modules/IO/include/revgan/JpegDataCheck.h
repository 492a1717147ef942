// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace revgan
{

/// Refuses a file that starts like a JPEG but that libjpeg cannot decode, before ITK reads it.
/// ITK picks its JPEG reader by the file's first bytes, and that reader's error handling fails on
/// a damaged table: the program jumps to a null address (SEGV; found by Testing/Fuzz in a JPEG
/// whose quantization table was damaged). Here libjpeg reports to a handler of the toolkit while
/// the whole image is decoded (headers, tables and scans), and the file is refused with libjpeg's
/// message. libjpeg's warnings (such as "premature end of data", after which it fills the rest
/// with grey) refuse the file too: the image would not be the one stored. Throws
/// std::runtime_error naming the file.
void
checkJpegData(const std::string & path);

} // namespace revgan
