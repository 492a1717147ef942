// SPDX-License-Identifier: Apache-2.0
#include "revgan/LocalJob.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>
#include <thread>

extern char ** environ;

namespace revgan
{

int
freeLoopbackPort()
{
  const int handle = ::socket(AF_INET, SOCK_STREAM, 0);
  if (handle < 0)
    throw std::runtime_error(std::string("cannot open a socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t  length = sizeof(address);
  const bool found = ::bind(handle, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0 &&
                     ::getsockname(handle, reinterpret_cast<sockaddr *>(&address), &length) == 0;
  ::close(handle);
  if (!found)
    throw std::runtime_error(std::string("no free port on the loopback interface: ") + std::strerror(errno));
  return ntohs(address.sin_port);
}

std::string
runningProgramPath()
{
  char          path[4096];
  const ssize_t length = ::readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (length <= 0)
    throw std::runtime_error("cannot find the running program (/proc/self/exe)");
  return std::string(path, static_cast<size_t>(length));
}

LocalJob::LocalJob(const std::string &              program,
                   const std::vector<std::string> & arguments,
                   int                              worldSize,
                   int                              port,
                   const std::vector<std::string> & environment)
{
  for (int rank = 0; rank < worldSize; ++rank)
  {
    // This process's environment, the job's variables, then `environment`: later entries win.
    std::map<std::string, std::string> merged;
    auto                               add = [&](const std::string & entry)
    {
      const size_t equals = entry.find('=');
      if (equals != std::string::npos)
        merged[entry.substr(0, equals)] = entry.substr(equals + 1);
    };
    for (char ** variable = environ; *variable != nullptr; ++variable)
      add(*variable);
    for (const auto & [name, value] : { std::make_pair("RANK", rank),
                                        std::make_pair("WORLD_SIZE", worldSize),
                                        std::make_pair("LOCAL_RANK", rank),
                                        std::make_pair("LOCAL_WORLD_SIZE", worldSize),
                                        std::make_pair("MASTER_PORT", port) })
      add(std::string(name) + "=" + std::to_string(value));
    add("MASTER_ADDR=127.0.0.1");
    for (const auto & entry : environment)
      add(entry);
    std::vector<std::string> variables;
    for (const auto & [name, value] : merged)
      variables.push_back(name + "=" + value);
    std::vector<std::string> words{ program };
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char *> argv, envp;
    for (auto & word : words)
      argv.push_back(word.data());
    argv.push_back(nullptr);
    for (auto & variable : variables)
      envp.push_back(variable.data());
    envp.push_back(nullptr);
    pid_t     pid = -1;
    const int error = ::posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), envp.data());
    if (error != 0)
    {
      for (const pid_t started : processes_)
        ::kill(started, SIGKILL);
      wait(std::chrono::seconds(10));
      throw std::runtime_error("cannot start '" + program + "': " + std::strerror(error));
    }
    processes_.push_back(pid);
  }
}

LocalJob::~LocalJob()
{
  for (const pid_t pid : processes_)
  {
    if (pid > 0 && ::kill(pid, SIGKILL) == 0)
      ::waitpid(pid, nullptr, 0);
  }
}

std::vector<int>
LocalJob::wait(std::chrono::seconds limit)
{
  const auto       deadline = std::chrono::steady_clock::now() + limit;
  std::vector<int> codes(processes_.size(), -1);
  for (size_t rank = 0; rank < processes_.size(); ++rank)
  {
    pid_t & pid = processes_[rank];
    while (pid > 0)
    {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid)
      {
        codes[rank] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        pid = -1;
      }
      else if (std::chrono::steady_clock::now() > deadline)
      {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        pid = -1;
      }
      else
      {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  }
  return codes;
}

} // namespace revgan
