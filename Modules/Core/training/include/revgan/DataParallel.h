// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <c10/core/Device.h>
#include <torch/types.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace revgan
{

/// \brief Where this process stands in a data-parallel job, as launchers describe it.
///
/// The contract is torchrun's: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT in the
/// environment (torchrun --no-python, SLURM scripts, mpirun wrappers set them). Rank 0 runs the
/// rendezvous (a c10d TCPStore) at MASTER_ADDR:MASTER_PORT.
struct DataParallelOptions
{
  /// This process's index in the job (RANK), in [0, worldSize); rank 0 hosts the rendezvous.
  int rank{ 0 };
  /// Number of processes in the job (WORLD_SIZE), at least 1; 1 trains alone, without c10d.
  int worldSize{ 1 };
  /// The process's index on its machine; with CUDA it selects the GPU (cuda:LOCAL_RANK).
  int localRank{ 0 };
  /// Processes of the job on this machine (LOCAL_WORLD_SIZE): they share its cores.
  int processesOnMachine{ 1 };
  /// Host name or address of rank 0's rendezvous store (MASTER_ADDR); must not be empty with several processes.
  std::string masterAddress{ "127.0.0.1" };
  /// TCP port of the rendezvous store (MASTER_PORT), in [1, 65535].
  int masterPort{ 29500 };
  /// How long joining and each collective may wait for the other processes before this process
  /// gives up with a DataParallelError: the bound on how long a lost process can stall the others.
  std::chrono::seconds timeout{ 300 };
  /// gloo, nccl or auto (nccl for CUDA devices where LibTorch has it, gloo otherwise).
  std::string backend{ "auto" };

  /// Reads RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT, and, where
  /// RANK is not set, SLURM's SLURM_PROCID, SLURM_NTASKS and SLURM_LOCALID. Variables not set
  /// keep the defaults (one process). Throws std::invalid_argument naming a variable that is not a
  /// number.
  static DataParallelOptions
  fromEnvironment();

  /// Throws std::invalid_argument naming the first value out of range.
  void
  validate() const;
};

/// \brief Another process of the job stopped, never joined, or did not answer within the
/// timeout. The message is one line: this process's rank, what it was doing, and why.
class DataParallelError : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

/// Whether this build of the toolkit has PyTorch's distributed engine (c10d with Gloo).
bool
dataParallelAvailable();

/// \brief The processes of one data-parallel job, joined through PyTorch's c10d (a TCPStore
/// rendezvous, then ProcessGroupGloo on CPUs or ProcessGroupNCCL on GPUs).
///
/// Every operation is collective: all processes must call it in the same order with tensors of
/// the same shapes. A failed or timed-out collective throws DataParallelError.
class DataParallelGroup
{
public:
  /// Joins the job; returns when all `options.worldSize` processes have joined. Throws
  /// DataParallelError if they do not within the timeout, std::invalid_argument for bad options.
  static std::shared_ptr<DataParallelGroup>
  join(const DataParallelOptions & options, const c10::Device & device);

  ~DataParallelGroup();
  DataParallelGroup(const DataParallelGroup &) = delete;
  DataParallelGroup &
  operator=(const DataParallelGroup &) = delete;

  /// This process's index in the job, in [0, worldSize()).
  int
  rank() const;
  /// Number of processes in the job.
  int
  worldSize() const;
  /// "gloo" or "nccl".
  std::string
  backendName() const;

  /// Replaces each tensor by its mean over the processes. The tensors are copied into flat buckets
  /// of at most `bucketBytes` (per dtype), all buckets are reduced at once, then copied back: a
  /// few large messages instead of one per tensor.
  void
  average(const std::vector<torch::Tensor> & tensors, int64_t bucketBytes = 25 << 20);

  /// Copies rank 0's values into the tensors of every process.
  void
  broadcast(const std::vector<torch::Tensor> & tensors);

  /// Every process's `tensor` (the same shape everywhere), stacked along a new first dimension in
  /// rank order.
  torch::Tensor
  gather(const torch::Tensor & tensor);

  /// Seconds spent in collectives so far (including copies into and out of buckets).
  double
  communicationSeconds() const;

  /// The collectives over the backend joined (defined where c10d is used).
  struct Implementation;

private:
  explicit DataParallelGroup(std::unique_ptr<Implementation> implementation);
  std::unique_ptr<Implementation> implementation_;
};

} // namespace revgan
