// int8 peak with AVX-VNNI (compiled with -mavx2 -mfma -mavxvnni): 12 chains of the 256-bit
// vpdpbusd, each 32 u8 x s8 multiply-adds into 8 int32 lanes.
#include <immintrin.h>

#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu::detail {
namespace {
// Copy, then accumulate (in inline asm): in this loop in-place chains are ~3x slower on
// Zen 5, see peak_avx512vnni.cpp.
inline void dpbusd(__m256i& acc, __m256i a, __m256i b) {
  __m256i out;
  __asm__("vmovdqa %1, %0\n\t%{vex%} vpdpbusd %3, %2, %0" : "=&x"(out) : "x"(acc), "x"(a), "x"(b));
  acc = out;
}
}  // namespace

double peak_int8_avxvnni(std::uint64_t iterations, double& ops) {
  constexpr int kChains = 12;
  __m256i acc[kChains];
#pragma GCC unroll 12
  for (int c = 0; c < kChains; ++c) acc[c] = _mm256_set1_epi32(c);
  const __m256i x = _mm256_set1_epi8(3);
  const __m256i y = _mm256_set1_epi8(-2);
  for (std::uint64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (int c = 0; c < kChains; ++c) dpbusd(acc[c], x, y);
  }
  ops = 2.0 * 32 * kChains * static_cast<double>(iterations);
  alignas(32) std::int32_t lanes[8];
  double sum = 0;
  for (int c = 0; c < kChains; ++c) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), acc[c]);
    for (std::int32_t v : lanes) sum += v;
  }
  return sum;
}

}  // namespace sciperf::kernels::cpu::detail
