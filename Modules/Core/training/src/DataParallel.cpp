// SPDX-License-Identifier: Apache-2.0
#include "revgan/DataParallel.h"

#include "revgan/StderrCapture.h"

#include <torch/torch.h>

#ifdef REVGAN_WITH_C10D
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef REVGAN_WITH_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <utility>

namespace revgan
{

namespace
{

/// The value of environment variable `name` as an integer, or `fallback` when it is not set.
int
integerFromEnvironment(const char * name, int fallback)
{
  const char * text = std::getenv(name);
  if (text == nullptr || *text == '\0')
    return fallback;
  char *     end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value < -1'000'000 || value > 1'000'000)
    throw std::invalid_argument(std::string("environment variable ") + name + " is not an integer: '" + text + "'");
  return static_cast<int>(value);
}

/// The first line of an exception's message: c10 errors append C++ stack traces.
std::string
firstLine(const std::exception & error)
{
  const auto * c10Error = dynamic_cast<const c10::Error *>(&error);
  std::string  message = c10Error != nullptr ? c10Error->what_without_backtrace() : error.what();
  return message.substr(0, message.find('\n'));
}

} // namespace

DataParallelOptions
DataParallelOptions::fromEnvironment()
{
  DataParallelOptions options;
  const bool          slurm = std::getenv("RANK") == nullptr && std::getenv("SLURM_PROCID") != nullptr;
  options.rank = integerFromEnvironment(slurm ? "SLURM_PROCID" : "RANK", 0);
  options.worldSize = integerFromEnvironment(slurm ? "SLURM_NTASKS" : "WORLD_SIZE", 1);
  options.localRank = integerFromEnvironment(slurm ? "SLURM_LOCALID" : "LOCAL_RANK", 0);
  options.processesOnMachine = integerFromEnvironment("LOCAL_WORLD_SIZE", 1);
  if (const char * address = std::getenv("MASTER_ADDR"); address != nullptr && *address != '\0')
    options.masterAddress = address;
  options.masterPort = integerFromEnvironment("MASTER_PORT", options.masterPort);
  return options;
}

void
DataParallelOptions::validate() const
{
  const std::string where = " (rank " + std::to_string(rank) + ", world size " + std::to_string(worldSize) + ")";
  if (worldSize < 1)
    throw std::invalid_argument("the world size must be at least 1" + where);
  if (rank < 0 || rank >= worldSize)
    throw std::invalid_argument("the rank must lie in [0, world size)" + where);
  if (localRank < 0)
    throw std::invalid_argument("the local rank must not be negative" + where);
  if (processesOnMachine < 1)
    throw std::invalid_argument("the processes on a machine (LOCAL_WORLD_SIZE) must be at least 1" + where);
  if (masterPort < 1 || masterPort > 65535)
    throw std::invalid_argument("the master port must lie in [1, 65535], got " + std::to_string(masterPort));
  if (timeout.count() < 1)
    throw std::invalid_argument("the distributed timeout must be at least 1 second");
  if (backend != "auto" && backend != "gloo" && backend != "nccl")
    throw std::invalid_argument("unknown distributed backend '" + backend + "' (expected auto, gloo or nccl)");
  if (worldSize > 1 && masterAddress.empty())
    throw std::invalid_argument("the master address (MASTER_ADDR) must not be empty" + where);
}

bool
dataParallelAvailable()
{
#ifdef REVGAN_WITH_C10D
  return true;
#else
  return false;
#endif
}

/// The collectives the group needs, over whichever c10d backend it joined. One process alone
/// needs none: every operation is then the identity.
struct DataParallelGroup::Implementation
{
  virtual ~Implementation() = default;
  virtual void
  allReduceSum(std::vector<torch::Tensor> & buckets) = 0;
  virtual void
  broadcast(std::vector<torch::Tensor> & tensors) = 0;
  virtual void
  allGather(std::vector<torch::Tensor> & outputs, torch::Tensor & input) = 0;
  virtual std::string
  name() const = 0;

  int    rank{ 0 };
  int    worldSize{ 1 };
  double seconds{ 0.0 };
};

namespace
{

struct SingleProcess : DataParallelGroup::Implementation
{
  void
  allReduceSum(std::vector<torch::Tensor> &) override
  {
  }
  void
  broadcast(std::vector<torch::Tensor> &) override
  {
  }
  void
  allGather(std::vector<torch::Tensor> & outputs, torch::Tensor & input) override
  {
    outputs.front().copy_(input);
  }
  std::string
  name() const override
  {
    return "none";
  }
};

#ifdef REVGAN_WITH_C10D
/// ProcessGroupGloo and ProcessGroupNCCL offer the same calls (on c10d::ProcessGroup in LibTorch
/// 1.13, on c10d::Backend in 2.x), so one template serves both.
template<typename Backend>
struct C10dProcesses : DataParallelGroup::Implementation
{
  C10dProcesses(c10::intrusive_ptr<Backend> backend, std::string backendName)
    : processes(std::move(backend))
    , label(std::move(backendName))
  {
  }

