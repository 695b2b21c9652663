// AVX-512 sparse x dense paths (CSR and 2:4; compiled with -mavx512f -mavx512bw -mfma).
// A row of C is built 128 columns at a time in 8 zmm accumulators: per entry one broadcast
// and 8 multiply-adds with B's row loaded straight into the FMA; then 16 columns at a time,
// then a masked tail.
#include <immintrin.h>

#include "kernels/cpu/detail/sparse_rows.h"

namespace sciperf::kernels::cpu::detail {
namespace {

struct UpdateRow {
  template <class Row>
  void operator()(const Row& row, const float* B, std::int64_t ldb, std::int64_t n, float* c) const {
    constexpr int kU = 8, kW = 16;
    const std::int64_t count = row.count();
    std::int64_t j0 = 0;
    for (; j0 + kU * kW <= n; j0 += kU * kW) {
      __m512 acc[kU];
#pragma GCC unroll 8
      for (int u = 0; u < kU; ++u) acc[u] = _mm512_setzero_ps();
      for (std::int64_t e = 0; e < count; ++e) {
        const __m512 v = _mm512_set1_ps(row.value(e));
        const float* b = B + row.col(e) * ldb + j0;
#pragma GCC unroll 8
        for (int u = 0; u < kU; ++u) acc[u] = _mm512_fmadd_ps(v, _mm512_loadu_ps(b + u * kW), acc[u]);
      }
#pragma GCC unroll 8
      for (int u = 0; u < kU; ++u) _mm512_storeu_ps(c + j0 + u * kW, acc[u]);
    }
    for (; j0 < n; j0 += kW) {
      const std::int64_t left = n - j0;
      const __mmask16 mask = left >= kW ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << left) - 1u);
      __m512 acc = _mm512_setzero_ps();
      for (std::int64_t e = 0; e < count; ++e) {
        const float* b = B + row.col(e) * ldb + j0;
        acc = _mm512_fmadd_ps(_mm512_set1_ps(row.value(e)), _mm512_maskz_loadu_ps(mask, b), acc);
      }
      _mm512_mask_storeu_ps(c + j0, mask, acc);
    }
  }
};

}  // namespace

void spmm_csr_avx512(const SpmmArgs& p) { spmm_rows(p, UpdateRow{}); }
void gemm_sparse24_avx512(const Sparse24Args& p) { sparse24_rows(p, UpdateRow{}); }

}  // namespace sciperf::kernels::cpu::detail
