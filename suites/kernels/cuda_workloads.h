// The kernels suite on a GPU (device: cuda): our kernels (kernels/cuda) and cuBLAS / cuBLASLt
// on the same problems as on the CPU, checked against the same float64 references after the
// output is copied back, timed with CUDA events. Defined in cuda/cuda_workloads.cpp, built only
// when the CUDA toolkit and nvcc are found; cuda_unavailable.cpp stands in otherwise.
#pragma once

#include "suites/kernels/kernel_workload.h"

#include <memory>
#include <optional>
#include <string>

namespace sciperf::suites::kernels {

// Why device: cuda cannot run here ("built without CUDA ..." or "no CUDA device: ..."), or
// nullopt. Needs no MPI.
std::optional<std::string> cuda_unavailable_reason();

// On GPU `local_rank` mod the GPUs of the node. Settings must have passed skip_reason; inputs
// that input_problem() rejects throw std::invalid_argument, CUDA failures CudaError.
std::unique_ptr<KernelWorkload> make_cuda_workload(const KernelSettings& settings, int local_rank);

}  // namespace sciperf::suites::kernels
