// AVX2 + FMA paths of the fp32 GEMM, of the bf16 GEMM through fp32 and of the int8 GEMM
// (compiled with -mavx2 -mfma).
//
// fp32 micro-kernel 6 x 16: 12 ymm accumulators, two B vectors, one broadcast (the
// Haswell-era shape that fills the 16 ymm registers).
// int8: u8 and s8 are widened to int16 while packing, k-pairs side by side, and
// vpmaddwd multiplies and adds each pair exactly into int32 (vpmaddubsw would be one
// instruction less, but its int16 pair sums saturate: 255*127*2 > 32767).
#include <immintrin.h>

#include "kernels/cpu/detail/bf16_bits.h"
#include "kernels/cpu/detail/gemm_blocked.h"
#include "kernels/cpu/gemm.h"

namespace sciperf::kernels::cpu::detail {
namespace {

inline void micro_f32_6x16(std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc,
                           bool accumulate) {
  constexpr int MR = 6, NR = 16;
  __m256 acc[MR][2];
#pragma GCC unroll 6
  for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (int r = 0; r < MR; ++r) _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc), _MM_HINT_T0);  // C tile, early
  for (std::int64_t k = 0; k < kc; ++k) {
    const __m256 b0 = _mm256_load_ps(b);
    const __m256 b1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) {
      const __m256 ar = _mm256_broadcast_ss(a + r);
      acc[r][0] = _mm256_fmadd_ps(ar, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(ar, b1, acc[r][1]);
    }
    a += MR;
    b += NR;
  }
#pragma GCC unroll 6
  for (int r = 0; r < MR; ++r) {
    float* row = c + r * ldc;
    if (accumulate) {
      acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_loadu_ps(row));
      acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_loadu_ps(row + 8));
    }
    _mm256_storeu_ps(row, acc[r][0]);
    _mm256_storeu_ps(row + 8, acc[r][1]);
  }
}

struct Fp32Traits {
  using InA = float;
  using InB = float;
  using Out = float;
  using Slot = float;
  static constexpr int kMR = 6, kNR = 16, kKG = 1;
  static constexpr std::int64_t kKC = 256, kMC = 6 * 40, kNC = 2048;
  static float a_slot(const float* p, int) { return *p; }
  static float b_slot(const float* p, std::int64_t, int) { return *p; }
  static void micro(std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc, bool accumulate) {
    micro_f32_6x16(kc, a, b, c, ldc, accumulate);
  }
};

struct Bf16ViaFp32Traits : Fp32Traits {
  using InA = Bf16;
  using InB = Bf16;
  static float a_slot(const Bf16* p, int) { return bf16_bits_to_float(p->bits); }
  static float b_slot(const Bf16* p, std::int64_t, int) { return bf16_bits_to_float(p->bits); }
};

inline void micro_i16_4x16(std::int64_t kc, const std::uint32_t* a, const std::uint32_t* b, std::int32_t* c,
                           std::int64_t ldc, bool accumulate) {
  constexpr int MR = 4, NR = 16;
  __m256i acc[MR][2];
#pragma GCC unroll 4
  for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  for (int r = 0; r < MR; ++r) _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc), _MM_HINT_T0);  // C tile, early
  for (std::int64_t k = 0; k < kc; ++k) {
    const __m256i b0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b));
    const __m256i b1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b + 8));
#pragma GCC unroll 4
    for (int r = 0; r < MR; ++r) {
      const __m256i ar = _mm256_set1_epi32(static_cast<int>(a[r]));
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(ar, b0));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(ar, b1));
    }
    a += MR;
    b += NR;
  }
#pragma GCC unroll 4
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

struct I8Traits {
  using InA = std::uint8_t;
  using InB = std::int8_t;
  using Out = std::int32_t;
  using Slot = std::uint32_t;  // two int16: k even in the low half
  static constexpr int kMR = 4, kNR = 16, kKG = 2;
  static constexpr std::int64_t kKC = 256, kMC = 4 * 64, kNC = 2048;
  static std::uint32_t a_slot(const std::uint8_t* p, int count) {
    return static_cast<std::uint32_t>(p[0]) | (count > 1 ? static_cast<std::uint32_t>(p[1]) << 16 : 0u);
  }
  static std::uint32_t b_slot(const std::int8_t* p, std::int64_t ldb, int count) {
    const auto lo = static_cast<std::uint16_t>(static_cast<std::int16_t>(p[0]));
    const auto hi = count > 1 ? static_cast<std::uint16_t>(static_cast<std::int16_t>(p[ldb])) : std::uint16_t{0};
    return static_cast<std::uint32_t>(lo) | static_cast<std::uint32_t>(hi) << 16;
  }
  // 16 columns of two consecutive rows, sign-extended to int16, into 16 k-pairs.
  static void pack_b_row(const std::int8_t* p, std::int64_t ldb, std::uint32_t* out) {
    for (int j = 0; j < kNR; j += 8) {
      const __m128i r0 = _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + j)));
      const __m128i r1 = _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + ldb + j)));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j), _mm_unpacklo_epi16(r0, r1));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j + 4), _mm_unpackhi_epi16(r0, r1));
    }
  }
  static void micro(std::int64_t kc, const std::uint32_t* a, const std::uint32_t* b, std::int32_t* c, std::int64_t ldc,
                    bool accumulate) {
    micro_i16_4x16(kc, a, b, c, ldc, accumulate);
  }
};

}  // namespace

SCIPERF_CPU_GEMM_EXPORT(gemm_fp32_avx2, Fp32Traits)

SCIPERF_CPU_GEMM_EXPORT(gemm_bf16_avx2, Bf16ViaFp32Traits)

SCIPERF_CPU_GEMM_EXPORT(gemm_i8_avx2, I8Traits)

}  // namespace sciperf::kernels::cpu::detail
