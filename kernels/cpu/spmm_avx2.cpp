// AVX2 sparse x dense paths (CSR and 2:4; compiled with -mavx2 -mfma). A row of C is built
// 64 columns at a time in 8 ymm accumulators, then 8 at a time, then a scalar tail.
#include <immintrin.h>

#include "kernels/cpu/detail/sparse_rows.h"

namespace sciperf::kernels::cpu::detail {
namespace {

struct UpdateRow {
  template <class Row>
  void operator()(const Row& row, const float* B, std::int64_t ldb, std::int64_t n, float* c) const {
    constexpr int kU = 8, kW = 8;
    const std::int64_t count = row.count();
    std::int64_t j0 = 0;
    for (; j0 + kU * kW <= n; j0 += kU * kW) {
      __m256 acc[kU];
#pragma GCC unroll 8
      for (int u = 0; u < kU; ++u) acc[u] = _mm256_setzero_ps();
      for (std::int64_t e = 0; e < count; ++e) {
        const __m256 v = _mm256_set1_ps(row.value(e));
        const float* b = B + row.col(e) * ldb + j0;
#pragma GCC unroll 8
        for (int u = 0; u < kU; ++u) acc[u] = _mm256_fmadd_ps(v, _mm256_loadu_ps(b + u * kW), acc[u]);
      }
#pragma GCC unroll 8
      for (int u = 0; u < kU; ++u) _mm256_storeu_ps(c + j0 + u * kW, acc[u]);
    }
    for (; j0 + kW <= n; j0 += kW) {
      __m256 acc = _mm256_setzero_ps();
      for (std::int64_t e = 0; e < count; ++e)
        acc = _mm256_fmadd_ps(_mm256_set1_ps(row.value(e)), _mm256_loadu_ps(B + row.col(e) * ldb + j0), acc);
      _mm256_storeu_ps(c + j0, acc);
    }
    for (; j0 < n; ++j0) {
      float acc = 0.0f;
      for (std::int64_t e = 0; e < count; ++e) acc = __builtin_fmaf(row.value(e), B[row.col(e) * ldb + j0], acc);
      c[j0] = acc;
    }
  }
};

}  // namespace

void spmm_csr_avx2(const SpmmArgs& p) { spmm_rows(p, UpdateRow{}); }
void gemm_sparse24_avx2(const Sparse24Args& p) { sparse24_rows(p, UpdateRow{}); }

}  // namespace sciperf::kernels::cpu::detail
