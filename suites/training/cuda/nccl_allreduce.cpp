// The training suite's nccl all-reduce over kernels/comm's NcclCommunicator. Built only when
// NCCL is found and LibTorch has CUDA (c10/cuda: LibTorch's current stream).
#include "suites/training/nccl_allreduce.h"

#include "kernels/comm/cuda/nccl_communicator.h"

#include <c10/cuda/CUDAStream.h>
#include <fmt/format.h>

#include <stdexcept>

namespace sciperf::suites::training {
namespace {

using comm::cuda::NcclCommunicator;

// NCCL communicators are costly to create: one per process, shared by every case's buckets
// (the training case, its standalone probe and its gradient check). Every rank asks with the
// same communicator and its fixed GPU, so all ranks create (or reuse) it together.
std::shared_ptr<NcclCommunicator> shared_communicator(MPI_Comm comm, int device) {
  static std::shared_ptr<NcclCommunicator> communicator;
  static MPI_Comm communicator_comm = MPI_COMM_NULL;
  if (!communicator || communicator_comm != comm || communicator->device() != device) {
    communicator.reset();
    communicator = std::make_shared<NcclCommunicator>(comm, device);
    communicator_comm = comm;
  }
  return communicator;
}

class NcclBucketAllreduce final : public NcclAllreduce {
 public:
  NcclBucketAllreduce(MPI_Comm comm, const c10::Device& device)
      : device_(device), nccl_(shared_communicator(comm, device.index())) {}

  void start(const at::Tensor& flat) override {
    if (!flat.is_cuda() || flat.device() != device_ || !flat.is_contiguous() || flat.scalar_type() != at::kFloat)
      throw std::invalid_argument(fmt::format("nccl all-reduce: bucket must be contiguous float32 on {}, is {} on {}",
                                              device_.str(), std::string(c10::toString(flat.scalar_type())),
                                              flat.device().str()));
    // Backward wrote the bucket on LibTorch's current stream: NCCL's stream waits for it there.
    nccl_->wait_for(c10::cuda::getCurrentCUDAStream(device_.index()).stream());
    float* data = flat.data_ptr<float>();
    nccl_->allreduce(data, data, static_cast<std::size_t>(flat.numel()), comm::DataType::float32, comm::ReduceOp::sum);
  }

  void finish() override { nccl_->synchronize(); }

 private:
  c10::Device device_;
  std::shared_ptr<NcclCommunicator> nccl_;
};

}  // namespace

std::optional<std::string> nccl_missing_from_build() { return std::nullopt; }

std::unique_ptr<NcclAllreduce> make_nccl_allreduce(MPI_Comm comm, const c10::Device& device) {
  if (!device.is_cuda() || !device.has_index())
    throw std::invalid_argument(fmt::format("nccl all-reduce needs a CUDA device with an index, not {}", device.str()));
  return std::make_unique<NcclBucketAllreduce>(comm, device);
}

}  // namespace sciperf::suites::training
