// Dense GEMM on the current CUDA device: C = A · B, all row major with leading dimensions
// (lda >= K, ldb >= N, ldc >= N), any M, N, K >= 0, as kernels/cpu/gemm.h has it. Pointers are
// device memory; a call enqueues on `stream` (nullptr: the default stream) and returns.
// C is overwritten (K == 0 gives zeros).
//
//   fp32:       tiled SIMT kernel: 128 x 128 block tiles in shared memory, 8 x 8 outputs per
//               thread, fused multiply-adds in round-to-nearest (the fp32 reference bound holds)
//   fp16, bf16: tensor cores through WMMA (16 x 16 x 16 fragments), fp32 accumulation and output
//   int8:       signed A times signed B on tensor cores (WMMA), exact int32 output; K is limited
//               to kGemmS8MaxK so that no sum can overflow (128 * 128 * K < 2^31)
//
// Bad arguments (negative sizes, a leading dimension below the row length, a null pointer with
// a non-empty matrix, sizes beyond int32 for cuBLAS) throw std::invalid_argument naming the
// parameter and its value; CUDA failures throw CudaError (runtime.h).
#pragma once

#include "kernels/cuda/runtime.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sciperf::kernels::cuda {

enum class Precision { fp32, fp16, bf16, int8 };
std::string_view precision_name(Precision precision);
std::size_t input_bytes(Precision precision);  // per element of A and B; C is 4 bytes (fp32 or int32)

inline constexpr std::int64_t kGemmS8MaxK = 131071;

void gemm(Precision precision, std::int64_t M, std::int64_t N, std::int64_t K, const void* A, std::int64_t lda,
          const void* B, std::int64_t ldb, void* C, std::int64_t ldc, const Stream* stream = nullptr);
// What gemm() runs for a precision, for the record ("tensor cores (WMMA 16x16x16), ...").
std::string gemm_description(Precision precision);

// The library's GEMM for the same row-major problem (cuBLAS is column major: it computes
// C^T = B^T A^T, which is the same memory), in the same precisions and output types; fp32
// computes in fp32 (CUBLAS_COMPUTE_32F: no TF32). Planned once for one shape:
//   cublas:   cublasGemmEx, the library's default algorithm choice
//   cublaslt: cublasLtMatmul with the first algorithm of cublasLtMatmulAlgoGetHeuristic (a
//             32 MiB workspace); a shape with none throws CudaError at construction
enum class BlasApi { cublas, cublaslt };

class LibraryGemm {
 public:
  LibraryGemm(BlasApi api, Precision precision, std::int64_t M, std::int64_t N, std::int64_t K, std::int64_t lda,
              std::int64_t ldb, std::int64_t ldc, const Stream* stream = nullptr);
  ~LibraryGemm();
  LibraryGemm(const LibraryGemm&) = delete;
  LibraryGemm& operator=(const LibraryGemm&) = delete;
  // Enqueues C = A · B on the stream given at construction.
  void run(const void* A, const void* B, void* C);
  // e.g. "cuBLAS 13.0.2 cublasGemmEx bf16 x bf16 -> fp32, CUBLAS_COMPUTE_32F"
  std::string description() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace sciperf::kernels::cuda
