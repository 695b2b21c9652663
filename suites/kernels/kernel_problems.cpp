#include "suites/kernels/kernel_problems.h"

#include "kernels/comm/half_precision.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace sciperf::suites::kernels {
namespace {

// A and B get independent streams of the case's seed.
std::uint64_t seed_of_b(std::uint64_t seed) { return seed ^ 0x9E3779B97F4A7C15ull; }

std::size_t count(std::int64_t rows, std::int64_t cols) { return static_cast<std::size_t>(rows * cols); }

double dense_traffic(std::int64_t m, std::int64_t n, std::int64_t k, double a_bytes, double b_bytes, double c_bytes) {
  return static_cast<double>(m * k) * a_bytes + static_cast<double>(k * n) * b_bytes + static_cast<double>(m * n) * c_bytes;
}

// kernels/cpu's generators and references, and the same for fp16 through float.
using cpu::fill_uniform;
using cpu::reference_gemm;

void fill_uniform(Fp16* x, std::size_t n, float lo, float hi, std::uint64_t seed) {
  std::vector<float> values(n);
  cpu::fill_uniform(values.data(), n, lo, hi, seed);
  std::transform(values.begin(), values.end(), x, to_fp16);
}

std::vector<float> as_floats(const std::vector<Fp16>& x) {
  std::vector<float> values(x.size());
  std::transform(x.begin(), x.end(), values.begin(), [](Fp16 h) { return to_float(h); });
  return values;
}

template <class T>
DenseGemmProblem<T> make_dense(std::int64_t m, std::int64_t n, std::int64_t k, std::uint64_t seed) {
  DenseGemmProblem<T> p;
  p.m = m, p.n = n, p.k = k;
  p.a.resize(count(m, k));
  p.b.resize(count(k, n));
  fill_uniform(p.a.data(), p.a.size(), -1.0f, 1.0f, seed);
  fill_uniform(p.b.data(), p.b.size(), -1.0f, 1.0f, seed_of_b(seed));
  if constexpr (std::is_same_v<T, Fp16>)
    p.reference = reference_gemm(m, n, k, as_floats(p.a).data(), k, as_floats(p.b).data(), n);
  else
    p.reference = reference_gemm(m, n, k, p.a.data(), k, p.b.data(), n);
  p.operations = cpu::gemm_ops(m, n, k);
  p.bytes = dense_traffic(m, n, k, sizeof(T), sizeof(T), sizeof(float));
  return p;
}

// Traffic shared by both sparse formats: B read, C written.
double dense_operand_traffic(std::int64_t m, std::int64_t n, std::int64_t k) { return dense_traffic(m, n, k, 0, 4, 4); }

}  // namespace

Fp32GemmProblem make_fp32_gemm(std::int64_t m, std::int64_t n, std::int64_t k, std::uint64_t seed) {
  return make_dense<float>(m, n, k, seed);
}

Bf16GemmProblem make_bf16_gemm(std::int64_t m, std::int64_t n, std::int64_t k, std::uint64_t seed) {
  return make_dense<cpu::Bf16>(m, n, k, seed);
}

Fp16GemmProblem make_fp16_gemm(std::int64_t m, std::int64_t n, std::int64_t k, std::uint64_t seed) {
  return make_dense<Fp16>(m, n, k, seed);
}

Fp16 to_fp16(float value) { return {comm::half::float_to_float16(value)}; }
float to_float(Fp16 value) { return comm::half::float16_to_float(value.bits); }

Int8GemmProblem make_int8_gemm(std::int64_t m, std::int64_t n, std::int64_t k, std::uint64_t seed) {
  Int8GemmProblem p;
  p.m = m, p.n = n, p.k = k;
  p.a.resize(count(m, k));
  p.b.resize(count(k, n));
  cpu::fill_uniform(p.a.data(), p.a.size(), seed);
  cpu::fill_uniform(p.b.data(), p.b.size(), seed_of_b(seed));
  p.reference = cpu::reference_gemm(m, n, k, p.a.data(), k, p.b.data(), n);
  p.operations = cpu::gemm_ops(m, n, k);
  p.bytes = dense_traffic(m, n, k, 1, 1, 4);
  return p;
}

SpmmProblem make_spmm(std::int64_t m, std::int64_t n, std::int64_t k, double sparsity, std::uint64_t seed) {
  SpmmProblem p;
  p.a = cpu::random_csr(m, k, sparsity, seed);
  p.n = n;
  p.b.resize(count(k, n));
  cpu::fill_uniform(p.b.data(), p.b.size(), -1.0f, 1.0f, seed_of_b(seed));
  p.reference = cpu::reference_spmm(p.a, n, p.b.data(), n);
  p.operations = cpu::spmm_ops(p.a, n);
  // Each nonzero: its value and column index; each row: its start.
  p.bytes = static_cast<double>(p.a.nnz()) * (sizeof(float) + sizeof(std::int32_t)) +
            static_cast<double>(p.a.row_ptr.size()) * sizeof(std::int64_t) + dense_operand_traffic(m, n, k);
  return p;
}

