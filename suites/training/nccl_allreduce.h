// The training suite's "nccl" all-reduce: gradient buckets on this rank's GPU, summed in place
// by NCCL on its communicator's own stream. Defined in cuda/nccl_allreduce.cpp, built only
// when NCCL is found and LibTorch has CUDA (it reads LibTorch's current CUDA stream); in any
// other build nccl_unavailable.cpp says why, and every such case is skipped. No CUDA header
// here.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <mpi.h>

#include <memory>
#include <optional>
#include <string>

namespace sciperf::suites::training {

// Why this build cannot run the nccl all-reduce (no NCCL, or a LibTorch without CUDA), or
// nullopt when it can wherever a GPU is. Needs no MPI and no GPU.
std::optional<std::string> nccl_missing_from_build();

class NcclAllreduce {
 public:
  virtual ~NcclAllreduce() = default;
  // Enqueues the in-place sum across ranks of `flat` (contiguous float32 on this rank's GPU)
  // on NCCL's stream, after the work queued so far on LibTorch's current stream of that GPU
  // (which wrote the gradients into it): a device-side wait, the host does not block.
  virtual void start(const at::Tensor& flat) = 0;
  // Blocks the host until every sum started so far has finished; LibTorch's work enqueued
  // after this sees the results.
  virtual void finish() = 0;
};

// NCCL over the ranks of `comm`, on `device` (a CUDA device: the model's). Collective over
// `comm` the first time: every GradientBuckets of the process then shares the communicator.
std::unique_ptr<NcclAllreduce> make_nccl_allreduce(MPI_Comm comm, const c10::Device& device);

}  // namespace sciperf::suites::training
