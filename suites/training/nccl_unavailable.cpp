// The nccl all-reduce in a build without NCCL or with a LibTorch without CUDA: always
// skipped, with the reason.
#include "suites/training/nccl_allreduce.h"

#ifndef SCIPERF_HAVE_TRAINING_NCCL
#include <stdexcept>

namespace sciperf::suites::training {

std::optional<std::string> nccl_missing_from_build() {
#ifndef SCIPERF_HAVE_NCCL
  return std::string("allreduce nccl: this build has no NCCL (the CUDA toolkit or NCCL was not found at configure time)");
#else
  return std::string("allreduce nccl: this build's LibTorch has no CUDA");
#endif
}

std::unique_ptr<NcclAllreduce> make_nccl_allreduce(MPI_Comm, const c10::Device&) {
  throw std::logic_error("make_nccl_allreduce called in a build without NCCL or without CUDA LibTorch");
}

}  // namespace sciperf::suites::training
#endif
