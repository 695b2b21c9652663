// bf16 peak (compiled with -mavx512f -mavx512bw -mavx512bf16): 24 chains of vdpbf16ps,
// each 32 bf16 multiply-adds into 16 fp32 lanes.
#include <immintrin.h>

#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu::detail {
namespace {
// Copy, then accumulate (in inline asm): in this loop in-place chains are ~3x slower on
// Zen 5, see peak_avx512vnni.cpp.
inline void dpbf16(__m512& acc, __m512i a, __m512i b) {
  __m512 out;
  __asm__("vmovaps %1, %0\n\tvdpbf16ps %3, %2, %0" : "=&v"(out) : "v"(acc), "v"(a), "v"(b));
  acc = out;
}
}  // namespace

double peak_bf16_avx512bf16(std::uint64_t iterations, double& ops) {
  constexpr int kChains = 24;
  __m512 acc[kChains];
#pragma GCC unroll 24
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_ps(0.001f * static_cast<float>(c));
  // 2^-10 in bf16 is 0x3a80: each round adds 2 * 2^-20 per lane, no overflow in any run.
  const __m512i x = _mm512_set1_epi16(0x3a80);
  const __m512i y = _mm512_set1_epi16(0x3a80);
  for (std::uint64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 24
    for (int c = 0; c < kChains; ++c) dpbf16(acc[c], x, y);
  }
  ops = 2.0 * 32 * kChains * static_cast<double>(iterations);
  double sum = 0;
  for (int c = 0; c < kChains; ++c) sum += _mm512_reduce_add_ps(acc[c]);
  return sum;
}

}  // namespace sciperf::kernels::cpu::detail
