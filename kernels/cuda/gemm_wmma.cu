// fp16, bf16 and int8 GEMM on the tensor cores through WMMA (16 x 16 x 16 fragments). A block
// of 8 warps computes a 128 x 128 tile of C from 128 x 32 slices of A and 32 x 128 slices of B
// staged in shared memory; each warp owns 64 x 32 of the tile (4 x 2 accumulator fragments).
//
// Shared-memory layout: load_matrix_sync wants 32-byte aligned fragment pointers, and a step of
// 16 int8 elements along a row is only 16 bytes. So both slices are kept as 16-column chunks
// (element (r, c) at chunk c / 16, row r, column c % 16) whose rows are padded to 16 + 16 bytes
// of elements: every fragment then starts at a chunk's row 0 or 16. Edges are zero-filled, so any
// M, N, K works; rows of A and B are copied in 16-byte pieces where they are in range and aligned.
#include "kernels/cuda/detail/check.h"
#include "kernels/cuda/detail/launch.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <mma.h>

#include <cstdint>
#include <stdexcept>

namespace sciperf::kernels::cuda::detail {
namespace {

using namespace nvcuda;

constexpr int kFrag = 16;
constexpr int kTile = 128;  // rows and columns of C per block
constexpr int kDepth = 32;  // k per shared-memory stage
constexpr int kWarps = 8;   // 2 (rows) x 4 (columns), each 64 x 32 of C
constexpr int kWarpRows = 64, kWarpCols = 32;
constexpr int kThreads = kWarps * 32;

template <class T>
constexpr int kChunkLd = kFrag + 16 / static_cast<int>(sizeof(T));  // a chunk row, padded

// Element (r, c) of a rows x cols slice lives at chunk c / 16.
template <class T, int Rows>
__device__ T* chunked(T* tile, int r, int c) {
  return tile + (c / kFrag) * Rows * kChunkLd<T> + r * kChunkLd<T> + c % kFrag;
}

// Copies rows x cols of a row-major matrix (ld, in-range extent `height` x `width`) from
// (row0, col0) into a chunked tile, zeros outside the matrix.
template <class T, int Rows, int Cols>
__device__ void load_tile(T* tile, const T* g, std::int64_t ld, std::int64_t row0, std::int64_t col0,
                          std::int64_t height, std::int64_t width) {
  constexpr int kVector = 16 / sizeof(T);  // elements per 16-byte copy
  for (int v = threadIdx.x; v < Rows * Cols / kVector; v += kThreads) {
    const int r = v / (Cols / kVector), c = v % (Cols / kVector) * kVector;
    T* to = chunked<T, Rows>(tile, r, c);
    const std::int64_t gr = row0 + r, gc = col0 + c;
    const T* from = g + gr * ld + gc;
    if (gr < height && gc + kVector <= width && reinterpret_cast<std::uintptr_t>(from) % 16 == 0) {
      *reinterpret_cast<uint4*>(to) = *reinterpret_cast<const uint4*>(from);
    } else {
      for (int e = 0; e < kVector; ++e) to[e] = gr < height && gc + e < width ? from[e] : T{};
    }
  }
}

template <class In, class Acc>
__global__ void __launch_bounds__(kThreads) gemm_wmma_kernel(GemmArgs g) {
  __shared__ __align__(32) In a_tile[kDepth / kFrag * kTile * kChunkLd<In>];
  __shared__ __align__(32) In b_tile[kTile / kFrag * kDepth * kChunkLd<In>];
  __shared__ __align__(32) Acc scratch[kWarps][kFrag * kFrag];
  const auto* A = static_cast<const In*>(g.a);
  const auto* B = static_cast<const In*>(g.b);
  auto* C = static_cast<Acc*>(g.c);
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int warp_row = warp / 4 * kWarpRows, warp_col = warp % 4 * kWarpCols;
  const std::int64_t row0 = static_cast<std::int64_t>(blockIdx.y) * kTile;
  const std::int64_t col0 = static_cast<std::int64_t>(blockIdx.x) * kTile;

  wmma::fragment<wmma::accumulator, kFrag, kFrag, kFrag, Acc> acc[kWarpRows / kFrag][kWarpCols / kFrag];
  for (auto& row : acc)
    for (auto& fragment : row) wmma::fill_fragment(fragment, Acc(0));

  for (std::int64_t k0 = 0; k0 < g.k; k0 += kDepth) {
    load_tile<In, kTile, kDepth>(a_tile, A, g.lda, row0, k0, g.m, g.k);
    load_tile<In, kDepth, kTile>(b_tile, B, g.ldb, k0, col0, g.k, g.n);
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < kDepth; kk += kFrag) {
      wmma::fragment<wmma::matrix_a, kFrag, kFrag, kFrag, In, wmma::row_major> a[kWarpRows / kFrag];
      wmma::fragment<wmma::matrix_b, kFrag, kFrag, kFrag, In, wmma::row_major> b[kWarpCols / kFrag];
#pragma unroll
      for (int i = 0; i < kWarpRows / kFrag; ++i)
        wmma::load_matrix_sync(a[i], chunked<In, kTile>(a_tile, warp_row + i * kFrag, kk), kChunkLd<In>);
#pragma unroll
      for (int j = 0; j < kWarpCols / kFrag; ++j)
        wmma::load_matrix_sync(b[j], chunked<In, kDepth>(b_tile, kk, warp_col + j * kFrag), kChunkLd<In>);
#pragma unroll
      for (int i = 0; i < kWarpRows / kFrag; ++i)
#pragma unroll
        for (int j = 0; j < kWarpCols / kFrag; ++j) wmma::mma_sync(acc[i][j], a[i], b[j], acc[i][j]);
    }
    __syncthreads();
  }

  // Each fragment goes through the warp's scratch tile so that edge tiles can be cut to C.
  for (int i = 0; i < kWarpRows / kFrag; ++i) {
    for (int j = 0; j < kWarpCols / kFrag; ++j) {
      wmma::store_matrix_sync(scratch[warp], acc[i][j], kFrag, wmma::mem_row_major);
      __syncwarp();
      for (int e = lane; e < kFrag * kFrag; e += 32) {
        const std::int64_t row = row0 + warp_row + i * kFrag + e / kFrag;
        const std::int64_t col = col0 + warp_col + j * kFrag + e % kFrag;
        if (row < g.m && col < g.n) C[row * g.ldc + col] = scratch[warp][e];
      }
      __syncwarp();
    }
  }
}

template <class In, class Acc>
void launch(const GemmArgs& args, cudaStream_t stream) {
  const dim3 grid(static_cast<unsigned>((args.n + kTile - 1) / kTile), static_cast<unsigned>((args.m + kTile - 1) / kTile));
  gemm_wmma_kernel<In, Acc><<<grid, kThreads, 0, stream>>>(args);
}

}  // namespace

void launch_gemm_wmma(Precision precision, const GemmArgs& args, void* stream) {
  switch (precision) {
    case Precision::fp16: launch<__half, float>(args, native(stream)); break;
    case Precision::bf16: launch<__nv_bfloat16, float>(args, native(stream)); break;
    case Precision::int8: launch<signed char, int>(args, native(stream)); break;
    default: throw std::invalid_argument("launch_gemm_wmma: fp32 runs on the SIMT kernel");
  }
  check(cudaGetLastError(), "gemm_wmma_kernel launch");
}

}  // namespace sciperf::kernels::cuda::detail
