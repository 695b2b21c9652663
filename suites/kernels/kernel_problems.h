// The inputs of one kernel call, their float64 (or exact integer) reference from
// kernels/cpu/reference.h, and the check of an output against it. Our kernels and the
// library compute the same problem; the checks judge an output whoever produced it, so a
// wrong result fails its case before any time is reported.
//
// Work counts, for GFLOP/s and the roofline: `operations` counts a multiply-add as two (int8:
// integer operations); `bytes` is the compulsory traffic in our storage formats: every input
// read once and the output written once (STREAM: as STREAM counts). Real traffic is at least
// that, so the arithmetic intensity derived from it is an upper bound.
#pragma once

#include "kernels/cpu/gemm.h"
#include "kernels/cpu/reference.h"
#include "kernels/cpu/sparse.h"
#include "kernels/cpu/stream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sciperf::suites::kernels {

namespace cpu = ::sciperf::kernels::cpu;

// C (m x n, row major, ldc = n) = A (m x k) · B (k x n), both row major.
template <class T>
struct DenseGemmProblem {
  std::int64_t m = 0, n = 0, k = 0;
  std::vector<T> a, b;
  cpu::GemmReference reference;
  double operations = 0, bytes = 0;
  cpu::CheckResult check(const float* c) const { return cpu::check_gemm(c, n, reference); }
};
// IEEE binary16, as the CUDA kernels take it (no CPU kernel computes in fp16).
struct Fp16 {
  std::uint16_t bits = 0;
};
Fp16 to_fp16(float value);  // round to nearest even
float to_float(Fp16 value);

using Fp32GemmProblem = DenseGemmProblem<float>;
using Bf16GemmProblem = DenseGemmProblem<cpu::Bf16>;
using Fp16GemmProblem = DenseGemmProblem<Fp16>;

// Unsigned A times signed B, exact int32 output.
struct Int8GemmProblem {
  std::int64_t m = 0, n = 0, k = 0;
  std::vector<std::uint8_t> a;
  std::vector<std::int8_t> b;
  std::vector<std::int64_t> reference;  // m x n
  double operations = 0, bytes = 0;
  cpu::CheckResult check(const std::int32_t* c) const { return cpu::check_gemm(c, n, m, n, reference); }
};

// A sparse (m x k) times dense B (k x n, row major).
template <class Sparse>
struct SparseGemmProblem {
  Sparse a;
  std::int64_t n = 0;
  std::vector<float> b;
  cpu::GemmReference reference;
  double operations = 0, bytes = 0;
  cpu::CheckResult check(const float* c) const { return cpu::check_gemm(c, n, reference); }
};
using SpmmProblem = SparseGemmProblem<cpu::CsrMatrix>;
using Sparse24Problem = SparseGemmProblem<cpu::Sparse24Matrix>;

// STREAM's arrays; the kernel writes one of them in place (copy c, scale b, add c, triad a).
struct StreamProblem {
  cpu::StreamKernel kind = cpu::StreamKernel::triad;
  std::vector<double> a, b, c;
  double q = 3.0;  // STREAM's scalar
  double operations = 0, bytes = 0;
  double* output();
  // The output against the inputs it was computed from.
  cpu::CheckResult check() const;
};

Fp32GemmProblem make_fp32_gemm(std::int64_t m, std::int64_t n, std::int64_t k, std::uint64_t seed);
Bf16GemmProblem make_bf16_gemm(std::int64_t m, std::int64_t n, std::int64_t k, std::uint64_t seed);
// The reference is of the fp16 values (exactly representable in float).
Fp16GemmProblem make_fp16_gemm(std::int64_t m, std::int64_t n, std::int64_t k, std::uint64_t seed);
Int8GemmProblem make_int8_gemm(std::int64_t m, std::int64_t n, std::int64_t k, std::uint64_t seed);
SpmmProblem make_spmm(std::int64_t m, std::int64_t n, std::int64_t k, double sparsity, std::uint64_t seed);
// A dense random A pruned 2:4 (k % 4 == 0).
Sparse24Problem make_sparse24(std::int64_t m, std::int64_t n, std::int64_t k, std::uint64_t seed);
StreamProblem make_stream(cpu::StreamKernel kind, std::int64_t elements, std::uint64_t seed);

inline constexpr char kGemmCheckMethod[] =
    "|C - ref| <= 2 (n + 1) u sum|a||b|, u = 2^-24, against a float64 reference (kernels/cpu/reference.h)";
inline constexpr char kInt8CheckMethod[] = "exact, against an int64 reference";
inline constexpr char kStreamCheckMethod[] = "|x - ref| <= 2 u (|x| + |q y|), u = 2^-53, against float64 arithmetic";

// An output rounded to bf16, as LibTorch's bf16 matmul returns it: the dot-product bound
// plus 2^-8 |ref| (rounding to bf16 costs at most half of that).
inline constexpr double kBf16OutputRounding = 0x1p-8;
inline constexpr char kBf16OutputCheckMethod[] =
    "|C - ref| <= 2 (n + 1) u sum|a||b| + 2^-8 |ref| (output rounded to bf16), against a float64 reference";
cpu::CheckResult check_bf16_output(const Bf16GemmProblem& problem, const cpu::Bf16* c);

// Tensor cores (our WMMA kernels and cuBLAS in fp16 and bf16, fp32 accumulation): the products
// are exact, but the hardware adds them in blocks whose terms are aligned to the largest one and
// truncated, not rounded (Fasi, Higham, Mikaitis, Pranesh, "Numerical behavior of NVIDIA tensor
// cores", PeerJ CS 2021). The dot-product bound is kept with u = 2^-22 for 2^-24: twice for
// truncation, twice for the bits lost to alignment.
inline constexpr double kTensorCoreUnitRoundoff = 0x1p-22;
inline constexpr char kTensorCoreCheckMethod[] =
    "|C - ref| <= 2 (n + 1) u sum|a||b|, u = 2^-22 (tensor cores: truncated block accumulation), against a float64 "
    "reference (kernels/cpu/reference.h)";
cpu::CheckResult check_tensor_core_output(const cpu::GemmReference& reference, std::int64_t n, const float* c);
template <class T>
cpu::CheckResult check_tensor_core_output(const DenseGemmProblem<T>& problem, const float* c) {
  return check_tensor_core_output(problem.reference, problem.n, c);
}

// The peak loops keep their values in registers: there is no output to compare with a
// reference. What can be checked: the loop ran, counted its operations, and its checksum (of
// every accumulator) is finite and the same on a second run.
struct PeakObservation {
  double checksum = 0;
  double operations = 0;
};
inline constexpr char kPeakCheckMethod[] =
    "no reference (values stay in registers): operations counted, checksum finite and reproducible";
cpu::CheckResult check_peak(const PeakObservation& first, const PeakObservation& again, double expected_operations);

// The library's int8 matmul takes signed A (as do the CUDA kernels and cuBLAS): A - 128 (the
// sign bit flipped), whose exact product is the reference minus 128 times each column sum of B.
std::vector<std::int8_t> signed_a(const Int8GemmProblem& problem);
cpu::CheckResult check_signed_a_output(const Int8GemmProblem& problem, const std::int32_t* c);

}  // namespace sciperf::suites::kernels
