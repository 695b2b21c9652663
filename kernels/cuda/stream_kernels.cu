// STREAM's four kernels on the device, one grid-stride loop each (as kernels/cpu/stream.h).
#include "kernels/cuda/detail/check.h"
#include "kernels/cuda/detail/launch.h"

namespace sciperf::kernels::cuda::detail {
namespace {

constexpr int kThreads = kStreamThreadsPerBlock;

template <cpu::StreamKernel Kernel>
__global__ void __launch_bounds__(kThreads) stream_kernel(double* a, double* b, double* c, double q, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    if constexpr (Kernel == cpu::StreamKernel::copy) c[i] = a[i];
    else if constexpr (Kernel == cpu::StreamKernel::scale) b[i] = q * c[i];
    else if constexpr (Kernel == cpu::StreamKernel::add) c[i] = a[i] + b[i];
    else a[i] = fma(q, c[i], b[i]);
  }
}

}  // namespace

void launch_stream(cpu::StreamKernel kernel, double* a, double* b, double* c, double q, std::size_t n, int blocks,
                   void* stream) {
  const cudaStream_t s = native(stream);
  switch (kernel) {
    case cpu::StreamKernel::copy: stream_kernel<cpu::StreamKernel::copy><<<blocks, kThreads, 0, s>>>(a, b, c, q, n); break;
    case cpu::StreamKernel::scale: stream_kernel<cpu::StreamKernel::scale><<<blocks, kThreads, 0, s>>>(a, b, c, q, n); break;
    case cpu::StreamKernel::add: stream_kernel<cpu::StreamKernel::add><<<blocks, kThreads, 0, s>>>(a, b, c, q, n); break;
    case cpu::StreamKernel::triad: stream_kernel<cpu::StreamKernel::triad><<<blocks, kThreads, 0, s>>>(a, b, c, q, n); break;
  }
  check(cudaGetLastError(), "stream_kernel launch");
}

}  // namespace sciperf::kernels::cuda::detail