Sparse24Problem make_sparse24(std::int64_t m, std::int64_t n, std::int64_t k, std::uint64_t seed) {
  std::vector<float> dense(count(m, k));
  cpu::fill_uniform(dense.data(), dense.size(), -1.0f, 1.0f, seed);
  Sparse24Problem p;
  p.a = cpu::prune_2_4(dense.data(), m, k, k);
  p.n = n;
  p.b.resize(count(k, n));
  cpu::fill_uniform(p.b.data(), p.b.size(), -1.0f, 1.0f, seed_of_b(seed));
  p.reference = cpu::reference_gemm(p.a, n, p.b.data(), n);
  p.operations = cpu::sparse24_ops(p.a, n);
  p.bytes = static_cast<double>(p.a.values.size() * sizeof(float) + p.a.meta.size()) + dense_operand_traffic(m, n, k);
  return p;
}

StreamProblem make_stream(cpu::StreamKernel kind, std::int64_t elements, std::uint64_t seed) {
  StreamProblem p;
  p.kind = kind;
  const auto n = static_cast<std::size_t>(elements);
  for (auto* array : {&p.a, &p.b, &p.c}) array->resize(n);
  cpu::fill_uniform(p.a.data(), n, 0.5, 1.5, seed);
  cpu::fill_uniform(p.b.data(), n, 0.5, 1.5, seed_of_b(seed));
  cpu::fill_uniform(p.c.data(), n, 0.5, 1.5, seed_of_b(seed_of_b(seed)));
  // Floating-point operations per element: copy none, scale and add one, triad two.
  const double per_element = kind == cpu::StreamKernel::copy ? 0 : kind == cpu::StreamKernel::triad ? 2 : 1;
  p.operations = per_element * static_cast<double>(n);
  p.bytes = cpu::stream_bytes(kind, n);
  return p;
}

double* StreamProblem::output() {
  switch (kind) {
    case cpu::StreamKernel::scale: return b.data();
    case cpu::StreamKernel::triad: return a.data();
    default: return c.data();  // copy, add
  }
}

cpu::CheckResult StreamProblem::check() const {
  switch (kind) {
    case cpu::StreamKernel::copy: return cpu::check_stream(kind, c.data(), a.data(), nullptr, q, c.size());
    case cpu::StreamKernel::scale: return cpu::check_stream(kind, b.data(), c.data(), nullptr, q, b.size());
    case cpu::StreamKernel::add: return cpu::check_stream(kind, c.data(), a.data(), b.data(), q, c.size());
    case cpu::StreamKernel::triad: return cpu::check_stream(kind, a.data(), b.data(), c.data(), q, a.size());
  }
  return {};
}

cpu::CheckResult check_peak(const PeakObservation& first, const PeakObservation& again, double expected_operations) {
  cpu::CheckResult result;
  result.checked = 1;
  result.passed = expected_operations > 0 && first.operations == expected_operations &&
                  again.operations == expected_operations && std::isfinite(first.checksum) &&
                  again.checksum == first.checksum;
  if (!result.passed) {
    result.mismatches = 1;
    result.detail = fmt::format("checksum {} then {}, operations {} then {} (expected {})", first.checksum,
                                again.checksum, first.operations, again.operations, expected_operations);
  }
  return result;
}

cpu::CheckResult check_tensor_core_output(const cpu::GemmReference& reference, std::int64_t n, const float* c) {
  // The bound is linear in u: scaling the magnitudes scales it.
  cpu::GemmReference widened = reference;
  for (double& magnitude : widened.magnitude) magnitude *= kTensorCoreUnitRoundoff / cpu::kFp32UnitRoundoff;
  return cpu::check_gemm(c, n, widened);
}

cpu::CheckResult check_bf16_output(const Bf16GemmProblem& problem, const cpu::Bf16* c) {
  // The extra term r |ref| enters as a magnitude that the dot-product bound scales to it.
  cpu::GemmReference widened = problem.reference;
  for (std::int64_t i = 0; i < widened.rows; ++i) {
    const double per_magnitude = cpu::dot_error_bound(widened.terms[static_cast<std::size_t>(i)], 1.0);
    for (std::int64_t j = 0; j < widened.cols; ++j) {
      const std::size_t at = count(i, widened.cols) + static_cast<std::size_t>(j);
      widened.magnitude[at] += kBf16OutputRounding * std::fabs(widened.value[at]) / per_magnitude;
    }
  }
  std::vector<float> as_float(count(problem.m, problem.n));
  for (std::size_t i = 0; i < as_float.size(); ++i) as_float[i] = cpu::to_float(c[i]);
  return cpu::check_gemm(as_float.data(), problem.n, widened);
}

std::vector<std::int8_t> signed_a(const Int8GemmProblem& problem) {
  std::vector<std::int8_t> a(problem.a.size());
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::int8_t>(problem.a[i] ^ 0x80u);
  return a;
}

cpu::CheckResult check_signed_a_output(const Int8GemmProblem& problem, const std::int32_t* c) {
  std::vector<std::int64_t> column_sums(static_cast<std::size_t>(problem.n), 0);
  for (std::int64_t k = 0; k < problem.k; ++k)
    for (std::int64_t j = 0; j < problem.n; ++j)
      column_sums[static_cast<std::size_t>(j)] += problem.b[count(k, problem.n) + static_cast<std::size_t>(j)];
  std::vector<std::int64_t> shifted = problem.reference;
  for (std::size_t at = 0; at < shifted.size(); ++at) shifted[at] -= 128 * column_sums[at % column_sums.size()];
  return cpu::check_gemm(c, problem.n, problem.m, problem.n, shifted);
}

}  // namespace sciperf::suites::kernels
