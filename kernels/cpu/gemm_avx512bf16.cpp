// AVX512_BF16 path of the bf16 GEMM (compiled with -mavx512f -mavx512bw -mavx512bf16).
//
// Slots are k-pairs of bf16 (k even in the low half). vdpbf16ps multiplies the pair in each
// 32-bit lane and adds both products to the fp32 accumulator, so a broadcast A pair against
// a B vector of 16 columns' pairs does 32 multiply-adds. Same 14 x 32 tile as fp32.
// 88 % of the measured bf16 peak at 512^3 (accumulating in place; the copy-first form of the
// peak loop, see peak_avx512vnni.cpp, made the GEMM ~25 % slower).
#include <immintrin.h>

#include "kernels/cpu/detail/gemm_blocked.h"
#include "kernels/cpu/detail/pack_a_avx512.h"
#include "kernels/cpu/gemm.h"

namespace sciperf::kernels::cpu::detail {
namespace {

constexpr int kMR = 14;
constexpr int kNR = 32;

template <int R>
inline void micro_bf16_14x32(std::int64_t kc, const std::uint32_t* a, const std::uint32_t* b, float* c,
                             std::int64_t ldc, bool accumulate) {
  __m512 acc[kMR][2];
#pragma GCC unroll 14
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    // Fetch the C tile now, behind the k loop, rather than stalling on it at the end: C is
    // the one operand that is not packed and often comes from far away (DRAM for large C).
#pragma GCC unroll 14
  for (int r = 0; r < R; ++r) {
    _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc + 16), _MM_HINT_T0);
  }
  for (std::int64_t k = 0; k < kc; ++k) {
    const __m512bh b0 = (__m512bh)_mm512_load_si512(b);
    const __m512bh b1 = (__m512bh)_mm512_load_si512(b + 16);
#pragma GCC unroll 14
    for (int r = 0; r < R; ++r) {
      const __m512bh ar = (__m512bh)_mm512_set1_epi32(static_cast<int>(a[r]));
      acc[r][0] = _mm512_dpbf16_ps(acc[r][0], ar, b0);
      acc[r][1] = _mm512_dpbf16_ps(acc[r][1], ar, b1);
    }
    a += kMR;
    b += kNR;
  }
#pragma GCC unroll 14
  for (int r = 0; r < R; ++r) {
    float* row = c + r * ldc;
    if (accumulate) {
      acc[r][0] = _mm512_add_ps(acc[r][0], _mm512_loadu_ps(row));
      acc[r][1] = _mm512_add_ps(acc[r][1], _mm512_loadu_ps(row + 16));
    }
    _mm512_storeu_ps(row, acc[r][0]);
    _mm512_storeu_ps(row + 16, acc[r][1]);
  }
}

// The first `rows` rows of the tile only (the bottom edge of M), so that a short M does not
// pay for a full 14-row tile.
inline void micro_bf16_14x32_rows(int rows, std::int64_t kc, const std::uint32_t* a, const std::uint32_t* b, float* c,
                                  std::int64_t ldc, bool accumulate) {
  // clang-format off
  switch (rows) {
#define SCIPERF_ROWS(n) case n: return micro_bf16_14x32<n>(kc, a, b, c, ldc, accumulate);
    SCIPERF_ROWS(1) SCIPERF_ROWS(2) SCIPERF_ROWS(3) SCIPERF_ROWS(4) SCIPERF_ROWS(5) SCIPERF_ROWS(6) SCIPERF_ROWS(7)
    SCIPERF_ROWS(8) SCIPERF_ROWS(9) SCIPERF_ROWS(10) SCIPERF_ROWS(11) SCIPERF_ROWS(12) SCIPERF_ROWS(13)
#undef SCIPERF_ROWS
    default: return micro_bf16_14x32<kMR>(kc, a, b, c, ldc, accumulate);
  }
  // clang-format on
}

struct Bf16Traits {
  using InA = Bf16;
  using InB = Bf16;
  using Out = float;
  using Slot = std::uint32_t;
  static constexpr int kMR = detail::kMR, kNR = detail::kNR, kKG = 2;
  // KC in slots (k-groups); chosen as for fp32 (see gemm_avx512.cpp): fewer passes over C,
  // B micro-panel (64 KiB) and A block (168 KiB) from L2. +4-9 % over KC 256 at 2048^3.
  static constexpr std::int64_t kKC = 512, kMC = 14 * 6, kNC = 1024;
  static void pack_a_panel(const InA* src, std::int64_t lda, std::int64_t rows, std::int64_t kc, std::int64_t k_left,
                           Slot* dst) {
    pack_a_panel_transposed<Bf16Traits>(src, lda, rows, kc, k_left, dst);
  }
  static std::uint32_t a_slot(const Bf16* p, int count) {
    return static_cast<std::uint32_t>(p[0].bits) | (count > 1 ? static_cast<std::uint32_t>(p[1].bits) << 16 : 0u);
  }
  static std::uint32_t b_slot(const Bf16* p, std::int64_t ldb, int count) {
    return static_cast<std::uint32_t>(p[0].bits) | (count > 1 ? static_cast<std::uint32_t>(p[ldb].bits) << 16 : 0u);
  }
  // 32 columns of two consecutive rows into 32 k-pairs.
  static void pack_b_row(const Bf16* p, std::int64_t ldb, std::uint32_t* out) {
    for (int j = 0; j < kNR; j += 8) {
      const __m128i r0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + j));
      const __m128i r1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + ldb + j));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j), _mm_unpacklo_epi16(r0, r1));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j + 4), _mm_unpackhi_epi16(r0, r1));
    }
  }
  static void micro(std::int64_t kc, const std::uint32_t* a, const std::uint32_t* b, float* c, std::int64_t ldc,
                    bool accumulate) {
    micro_bf16_14x32<kMR>(kc, a, b, c, ldc, accumulate);
  }
  static void micro_rows(int rows, std::int64_t kc, const std::uint32_t* a, const std::uint32_t* b, float* c,
                         std::int64_t ldc, bool accumulate) {
    micro_bf16_14x32_rows(rows, kc, a, b, c, ldc, accumulate);
  }
};

}  // namespace

SCIPERF_CPU_GEMM_EXPORT(gemm_bf16_avx512bf16, Bf16Traits)

}  // namespace sciperf::kernels::cpu::detail
