// device: cuda in a build without the CUDA kernels: always skipped, with the reason.
#include "suites/kernels/cuda_workloads.h"

#ifndef SCIPERF_HAVE_CUDA_KERNELS
#include <stdexcept>

namespace sciperf::suites::kernels {

std::optional<std::string> cuda_unavailable_reason() {
  return std::string("built without CUDA (the CUDA toolkit or nvcc was not found at configure time)");
}

std::unique_ptr<KernelWorkload> make_cuda_workload(const KernelSettings&, int) {
  throw std::logic_error("make_cuda_workload called in a build without CUDA");
}

}  // namespace sciperf::suites::kernels
#endif