  void
  allReduceSum(std::vector<torch::Tensor> & buckets) override
  {
    // All buckets in flight at once; each is its own message.
    std::vector<c10::intrusive_ptr<c10d::Work>> pending;
    for (auto & bucket : buckets)
    {
      std::vector<torch::Tensor> one{ bucket };
      pending.push_back(processes->allreduce(one));
    }
    for (auto & work : pending)
      work->wait();
  }
  void
  broadcast(std::vector<torch::Tensor> & tensors) override
  {
    for (auto & tensor : tensors)
    {
      std::vector<torch::Tensor> one{ tensor };
      processes->broadcast(one)->wait();
    }
  }
  void
  allGather(std::vector<torch::Tensor> & outputs, torch::Tensor & input) override
  {
    std::vector<std::vector<torch::Tensor>> gathered{ outputs };
    std::vector<torch::Tensor>              inputs{ input };
    processes->allgather(gathered, inputs)->wait();
  }
  std::string
  name() const override
  {
    return label;
  }

  c10::intrusive_ptr<Backend> processes;
  std::string                 label;
};

std::unique_ptr<DataParallelGroup::Implementation>
joinC10d(const DataParallelOptions & options, const c10::Device & device)
{
  std::string backend = options.backend;
  if (backend == "auto")
    backend = device.is_cuda() ? "nccl" : "gloo";
  // torchrun's agent already serves a store at MASTER_ADDR:MASTER_PORT and says so to its workers
  // (TORCHELASTIC_USE_AGENT_STORE=True): they join it as clients, under the prefix PyTorch's own
  // workers use (torch.distributed.rendezvous), instead of rank 0 failing to listen on a port in use.
  const char *          agentStore = std::getenv("TORCHELASTIC_USE_AGENT_STORE");
  const bool            useAgentStore = agentStore != nullptr && std::string(agentStore) == "True";
  c10d::TCPStoreOptions storeOptions;
  storeOptions.port = static_cast<std::uint16_t>(options.masterPort);
  storeOptions.isServer = options.rank == 0 && !useAgentStore;
  storeOptions.numWorkers = options.worldSize;
  // The store's own wait for the other processes (waitWorkers) gives up silently after the timeout,
  // and the process group's rendezvous then waits a second timeout: a lonely process stopped after
  // twice the time it states. The rendezvous alone waits for everyone, within one timeout.
  storeOptions.waitWorkers = false;
  storeOptions.timeout = options.timeout;
  c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::TCPStore>(options.masterAddress, storeOptions);
  if (useAgentStore)
  {
    const char * restarts = std::getenv("TORCHELASTIC_RESTART_COUNT");
    store = c10::make_intrusive<c10d::PrefixStore>("/worker/attempt_" + std::string(restarts ? restarts : "0"), store);
  }
  if (backend == "gloo")
  {
    auto glooOptions = c10d::ProcessGroupGloo::Options::create(options.timeout);
    // Every process reaches the others at the address through which it reaches the master: the
    // loopback interface for a job on one machine, the cluster network otherwise.
    const bool local = options.masterAddress == "127.0.0.1" || options.masterAddress == "localhost";
    glooOptions->devices.push_back(local ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                         : c10d::ProcessGroupGloo::createDefaultDevice());
    auto processes = c10::make_intrusive<c10d::ProcessGroupGloo>(store, options.rank, options.worldSize, glooOptions);
    return std::make_unique<C10dProcesses<c10d::ProcessGroupGloo>>(processes, "gloo");
  }
#ifdef REVGAN_WITH_NCCL
  if (!device.is_cuda())
    throw std::invalid_argument("the nccl backend needs a CUDA device (--device cuda)");
  auto ncclOptions = c10d::ProcessGroupNCCL::Options::create();
  ncclOptions->timeout = options.timeout;
  auto processes = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, options.rank, options.worldSize, ncclOptions);
  return std::make_unique<C10dProcesses<c10d::ProcessGroupNCCL>>(processes, "nccl");
#else
  throw std::invalid_argument("the nccl backend needs a LibTorch built with CUDA and NCCL; this one has none "
                              "(use gloo)");
#endif
}
#endif

