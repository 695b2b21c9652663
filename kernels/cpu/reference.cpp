#include "kernels/cpu/reference.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "kernels/cpu/detail/lcg.h"

namespace sciperf::kernels::cpu {
namespace {

template <class TA, class TB, class ToDouble>
GemmReference dense_reference(std::int64_t M, std::int64_t N, std::int64_t K, const TA* A, std::int64_t lda,
                              const TB* B, std::int64_t ldb, ToDouble to_double) {
  GemmReference ref;
  ref.rows = M;
  ref.cols = N;
  ref.value.assign(static_cast<std::size_t>(M * N), 0.0);
  ref.magnitude.assign(static_cast<std::size_t>(M * N), 0.0);
  ref.terms.assign(static_cast<std::size_t>(M), K);
  for (std::int64_t i = 0; i < M; ++i) {
    double* value = ref.value.data() + i * N;
    double* magnitude = ref.magnitude.data() + i * N;
    for (std::int64_t k = 0; k < K; ++k) {
      const double a = to_double(A[i * lda + k]);
      const TB* b = B + k * ldb;
      for (std::int64_t j = 0; j < N; ++j) {
        const double bj = to_double(b[j]);
        value[j] += a * bj;
        magnitude[j] += std::fabs(a * bj);
      }
    }
  }
  return ref;
}

std::string format_position(std::int64_t i, std::int64_t j) {
  return "(" + std::to_string(i) + ", " + std::to_string(j) + ")";
}

std::string format_double(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", x);
  return buffer;
}

}  // namespace

GemmReference reference_gemm(std::int64_t M, std::int64_t N, std::int64_t K, const float* A, std::int64_t lda,
                             const float* B, std::int64_t ldb) {
  return dense_reference(M, N, K, A, lda, B, ldb, [](float x) { return static_cast<double>(x); });
}

GemmReference reference_gemm(std::int64_t M, std::int64_t N, std::int64_t K, const Bf16* A, std::int64_t lda,
                             const Bf16* B, std::int64_t ldb) {
  return dense_reference(M, N, K, A, lda, B, ldb, [](Bf16 x) { return static_cast<double>(to_float(x)); });
}

std::vector<std::int64_t> reference_gemm(std::int64_t M, std::int64_t N, std::int64_t K, const std::uint8_t* A,
                                         std::int64_t lda, const std::int8_t* B, std::int64_t ldb) {
  std::vector<std::int64_t> c(static_cast<std::size_t>(M * N), 0);
  for (std::int64_t i = 0; i < M; ++i)
    for (std::int64_t k = 0; k < K; ++k) {
      const std::int64_t a = A[i * lda + k];
      for (std::int64_t j = 0; j < N; ++j) c[static_cast<std::size_t>(i * N + j)] += a * B[k * ldb + j];
    }
  return c;
}

GemmReference reference_spmm(const CsrMatrix& A, std::int64_t N, const float* B, std::int64_t ldb) {
  GemmReference ref;
  ref.rows = A.rows;
  ref.cols = N;
  ref.value.assign(static_cast<std::size_t>(A.rows * N), 0.0);
  ref.magnitude.assign(static_cast<std::size_t>(A.rows * N), 0.0);
  ref.terms.assign(static_cast<std::size_t>(A.rows), 0);
  for (std::int64_t i = 0; i < A.rows; ++i) {
    ref.terms[static_cast<std::size_t>(i)] =
        A.row_ptr[static_cast<std::size_t>(i + 1)] - A.row_ptr[static_cast<std::size_t>(i)];
    for (std::int64_t e = A.row_ptr[static_cast<std::size_t>(i)]; e < A.row_ptr[static_cast<std::size_t>(i + 1)]; ++e) {
      const double a = A.values[static_cast<std::size_t>(e)];
      const float* b = B + static_cast<std::int64_t>(A.col_idx[static_cast<std::size_t>(e)]) * ldb;
      for (std::int64_t j = 0; j < N; ++j) {
        ref.value[static_cast<std::size_t>(i * N + j)] += a * b[j];
        ref.magnitude[static_cast<std::size_t>(i * N + j)] += std::fabs(a * b[j]);
      }
    }
  }
  return ref;
}

GemmReference reference_gemm(const Sparse24Matrix& A, std::int64_t N, const float* B, std::int64_t ldb) {
  const std::vector<float> dense = to_dense(A);
  GemmReference ref = reference_gemm(A.rows, N, A.cols, dense.data(), A.cols, B, ldb);
  // Each row's dot products have cols/2 terms.
  ref.terms.assign(static_cast<std::size_t>(A.rows), A.cols / 2);
  return ref;
}

CheckResult check_gemm(const float* C, std::int64_t ldc, const GemmReference& ref) {
  CheckResult result;
  for (std::int64_t i = 0; i < ref.rows; ++i)
    for (std::int64_t j = 0; j < ref.cols; ++j) {
      const std::size_t at = static_cast<std::size_t>(i * ref.cols + j);
      const double got = C[i * ldc + j];
      const double error = std::fabs(got - ref.value[at]);
      const double bound = dot_error_bound(ref.terms[static_cast<std::size_t>(i)], ref.magnitude[at]);
      ++result.checked;
      const bool ok = error <= bound;  // false for NaN
      if (error > result.max_error || std::isnan(error)) result.max_error = error;
      if (bound > 0) result.max_error_to_bound = std::max(result.max_error_to_bound, error / bound);
      if (!ok) {
        if (result.mismatches == 0)
          result.detail = "C" + format_position(i, j) + " = " + format_double(got) + ", reference " +
                          format_double(ref.value[at]) + ", |error| " + format_double(error) + " > bound " +
                          format_double(bound);
        ++result.mismatches;
        result.passed = false;
      }
    }
  return result;
}

CheckResult check_gemm(const std::int32_t* C, std::int64_t ldc, std::int64_t M, std::int64_t N,
                       const std::vector<std::int64_t>& ref) {
  CheckResult result;
  for (std::int64_t i = 0; i < M; ++i)
    for (std::int64_t j = 0; j < N; ++j) {
      const std::int64_t expected = ref[static_cast<std::size_t>(i * N + j)];
      const std::int64_t got = C[i * ldc + j];
      ++result.checked;
      const double error = std::fabs(static_cast<double>(got - expected));
      result.max_error = std::max(result.max_error, error);
      if (got != expected) {
        if (result.mismatches == 0)
          result.detail = "C" + format_position(i, j) + " = " + std::to_string(got) + ", reference " +
                          std::to_string(expected) + " (exact comparison)";
        ++result.mismatches;
        result.passed = false;
      }
    }
  return result;
}

CheckResult check_stream(StreamKernel kind, const double* got, const double* x, const double* y, double q,
                         std::size_t n) {
  CheckResult result;
  for (std::size_t i = 0; i < n; ++i) {
    double expected = 0;
    double size = 0;
    switch (kind) {
      case StreamKernel::copy:
        expected = x[i];
        break;
      case StreamKernel::scale:
        expected = q * x[i];
        size = std::fabs(expected);
        break;
      case StreamKernel::add:
        expected = x[i] + y[i];
        size = std::fabs(x[i]) + std::fabs(y[i]);
        break;
      case StreamKernel::triad:
        expected = x[i] + q * y[i];
        size = std::fabs(x[i]) + std::fabs(q * y[i]);
        break;
    }
    const double bound = 2 * kFp64UnitRoundoff * size;
    const double error = std::fabs(got[i] - expected);
    ++result.checked;
    result.max_error = std::max(result.max_error, error);
    if (bound > 0) result.max_error_to_bound = std::max(result.max_error_to_bound, error / bound);
    if (!(error <= bound)) {
      if (result.mismatches == 0)
        result.detail = std::string(stream_kernel_name(kind)) + "[" + std::to_string(i) +
                        "] = " + format_double(got[i]) + ", reference " + format_double(expected) + ", bound " +
                        format_double(bound);
      ++result.mismatches;
      result.passed = false;
    }
  }
  return result;
}

void fill_uniform(float* x, std::size_t n, float lo, float hi, std::uint64_t seed) {
  detail::Lcg rng(seed);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(lo + (hi - lo) * rng.uniform());
}

void fill_uniform(double* x, std::size_t n, double lo, double hi, std::uint64_t seed) {
  detail::Lcg rng(seed);
  for (std::size_t i = 0; i < n; ++i) x[i] = lo + (hi - lo) * rng.uniform();
}

void fill_uniform(Bf16* x, std::size_t n, float lo, float hi, std::uint64_t seed) {
  detail::Lcg rng(seed);
  for (std::size_t i = 0; i < n; ++i) x[i] = to_bf16(static_cast<float>(lo + (hi - lo) * rng.uniform()));
}

void fill_uniform(std::uint8_t* x, std::size_t n, std::uint64_t seed) {
  detail::Lcg rng(seed);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<std::uint8_t>(rng.next() >> 56);
}

void fill_uniform(std::int8_t* x, std::size_t n, std::uint64_t seed) {
  detail::Lcg rng(seed);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<std::int8_t>(static_cast<std::uint8_t>(rng.next() >> 56));
}

}  // namespace sciperf::kernels::cpu
