// AVX512_VNNI path of the u8 x s8 -> s32 GEMM (compiled with -mavx512f -mavx512bw
// -mavx512vnni).
//
// Slots are k-quads of bytes. vpdpbusd multiplies the four u8 x s8 pairs in each 32-bit lane
// and adds them to the int32 accumulator: a broadcast A quad against a B vector of 16
// columns' quads does 64 multiply-adds, exactly (no intermediate saturation). 14 x 32 tile.
#include <immintrin.h>

#include "kernels/cpu/detail/gemm_blocked.h"
#include "kernels/cpu/detail/pack_a_avx512.h"
#include "kernels/cpu/gemm.h"

namespace sciperf::kernels::cpu::detail {
namespace {

constexpr int kMR = 14;
constexpr int kNR = 32;

// acc += u8(a) . s8(b) per 32-bit lane, in inline asm: GCC 12, given _mm512_dpbusd_epi32
// on 28 accumulators, keeps them in memory (a store and a register copy per instruction,
// a third of the speed); with asm it keeps them in registers as it does for FMAs.
// Accumulating in place is right here (86 % of the measured int8 peak at 512^3); copying each
// accumulator first, as the peak loop does (see peak_avx512vnni.cpp), made the GEMM ~25 %
// slower.
inline void dpbusd(__m512i& acc, __m512i a, __m512i b) { __asm__("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(b)); }

template <int R>
inline void micro_u8s8_14x32(std::int64_t kc, const std::uint32_t* a, const std::uint32_t* b, std::int32_t* c,
                             std::int64_t ldc, bool accumulate) {
  __m512i acc[kMR][2];
#pragma GCC unroll 14
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_si512();
    // Fetch the C tile now, behind the k loop, rather than stalling on it at the end: C is
    // the one operand that is not packed and often comes from far away (DRAM for large C).
#pragma GCC unroll 14
  for (int r = 0; r < R; ++r) {
    _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc + 16), _MM_HINT_T0);
  }
  for (std::int64_t k = 0; k < kc; ++k) {
    const __m512i b0 = _mm512_load_si512(b);
    const __m512i b1 = _mm512_load_si512(b + 16);
#pragma GCC unroll 14
    for (int r = 0; r < R; ++r) {
      const __m512i ar = _mm512_set1_epi32(static_cast<int>(a[r]));
      dpbusd(acc[r][0], ar, b0);
      dpbusd(acc[r][1], ar, b1);
    }
    a += kMR;
    b += kNR;
  }
#pragma GCC unroll 14
  for (int r = 0; r < R; ++r) {
    std::int32_t* row = c + r * ldc;
    if (accumulate) {
      acc[r][0] = _mm512_add_epi32(acc[r][0], _mm512_loadu_si512(row));
      acc[r][1] = _mm512_add_epi32(acc[r][1], _mm512_loadu_si512(row + 16));
    }
    _mm512_storeu_si512(row, acc[r][0]);
    _mm512_storeu_si512(row + 16, acc[r][1]);
  }
}

// The first `rows` rows of the tile only (the bottom edge of M), so that a short M does not
// pay for a full 14-row tile.
inline void micro_u8s8_14x32_rows(int rows, std::int64_t kc, const std::uint32_t* a, const std::uint32_t* b,
                                  std::int32_t* c, std::int64_t ldc, bool accumulate) {
  // clang-format off
  switch (rows) {
#define SCIPERF_ROWS(n) case n: return micro_u8s8_14x32<n>(kc, a, b, c, ldc, accumulate);
    SCIPERF_ROWS(1) SCIPERF_ROWS(2) SCIPERF_ROWS(3) SCIPERF_ROWS(4) SCIPERF_ROWS(5) SCIPERF_ROWS(6) SCIPERF_ROWS(7)
    SCIPERF_ROWS(8) SCIPERF_ROWS(9) SCIPERF_ROWS(10) SCIPERF_ROWS(11) SCIPERF_ROWS(12) SCIPERF_ROWS(13)
#undef SCIPERF_ROWS
    default: return micro_u8s8_14x32<kMR>(kc, a, b, c, ldc, accumulate);
  }
  // clang-format on
}

// Four bytes of one row (k, k+1, k+2, k+3), zero beyond K.
inline std::uint32_t quad(const std::uint8_t* p, std::int64_t stride, int count) {
  std::uint32_t v = 0;
  for (int i = 0; i < count; ++i) v |= static_cast<std::uint32_t>(p[i * stride]) << (8 * i);
  return v;
}

// 16 columns of four consecutive rows of B into 16 k-quads (a 4 x 16 byte transpose).
inline void interleave_quads_16(const std::int8_t* p, std::int64_t ldb, std::uint32_t* out) {
  const __m128i r0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i r1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + ldb));
  const __m128i r2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2 * ldb));
  const __m128i r3 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 3 * ldb));
  const __m128i t0 = _mm_unpacklo_epi8(r0, r1), t1 = _mm_unpackhi_epi8(r0, r1);
  const __m128i t2 = _mm_unpacklo_epi8(r2, r3), t3 = _mm_unpackhi_epi8(r2, r3);
  auto* o = reinterpret_cast<__m128i*>(out);
  _mm_storeu_si128(o + 0, _mm_unpacklo_epi16(t0, t2));
  _mm_storeu_si128(o + 1, _mm_unpackhi_epi16(t0, t2));
  _mm_storeu_si128(o + 2, _mm_unpacklo_epi16(t1, t3));
  _mm_storeu_si128(o + 3, _mm_unpackhi_epi16(t1, t3));
}

