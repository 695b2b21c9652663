// The kernel launchers, defined in the .cu files and called by the host code that checked the
// arguments (gemm.cpp, stream.cpp, peak.cpp). Plain C++: the .cu files stay small and nvcc
// compiles only device code and its launches.
#pragma once

#include "kernels/cpu/stream.h"
#include "kernels/cuda/gemm.h"

#include <cstddef>
#include <cstdint>

namespace sciperf::kernels::cuda::detail {

struct GemmArgs {
  std::int64_t m = 0, n = 0, k = 0;
  const void* a = nullptr;
  std::int64_t lda = 0;
  const void* b = nullptr;
  std::int64_t ldb = 0;
  void* c = nullptr;
  std::int64_t ldc = 0;
};

// `stream` is a cudaStream_t. Each throws CudaError if the launch fails.
void launch_gemm_simt(const GemmArgs& args, void* stream);                        // fp32
void launch_gemm_wmma(Precision precision, const GemmArgs& args, void* stream);  // fp16, bf16, int8
void launch_stream(cpu::StreamKernel kernel, double* a, double* b, double* c, double q, std::size_t n, int blocks,
                   void* stream);
// One float per thread of `blocks` blocks of peak_threads_per_block() threads goes to `sink`.
void launch_peak(Precision precision, std::uint64_t iterations, int blocks, float* sink, void* stream);
int peak_threads_per_block();
inline constexpr int kStreamThreadsPerBlock = 256;

// Blocks of `threads_per_block` threads that all multiprocessors of the current device hold at
// once (at most its threads per multiprocessor each): a grid that size hides latency with
// warps alone.
int resident_blocks(int threads_per_block);
double peak_ops_per_thread_and_iteration(Precision precision);

}  // namespace sciperf::kernels::cuda::detail
