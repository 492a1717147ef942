#include "ApplicationMain.h"

#include "revgan/HeapConfiguration.h"

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
    std::string message = error.what();
    // ITK's messages read "file:line:\nITK ERROR: [Class(0x...): ]text"; keep the text.
    const std::string itkTag = "ITK ERROR: ";
    if (const size_t at = message.find(itkTag); at != std::string::npos)
    {
      message = message.substr(at + itkTag.size());
      const size_t object = message.find("(0x");
      const size_t close = message.find("): ");
      if (object != std::string::npos && close != std::string::npos && object < close && message.find(' ') > object)
        message = message.substr(close + 3);
    }
    for (auto & c : message)
      c = c == '\n' ? ' ' : c;
    std::cerr << executable << ": error: " << message << std::endl;
    return 1;
  }
}

} // namespace revgan