struct U8S8Traits {
  using InA = std::uint8_t;
  using InB = std::int8_t;
  using Out = std::int32_t;
  using Slot = std::uint32_t;
  static constexpr int kMR = detail::kMR, kNR = detail::kNR, kKG = 4;
  // KC in slots (k-groups); chosen as for fp32 (see gemm_avx512.cpp): fewer passes over C,
  // B micro-panel (64 KiB) and A block (168 KiB) from L2. +4-9 % over KC 256 at 2048^3.
  static constexpr std::int64_t kKC = 512, kMC = 14 * 6, kNC = 1024;
  static void pack_a_panel(const InA* src, std::int64_t lda, std::int64_t rows, std::int64_t kc, std::int64_t k_left,
                           Slot* dst) {
    pack_a_panel_transposed<U8S8Traits>(src, lda, rows, kc, k_left, dst);
  }
  static std::uint32_t a_slot(const std::uint8_t* p, int count) {
    if (count == 4) {
      std::uint32_t v;
      std::memcpy(&v, p, 4);
      return v;
    }
    return quad(p, 1, count);
  }
  static std::uint32_t b_slot(const std::int8_t* p, std::int64_t ldb, int count) {
    return quad(reinterpret_cast<const std::uint8_t*>(p), ldb, count);
  }
  static void pack_b_row(const std::int8_t* p, std::int64_t ldb, std::uint32_t* out) {
    for (int j = 0; j < kNR; j += 16) interleave_quads_16(p + j, ldb, out + j);
  }
  static void micro(std::int64_t kc, const std::uint32_t* a, const std::uint32_t* b, std::int32_t* c, std::int64_t ldc,
                    bool accumulate) {
    micro_u8s8_14x32<kMR>(kc, a, b, c, ldc, accumulate);
  }
  static void micro_rows(int rows, std::int64_t kc, const std::uint32_t* a, const std::uint32_t* b, std::int32_t* c,
                         std::int64_t ldc, bool accumulate) {
    micro_u8s8_14x32_rows(rows, kc, a, b, c, ldc, accumulate);
  }
};

}  // namespace

SCIPERF_CPU_GEMM_EXPORT(gemm_i8_avx512vnni, U8S8Traits)

}  // namespace sciperf::kernels::cpu::detail
