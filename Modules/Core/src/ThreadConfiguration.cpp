#include "revgan/ThreadConfiguration.h"

#include <ATen/Parallel.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

namespace revgan
{

namespace
{

int
threadsFromEnvironment()
{
  const char * value = std::getenv("REVGAN_NUM_THREADS");
  if (value == nullptr || *value == '\0')
  {
    return 0;
  }
  char *     end = nullptr;
  const long count = std::strtol(value, &end, 10);
  if (*end != '\0' || count < 1 || count > 4096)
  {
    throw std::invalid_argument(std::string("REVGAN_NUM_THREADS must be a positive integer, got '") + value + "'");
  }
  return static_cast<int>(count);
}

} // namespace

int
configureThreads(int requested)
{
  int count = requested > 0 ? requested : threadsFromEnvironment();
  if (count <= 0)
  {
    count = static_cast<int>(std::thread::hardware_concurrency());
  }
  if (count <= 0)
  {
    count = 1;
  }
  at::set_num_threads(count);
  return count;
}

} // namespace revgan
