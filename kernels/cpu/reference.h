// float64 references for the CPU kernels and the tolerances their results are held to.
//
// Tolerance (floating point): every output element is a dot product of n terms summed in
// float32, in whatever order and grouping the kernel uses, with or without fused
// multiply-adds. The classical bound (Higham, "Accuracy and Stability of Numerical
// Algorithms", 3.1) is |computed - exact| <= gamma_n * sum |a_k b_k|, gamma_n = n u / (1 - n u),
// u = 2^-24. We allow
//     bound = kToleranceFactor * (n + 1) * u * sum_k |a_k| |b_k|
// (the +1 covers the final rounding of the result, the factor 2 covers gamma's denominator
// and the float64 reference's own error with a wide margin). For bf16 inputs a and b are the
// bf16 values (their products are exact in float32), so the same bound holds. int8 GEMM is
// exact: compared for equality with an int64 reference.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/cpu/gemm.h"
#include "kernels/cpu/sparse.h"
#include "kernels/cpu/stream.h"

namespace sciperf::kernels::cpu {

inline constexpr double kFp32UnitRoundoff = 0x1p-24;
inline constexpr double kFp64UnitRoundoff = 0x1p-53;
inline constexpr double kToleranceFactor = 2.0;

// The bound above for one dot product of `terms` products whose magnitudes sum to `magnitude`.
inline double dot_error_bound(std::int64_t terms, double magnitude, double unit_roundoff = kFp32UnitRoundoff) {
  return kToleranceFactor * static_cast<double>(terms + 1) * unit_roundoff * magnitude;
}

// Exact result (in float64) of an M x N product, with per element the sum of |a||b| and per
// row the number of terms in its dot products (K for dense, the row's nonzeros for sparse).
struct GemmReference {
  std::int64_t rows = 0, cols = 0;
  std::vector<double> value;        // rows x cols, row major
  std::vector<double> magnitude;    // sum |a_k| |b_k|
  std::vector<std::int64_t> terms;  // per row
};

GemmReference reference_gemm(std::int64_t M, std::int64_t N, std::int64_t K, const float* A, std::int64_t lda,
                             const float* B, std::int64_t ldb);
GemmReference reference_gemm(std::int64_t M, std::int64_t N, std::int64_t K, const Bf16* A, std::int64_t lda,
                             const Bf16* B, std::int64_t ldb);
std::vector<std::int64_t> reference_gemm(std::int64_t M, std::int64_t N, std::int64_t K, const std::uint8_t* A,
                                         std::int64_t lda, const std::int8_t* B, std::int64_t ldb);
GemmReference reference_spmm(const CsrMatrix& A, std::int64_t N, const float* B, std::int64_t ldb);
GemmReference reference_gemm(const Sparse24Matrix& A, std::int64_t N, const float* B, std::int64_t ldb);

// Outcome of comparing a kernel's output with its reference.
struct CheckResult {
  bool passed = true;
  std::int64_t checked = 0;
  std::int64_t mismatches = 0;
  double max_error = 0;           // largest |computed - reference|
  double max_error_to_bound = 0;  // largest |error| / bound (<= 1 passes; 0 for exact checks)
  std::string detail;             // the first mismatch: where, got, expected, bound
};

// Floating point: element (i, j) passes when |C - ref| <= dot_error_bound(terms[i], magnitude).
CheckResult check_gemm(const float* C, std::int64_t ldc, const GemmReference& ref);
// Exact.
CheckResult check_gemm(const std::int32_t* C, std::int64_t ldc, std::int64_t M, std::int64_t N,
                       const std::vector<std::int64_t>& ref);

// STREAM, float64: got[i] against x[i] (copy, exact), q x[i] (scale), x[i] + y[i] (add),
// x[i] + q y[i] (triad), within 2 u (|x[i]| + |q y[i]|) (one or two roundings, fused or not).
CheckResult check_stream(StreamKernel kind, const double* got, const double* x, const double* y, double q,
                         std::size_t n);

// Deterministic inputs (a 64-bit LCG-driven generator), for tests, benchmarks and suites.
void fill_uniform(float* x, std::size_t n, float lo, float hi, std::uint64_t seed);
void fill_uniform(double* x, std::size_t n, double lo, double hi, std::uint64_t seed);
void fill_uniform(Bf16* x, std::size_t n, float lo, float hi, std::uint64_t seed);
void fill_uniform(std::uint8_t* x, std::size_t n, std::uint64_t seed);  // 0..255
void fill_uniform(std::int8_t* x, std::size_t n, std::uint64_t seed);   // -128..127

}  // namespace sciperf::kernels::cpu
