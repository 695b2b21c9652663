// Entry points of the per-instruction-set translation units. Each *_avx512.cpp / *_avx2.cpp /
// ... file is compiled with its own target flags (kernels/cpu/CMakeLists.txt) and exports
// only these plain functions; the dispatchers (compiled for baseline x86-64) call one after
// resolve_path() has checked the CPU. Arguments are checked by the dispatchers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sciperf::kernels::cpu {
struct Bf16;
}

namespace sciperf::kernels::cpu::detail {

template <class A, class B, class C>
struct GemmArgs {
  using TypeB = B;
  std::int64_t m, n, k;
  const A* a;
  std::int64_t lda;
  const B* b;
  std::int64_t ldb;
  C* c;
  std::int64_t ldc;
};
using GemmF32 = GemmArgs<float, float, float>;
using GemmBf16 = GemmArgs<Bf16, Bf16, float>;
using GemmI8 = GemmArgs<std::uint8_t, std::int8_t, std::int32_t>;

// Each GEMM path: the workspace it needs (bytes, fixed; the packed panels, one per thread
// in the dispatcher), B packed ahead in the path's own layout (bytes for K x N, and the
// packing), and the call; packed_b is null (B packed on the fly from p.b) or from name_pack_b
// for p.k x p.n (p.b unused).
#define SCIPERF_CPU_GEMM_PATH(name, args)                                                                \
  std::size_t name##_workspace_bytes();                                                                  \
  std::size_t name##_packed_b_bytes(std::int64_t k, std::int64_t n);                                     \
  void name##_pack_b(const args::TypeB* b, std::int64_t ldb, std::int64_t k, std::int64_t n, void* out); \
  void name(const args& p, void* workspace, const void* packed_b);

SCIPERF_CPU_GEMM_PATH(gemm_fp32_scalar, GemmF32)
SCIPERF_CPU_GEMM_PATH(gemm_fp32_avx2, GemmF32)
SCIPERF_CPU_GEMM_PATH(gemm_fp32_avx512, GemmF32)
SCIPERF_CPU_GEMM_PATH(gemm_bf16_scalar, GemmBf16)
SCIPERF_CPU_GEMM_PATH(gemm_bf16_avx2, GemmBf16)
SCIPERF_CPU_GEMM_PATH(gemm_bf16_avx512, GemmBf16)
SCIPERF_CPU_GEMM_PATH(gemm_bf16_avx512bf16, GemmBf16)
SCIPERF_CPU_GEMM_PATH(gemm_i8_scalar, GemmI8)
SCIPERF_CPU_GEMM_PATH(gemm_i8_avx2, GemmI8)
SCIPERF_CPU_GEMM_PATH(gemm_i8_avxvnni, GemmI8)
SCIPERF_CPU_GEMM_PATH(gemm_i8_avx512vnni, GemmI8)
#undef SCIPERF_CPU_GEMM_PATH

// Sparse times dense, one row of A at a time: C[i, :] = sum over the row's nonzeros
// values[e] * B[cols[e], :]. `row_ptr` has rows + 1 entries. Used by CSR SpMM; the 2:4 kernel
// has its own row walk (its column indices are implicit in the 2-bit metadata).
struct SpmmArgs {
  std::int64_t rows, n;
  const std::int64_t* row_ptr;
  const std::int32_t* cols;
  const float* values;
  const float* b;
  std::int64_t ldb;
  float* c;
  std::int64_t ldc;
};
void spmm_csr_scalar(const SpmmArgs& p);
void spmm_csr_avx2(const SpmmArgs& p);
void spmm_csr_avx512(const SpmmArgs& p);

// 2:4: per row, cols/2 values and cols/8 metadata bytes (two groups of four per byte, low
// nibble first; each group's nibble holds its two column offsets, 2 bits each).
struct Sparse24Args {
  std::int64_t rows, cols, n;
  const float* values;
  const std::uint8_t* meta;
  const float* b;
  std::int64_t ldb;
  float* c;
  std::int64_t ldc;
};
void gemm_sparse24_scalar(const Sparse24Args& p);
void gemm_sparse24_avx2(const Sparse24Args& p);
void gemm_sparse24_avx512(const Sparse24Args& p);

// STREAM: copy c = a, scale b = q c, add c = a + b, triad a = b + q c.
#define SCIPERF_CPU_STREAM_PATH(suffix)                                                 \
  void stream_copy_##suffix(const double* a, double* c, std::size_t n);                 \
  void stream_scale_##suffix(double* b, const double* c, double q, std::size_t n);      \
  void stream_add_##suffix(const double* a, const double* b, double* c, std::size_t n); \
  void stream_triad_##suffix(double* a, const double* b, const double* c, double q, std::size_t n);
SCIPERF_CPU_STREAM_PATH(scalar)
SCIPERF_CPU_STREAM_PATH(avx2)
SCIPERF_CPU_STREAM_PATH(avx512)
#undef SCIPERF_CPU_STREAM_PATH

// Peak: `iterations` rounds of independent multiply-add chains; returns a value derived from
// every accumulator (so nothing is optimized away) and sets ops to the operations done.
double peak_fp32_scalar(std::uint64_t iterations, double& ops);
double peak_fp32_avx2(std::uint64_t iterations, double& ops);
double peak_fp32_avx512(std::uint64_t iterations, double& ops);
double peak_fp64_scalar(std::uint64_t iterations, double& ops);
double peak_fp64_avx2(std::uint64_t iterations, double& ops);
double peak_fp64_avx512(std::uint64_t iterations, double& ops);
double peak_bf16_avx512bf16(std::uint64_t iterations, double& ops);
double peak_int8_avx2(std::uint64_t iterations, double& ops);
double peak_int8_avxvnni(std::uint64_t iterations, double& ops);
double peak_int8_avx512vnni(std::uint64_t iterations, double& ops);

// Activation quantization (quantize.h): the extremes of x[0, n), and x[0, n) to levels.
void min_max_avx512(const float* x, std::size_t n, float& lo, float& hi);
void quantize_u8_avx512(const float* x, std::size_t n, float inverse_scale, std::int32_t zero_point, std::uint8_t* q);

}  // namespace sciperf::kernels::cpu::detail
