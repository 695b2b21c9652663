#include "kernels/comm/cuda/nccl_communicator.h"

#include <cuda_runtime.h>
#include <fmt/format.h>
#include <nccl.h>

#include <stdexcept>

namespace sciperf::comm::cuda {
namespace {

void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) throw std::runtime_error(fmt::format("{}: {} ({})", what, cudaGetErrorString(status), static_cast<int>(status)));
}

void check(ncclResult_t status, const char* what) {
  if (status != ncclSuccess) throw std::runtime_error(fmt::format("{}: {}", what, ncclGetErrorString(status)));
}

ncclDataType_t nccl_type(DataType type) {
  switch (type) {
    case DataType::float32: return ncclFloat32;
    case DataType::float64: return ncclFloat64;
    case DataType::int32: return ncclInt32;
    case DataType::bfloat16: return ncclBfloat16;
    case DataType::float16: return ncclFloat16;
  }
  throw std::invalid_argument("unknown data type");
}

ncclRedOp_t nccl_op(ReduceOp op) {
  switch (op) {
    case ReduceOp::sum: return ncclSum;
    case ReduceOp::prod: return ncclProd;
    case ReduceOp::min: return ncclMin;
    case ReduceOp::max: return ncclMax;
  }
  throw std::invalid_argument("unknown reduction");
}

int node_local_rank(MPI_Comm comm) {
  MPI_Comm node;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  int rank = 0;
  MPI_Comm_rank(node, &rank);
  MPI_Comm_free(&node);
  return rank;
}

}  // namespace

std::optional<std::string> gpu_unavailable_reason() {
  int devices = 0;
  const cudaError_t status = cudaGetDeviceCount(&devices);
  if (status != cudaSuccess)
    return fmt::format("no usable CUDA device: cudaGetDeviceCount: {} ({})", cudaGetErrorString(status), static_cast<int>(status));
  if (devices == 0) return std::string("no CUDA device on this node");
  return std::nullopt;
}

struct NcclCommunicator::State {
  ncclComm_t comm = nullptr;
  cudaStream_t stream = nullptr;
  cudaEvent_t ready = nullptr;  // wait_for: the other stream's point to wait for
};

NcclCommunicator::NcclCommunicator(MPI_Comm comm, int device) : state_(std::make_unique<State>()) {
  int rank = 0, devices = 0;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks_);
  check(cudaGetDeviceCount(&devices), "cudaGetDeviceCount");
  // Collective even when the device is given: every rank takes part in the same calls.
  const int local_rank = node_local_rank(comm);
  device_ = device >= 0 ? device : local_rank % devices;
  check(cudaSetDevice(device_), "cudaSetDevice");
  check(cudaStreamCreateWithFlags(&state_->stream, cudaStreamNonBlocking), "cudaStreamCreate");
  check(cudaEventCreateWithFlags(&state_->ready, cudaEventDisableTiming), "cudaEventCreate");
  ncclUniqueId id;
  if (rank == 0) check(ncclGetUniqueId(&id), "ncclGetUniqueId");
  MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, comm);
  check(ncclCommInitRank(&state_->comm, ranks_, id, rank), "ncclCommInitRank");
}

NcclCommunicator::~NcclCommunicator() {
  if (state_->comm) ncclCommDestroy(state_->comm);
  if (state_->ready) cudaEventDestroy(state_->ready);
  if (state_->stream) cudaStreamDestroy(state_->stream);
}

void NcclCommunicator::allreduce(const void* send, void* recv, std::size_t count, DataType type, ReduceOp op) {
  check(ncclAllReduce(send, recv, count, nccl_type(type), nccl_op(op), state_->comm, state_->stream), "ncclAllReduce");
}

void NcclCommunicator::reduce_scatter(const void* send, void* recv, std::size_t recv_count, DataType type, ReduceOp op) {
  check(ncclReduceScatter(send, recv, recv_count, nccl_type(type), nccl_op(op), state_->comm, state_->stream),
        "ncclReduceScatter");
}

void NcclCommunicator::allgather(const void* send, void* recv, std::size_t send_count, DataType type) {
  check(ncclAllGather(send, recv, send_count, nccl_type(type), state_->comm, state_->stream), "ncclAllGather");
}

void NcclCommunicator::broadcast(void* buffer, std::size_t count, DataType type, int root) {
  check(ncclBroadcast(buffer, buffer, count, nccl_type(type), root, state_->comm, state_->stream), "ncclBroadcast");
}

// NCCL has no all-to-all call of its own: grouped sends and receives, as nccl-tests does.
void NcclCommunicator::alltoall(const void* send, void* recv, std::size_t block_count, DataType type) {
  const std::size_t block_bytes = block_count * size_of(type);
  check(ncclGroupStart(), "ncclGroupStart");
  for (int peer = 0; peer < ranks_; ++peer) {
    check(ncclSend(static_cast<const char*>(send) + peer * block_bytes, block_count, nccl_type(type), peer, state_->comm,
                   state_->stream),
          "ncclSend");
    check(ncclRecv(static_cast<char*>(recv) + peer * block_bytes, block_count, nccl_type(type), peer, state_->comm,
                   state_->stream),
          "ncclRecv");
  }
  check(ncclGroupEnd(), "ncclGroupEnd");
}

void NcclCommunicator::synchronize() { check(cudaStreamSynchronize(state_->stream), "cudaStreamSynchronize"); }

// An event recorded on the other stream and waited for on ours: a device-side dependency.
// Re-recording the one event is safe: cudaStreamWaitEvent waits for the record made before it.
void NcclCommunicator::wait_for(void* cuda_stream) {
  check(cudaEventRecord(state_->ready, static_cast<cudaStream_t>(cuda_stream)), "cudaEventRecord");
  check(cudaStreamWaitEvent(state_->stream, state_->ready, 0), "cudaStreamWaitEvent");
}

std::string NcclCommunicator::version() {
  int code = 0;
  if (ncclGetVersion(&code) != ncclSuccess) return "unknown";
  return fmt::format("{}.{}.{}", code / 10000, code / 100 % 100, code % 100);
}

}  // namespace sciperf::comm::cuda
