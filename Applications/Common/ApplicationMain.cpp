// SPDX-License-Identifier: Apache-2.0
#include "ApplicationMain.h"

#include "revgan/HeapConfiguration.h"
#include "revgan/LibraryMessages.h"

#include <exception>
#include <iostream>

namespace revgan
{

int
runApplication(const std::string & executable, const std::function<int()> & body)
{
  keepFreedMemoryForReuse();
  try
  {
    return body();
  }
  catch (const std::exception & error)
  {
    // Whatever escapes as a library's words (ITK's source path, class and address, teem's chain)
    // reaches the user as its plain text on one line.
    const std::string message = plainLibraryMessage(error.what());
    std::cerr << executable << ": error: " << message << std::endl;
    return 1;
  }
}

} // namespace revgan
