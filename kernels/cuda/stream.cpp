#include "kernels/cuda/stream.h"

#include "kernels/cuda/detail/launch.h"

#include <algorithm>
#include <stdexcept>

namespace sciperf::kernels::cuda {

void run_stream(cpu::StreamKernel kernel, double* a, double* b, double* c, double q, std::size_t n,
                const Stream* stream) {
  if (n == 0) return;
  if (!a || !b || !c) throw std::invalid_argument("cuda::run_stream: a, b and c must be device arrays of n elements");
  constexpr std::size_t kThreads = detail::kStreamThreadsPerBlock;
  const std::size_t needed = (n + kThreads - 1) / kThreads;
  const auto resident = static_cast<std::size_t>(detail::resident_blocks(kThreads));
  detail::launch_stream(kernel, a, b, c, q, n, static_cast<int>(std::min(needed, resident)), stream_handle(stream));
}

}  // namespace sciperf::kernels::cuda
