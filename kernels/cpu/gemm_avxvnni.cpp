// AVX-VNNI path of the u8 x s8 -> s32 GEMM (compiled with -mavx2 -mfma -mavxvnni): the
// VEX-encoded 256-bit vpdpbusd of CPUs with AVX-VNNI but no AVX-512 (Alder Lake and later
// client cores). Slots are k-quads; 6 x 16 tile in the 16 ymm registers.
#include <immintrin.h>

#include "kernels/cpu/detail/gemm_blocked.h"
#include "kernels/cpu/gemm.h"

namespace sciperf::kernels::cpu::detail {
namespace {

// acc += u8(a) . s8(b) per 32-bit lane, VEX-encoded ({vex}, escaped for GCC asm; "x" keeps
// to ymm0-15, which VEX can address). Inline asm for the reason in gemm_avx512vnni.cpp.
inline void dpbusd(__m256i& acc, __m256i a, __m256i b) {
  __asm__("%{vex%} vpdpbusd %2, %1, %0" : "+x"(acc) : "x"(a), "x"(b));
}

inline void micro_u8s8_6x16(std::int64_t kc, const std::uint32_t* a, const std::uint32_t* b, std::int32_t* c,
                            std::int64_t ldc, bool accumulate) {
  constexpr int MR = 6, NR = 16;
  __m256i acc[MR][2];
#pragma GCC unroll 6
  for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  for (int r = 0; r < MR; ++r) _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc), _MM_HINT_T0);  // C tile, early
  for (std::int64_t k = 0; k < kc; ++k) {
    const __m256i b0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b));
    const __m256i b1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b + 8));
#pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) {
      const __m256i ar = _mm256_set1_epi32(static_cast<int>(a[r]));
      dpbusd(acc[r][0], ar, b0);
      dpbusd(acc[r][1], ar, b1);
    }
    a += MR;
    b += NR;
  }
#pragma GCC unroll 6
  for (int r = 0; r < MR; ++r) {
    auto* row = reinterpret_cast<__m256i*>(c + r * ldc);
    if (accumulate) {
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_loadu_si256(row));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_loadu_si256(row + 1));
    }
    _mm256_storeu_si256(row, acc[r][0]);
    _mm256_storeu_si256(row + 1, acc[r][1]);
  }
}

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
  static constexpr int kMR = 6, kNR = 16, kKG = 4;
  static constexpr std::int64_t kKC = 256, kMC = 6 * 40, kNC = 2048;
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
    interleave_quads_16(p, ldb, out);
  }
  static void micro(std::int64_t kc, const std::uint32_t* a, const std::uint32_t* b, std::int32_t* c, std::int64_t ldc,
                    bool accumulate) {
    micro_u8s8_6x16(kc, a, b, c, ldc, accumulate);
  }
};

}  // namespace

SCIPERF_CPU_GEMM_EXPORT(gemm_i8_avxvnni, U8S8Traits)

}  // namespace sciperf::kernels::cpu::detail
