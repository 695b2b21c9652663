// Packing an A panel with AVX-512 when a slot is exactly 4 consecutive bytes of a row of A
// (fp32, a bf16 pair, an int8 quad): 16 slots of up to 16 rows are loaded as 16 vectors,
// transposed in registers, and stored as 16 runs of MR slots. Several times faster than
// slot-by-slot packing, which dominates when N is small (each A element is then used only a
// few times). Include only from AVX-512 translation units (see gemm_blocked.h).
#pragma once

#include <immintrin.h>

#include "kernels/cpu/detail/gemm_blocked.h"

namespace sciperf::kernels::cpu::detail {
namespace {

// r[i] lane j  ->  r[j] lane i, for 16 x 16 32-bit elements.
inline void transpose_16x16(__m512 r[16]) {
  __m512 t[16];
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  // r[4i + j], lane L: rows 4i..4i+3 of column 4L + j
#pragma GCC unroll 4
  for (int i = 0; i < 4; ++i) {
    const __m512d a = _mm512_castps_pd(t[4 * i]), b = _mm512_castps_pd(t[4 * i + 1]);
    const __m512d c = _mm512_castps_pd(t[4 * i + 2]), d = _mm512_castps_pd(t[4 * i + 3]);
    r[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
    r[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
    r[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
    r[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
  }
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) {
    t[j] = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x88);
    t[4 + j] = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xdd);
    t[8 + j] = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x88);
    t[12 + j] = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xdd);
  }
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) {
    r[j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0x88);
    r[8 + j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0xdd);
    r[4 + j] = _mm512_shuffle_f32x4(t[4 + j], t[12 + j], 0x88);
    r[12 + j] = _mm512_shuffle_f32x4(t[4 + j], t[12 + j], 0xdd);
  }
}

// T::kMR <= 16 rows, 4-byte slots made of T::kKG consecutive elements of a row.
template <class T>
void pack_a_panel_transposed(const typename T::InA* src, std::int64_t lda, std::int64_t rows, std::int64_t kc,
                             std::int64_t k_left, typename T::Slot* dst) {
  static_assert(T::kMR <= 16 && sizeof(typename T::InA) * T::kKG == 4 && sizeof(typename T::Slot) == 4);
  constexpr int MR = T::kMR;
  constexpr __mmask16 kRowsMask = static_cast<__mmask16>((1u << MR) - 1u);
  const std::int64_t full = min_i64(kc, k_left / T::kKG);  // slots with every k valid
  std::int64_t g = 0;
  for (; g + 16 <= full; g += 16) {
    __m512 v[16];
#pragma GCC unroll 16
    for (int r = 0; r < 16; ++r)
      v[r] =
          r < rows ? _mm512_loadu_ps(reinterpret_cast<const float*>(src + r * lda + g * T::kKG)) : _mm512_setzero_ps();
    transpose_16x16(v);
#pragma GCC unroll 16
    for (int k = 0; k < 16; ++k) _mm512_mask_storeu_ps(reinterpret_cast<float*>(dst + (g + k) * MR), kRowsMask, v[k]);
  }
  pack_a_slots<T>(src, lda, rows, g, kc, k_left, dst);
}

}  // namespace
}  // namespace sciperf::kernels::cpu::detail
