// Turning a failed CUDA runtime call into CudaError, for the sources of kernels/cuda only (it
// includes the runtime's header).
#pragma once

#include <cuda_runtime.h>

namespace sciperf::kernels::cuda::detail {

// Throws CudaError("<call>: <cudaGetErrorString> (cudaError <code>)") unless status is cudaSuccess.
void check(cudaError_t status, const char* call);

inline cudaStream_t native(void* stream) { return static_cast<cudaStream_t>(stream); }

}  // namespace sciperf::kernels::cuda::detail