/// Runs a collective, adds its time to the group's and turns any failure into one line.
template<typename Operation>
void
collective(DataParallelGroup::Implementation & group, const char * what, Operation && operation)
{
  const auto start = std::chrono::steady_clock::now();
  try
  {
    operation();
  }
  catch (const std::exception & error)
  {
    throw DataParallelError("rank " + std::to_string(group.rank) + " of " + std::to_string(group.worldSize) + ": " +
                            what + " failed: " + firstLine(error) +
                            " (another process stopped, or did not answer within the timeout)");
  }
  group.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

std::shared_ptr<DataParallelGroup>
DataParallelGroup::join(const DataParallelOptions & options, const c10::Device & device)
{
  options.validate();
  std::unique_ptr<Implementation> implementation;
  if (options.worldSize == 1)
  {
    implementation = std::make_unique<SingleProcess>();
  }
  else
  {
#ifdef REVGAN_WITH_C10D
    // c10d logs a failed connection through glog before it throws; the exception says the same,
    // and the toolkit says it once, in its own line.
    StderrCapture libraryOutput;
    try
    {
      implementation = joinC10d(options, device);
      std::cerr << libraryOutput.release();
    }
    catch (const std::invalid_argument &)
    {
      throw;
    }
    catch (const std::exception & error)
    {
      throw DataParallelError("rank " + std::to_string(options.rank) + " of " + std::to_string(options.worldSize) +
                              ": could not join the job at " + options.masterAddress + ":" +
                              std::to_string(options.masterPort) + " within " +
                              std::to_string(options.timeout.count()) + " s: " + firstLine(error));
    }
#else
    (void)device;
    throw std::invalid_argument("this build of the toolkit has no distributed training (LibTorch's c10d headers and "
                                "Gloo's, Debian package libgloo-dev, were not found when it was built); world size " +
                                std::to_string(options.worldSize) + " requested");
#endif
  }
  implementation->rank = options.rank;
  implementation->worldSize = options.worldSize;
  return std::shared_ptr<DataParallelGroup>(new DataParallelGroup(std::move(implementation)));
}

DataParallelGroup::DataParallelGroup(std::unique_ptr<Implementation> implementation)
  : implementation_(std::move(implementation))
{
}

DataParallelGroup::~DataParallelGroup() = default;

int
DataParallelGroup::rank() const
{
  return implementation_->rank;
}

int
DataParallelGroup::worldSize() const
{
  return implementation_->worldSize;
}

std::string
DataParallelGroup::backendName() const
{
  return implementation_->name();
}

double
DataParallelGroup::communicationSeconds() const
{
  return implementation_->seconds;
}

void
DataParallelGroup::average(const std::vector<torch::Tensor> & tensors, int64_t bucketBytes)
{
  if (worldSize() == 1 || tensors.empty())
    return;
  collective(*implementation_,
             "averaging gradients",
             [&]
             {
               // Buckets hold tensors of one dtype and device, in order, up to bucketBytes each.
               std::vector<std::vector<size_t>>                          members;
               std::map<std::pair<c10::ScalarType, std::string>, size_t> open;
               std::vector<int64_t>                                      bytes;
               for (size_t i = 0; i < tensors.size(); ++i)
               {
                 const auto    key = std::make_pair(tensors[i].scalar_type(), tensors[i].device().str());
                 const int64_t size = tensors[i].numel() * static_cast<int64_t>(tensors[i].element_size());
                 auto          found = open.find(key);
                 if (found == open.end() || bytes[found->second] + size > bucketBytes)
                 {
                   open[key] = members.size();
                   members.emplace_back();
                   bytes.push_back(0);
                 }
                 members[open[key]].push_back(i);
                 bytes[open[key]] += size;
               }
               std::vector<torch::Tensor> buckets;
               for (const auto & bucket : members)
               {
                 std::vector<torch::Tensor> flat;
                 for (const size_t i : bucket)
                   flat.push_back(tensors[i].detach().reshape({ -1 }));
                 buckets.push_back(torch::cat(flat));
               }
               implementation_->allReduceSum(buckets);
               for (size_t b = 0; b < members.size(); ++b)
               {
                 buckets[b].div_(worldSize());
                 int64_t offset = 0;
                 for (const size_t i : members[b])
                 {
                   const int64_t      count = tensors[i].numel();
                   torch::NoGradGuard noGradient;
                   tensors[i].copy_(buckets[b].narrow(0, offset, count).view_as(tensors[i]));
                   offset += count;
                 }
               }
             });
}

void
DataParallelGroup::broadcast(const std::vector<torch::Tensor> & tensors)
{
  if (worldSize() == 1 || tensors.empty())
    return;
  collective(*implementation_,
             "broadcasting rank 0's weights",
             [&]
             {
               torch::NoGradGuard         noGradient;
               std::vector<torch::Tensor> contiguous;
               for (const auto & tensor : tensors)
                 contiguous.push_back(tensor.detach().contiguous());
               implementation_->broadcast(contiguous);
               for (size_t i = 0; i < tensors.size(); ++i)
               {
                 if (!contiguous[i].is_same(tensors[i]))
                   tensors[i].copy_(contiguous[i]);
               }
             });
}

torch::Tensor
DataParallelGroup::gather(const torch::Tensor & tensor)
{
  torch::Tensor              input = tensor.detach().contiguous();
  std::vector<torch::Tensor> outputs;
  for (int r = 0; r < worldSize(); ++r)
    outputs.push_back(torch::empty_like(input));
  collective(*implementation_, "gathering values", [&] { implementation_->allGather(outputs, input); });
  return torch::stack(outputs);
}

} // namespace revgan
