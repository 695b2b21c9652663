// NCCL on one GPU per rank, for the collectives suite's "nccl" algorithm. Compiled only when
// the CUDA toolkit and NCCL are found; this header includes no CUDA header, so callers
// build without the toolkit's include paths.
#pragma once

#include "kernels/comm/datatypes.h"
#include "kernels/cuda/runtime.h"

#include <mpi.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace sciperf::comm::cuda {

// Why NCCL cannot run here (no driver, no device), or nullopt. Needs no MPI.
std::optional<std::string> gpu_unavailable_reason();

// Device memory, freed on destruction (the CUDA kernels' runtime wrapper).
using DeviceBuffer = ::sciperf::kernels::cuda::DeviceBuffer;

// One NCCL communicator over the ranks of `comm`, each rank on GPU `device` (by default its
// node-local rank mod the device count), with its own stream. Construction is collective
// over `comm`.
class NcclCommunicator {
 public:
  explicit NcclCommunicator(MPI_Comm comm, int device = -1);
  ~NcclCommunicator();
  NcclCommunicator(const NcclCommunicator&) = delete;
  NcclCommunicator& operator=(const NcclCommunicator&) = delete;

  // Enqueue on the communicator's stream; synchronize() waits for them.
  void allreduce(const void* send, void* recv, std::size_t count, DataType type, ReduceOp op);
  void reduce_scatter(const void* send, void* recv, std::size_t recv_count, DataType type, ReduceOp op);
  void allgather(const void* send, void* recv, std::size_t send_count, DataType type);
  void broadcast(void* buffer, std::size_t count, DataType type, int root);
  void alltoall(const void* send, void* recv, std::size_t block_count, DataType type);
  void synchronize();
  // Orders the communicator's stream after the work queued so far on `cuda_stream` (a
  // cudaStream_t of this device, e.g. LibTorch's current stream; nullptr is the legacy default
  // stream) through a CUDA event: calls enqueued afterwards see that work's results, and the
  // host does not wait.
  void wait_for(void* cuda_stream);

  int device() const { return device_; }
  static std::string version();

 private:
  struct State;
  std::unique_ptr<State> state_;
  int device_ = 0;
  int ranks_ = 1;
};

}  // namespace sciperf::comm::cuda
