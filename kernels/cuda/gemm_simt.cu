// fp32 GEMM on the CUDA cores: the classic shared-memory tiling. A block computes a 128 x 128
// tile of C from 128 x 8 slices of A and 8 x 128 slices of B staged in shared memory; each of
// its 256 threads keeps 8 x 8 outputs in registers. A thread's rows and columns are strided by
// 16 (not contiguous) so that a warp's shared-memory reads and global stores touch consecutive
// words. Edges are zero-filled in shared memory, so any M, N, K works.
#include "kernels/cuda/detail/check.h"
#include "kernels/cuda/detail/launch.h"

namespace sciperf::kernels::cuda::detail {
namespace {

constexpr int kTile = 128;   // rows and columns of C per block
constexpr int kDepth = 8;    // k per shared-memory stage
constexpr int kSide = 16;    // threads per side of the block
constexpr int kPerThread = kTile / kSide;
// A is stored transposed (k-major); 4 words of padding spread a stage's writes over all banks.
constexpr int kAPad = 4;

__global__ void __launch_bounds__(kSide* kSide) gemm_fp32_kernel(GemmArgs g) {
  __shared__ float a_tile[kDepth][kTile + kAPad];
  __shared__ float b_tile[kDepth][kTile];
  const auto* A = static_cast<const float*>(g.a);
  const auto* B = static_cast<const float*>(g.b);
  auto* C = static_cast<float*>(g.c);
  const int tx = threadIdx.x % kSide, ty = threadIdx.x / kSide;
  const std::int64_t row0 = static_cast<std::int64_t>(blockIdx.y) * kTile;
  const std::int64_t col0 = static_cast<std::int64_t>(blockIdx.x) * kTile;

  float acc[kPerThread][kPerThread] = {};
  for (std::int64_t k0 = 0; k0 < g.k; k0 += kDepth) {
    for (int i = threadIdx.x; i < kTile * kDepth; i += kSide * kSide) {
      const int r = i / kDepth, ka = i % kDepth;  // consecutive threads read along a row of A
      const std::int64_t ar = row0 + r, ak = k0 + ka;
      a_tile[ka][r] = ar < g.m && ak < g.k ? A[ar * g.lda + ak] : 0.f;
      const int kb = i / kTile, c = i % kTile;  // and along a row of B
      const std::int64_t bk = k0 + kb, bc = col0 + c;
      b_tile[kb][c] = bk < g.k && bc < g.n ? B[bk * g.ldb + bc] : 0.f;
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < kDepth; ++kk) {
      float a[kPerThread], b[kPerThread];
#pragma unroll
      for (int i = 0; i < kPerThread; ++i) {
        a[i] = a_tile[kk][ty + kSide * i];
        b[i] = b_tile[kk][tx + kSide * i];
      }
#pragma unroll
      for (int i = 0; i < kPerThread; ++i)
#pragma unroll
        for (int j = 0; j < kPerThread; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < kPerThread; ++i) {
    const std::int64_t row = row0 + ty + kSide * i;
#pragma unroll
    for (int j = 0; j < kPerThread; ++j) {
      const std::int64_t col = col0 + tx + kSide * j;
      if (row < g.m && col < g.n) C[row * g.ldc + col] = acc[i][j];
    }
  }
}

}  // namespace

void launch_gemm_simt(const GemmArgs& args, void* stream) {
  const dim3 grid(static_cast<unsigned>((args.n + kTile - 1) / kTile), static_cast<unsigned>((args.m + kTile - 1) / kTile));
  gemm_fp32_kernel<<<grid, kSide * kSide, 0, native(stream)>>>(args);
  check(cudaGetLastError(), "gemm_fp32_kernel launch");
}

}  // namespace sciperf::kernels::cuda::detail
