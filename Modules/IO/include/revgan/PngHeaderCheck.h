// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace revgan
{

/// Refuses a file that starts like a PNG but whose header libpng cannot read, before ITK reads
/// it. ITK picks its PNG reader by the file's first bytes, and that reader calls libpng without
/// an error handler while reading the header: a damaged header then ends the whole program
/// (abort in png_error; found by Testing/Fuzz). Here libpng reports to a handler, and the file
/// is refused with its message. Throws std::runtime_error naming the file.
void
checkPngHeader(const std::string & path);

} // namespace revgan
