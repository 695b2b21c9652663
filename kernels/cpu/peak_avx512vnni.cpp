// int8 peak with AVX512_VNNI (compiled with -mavx512f -mavx512bw -mavx512vnni): 16 chains of
// vpdpbusd, each 64 u8 x s8 multiply-adds into 16 int32 lanes (wrapping is harmless here).
#include <immintrin.h>

#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu::detail {
namespace {
// acc += u8(a) . s8(b), copying the accumulator into the destination register first.
// Measured on this Zen 5 (2 vCPU EPYC): in this loop, where every chain multiplies the same
// two registers, chains that accumulate in place (same register in and out) run at ~1 per
// 15 cycles each, while with the copy (vmovdqa64) each runs at ~1 per 4 cycles, so 12-16
// chains reach 2 instructions per cycle (1100 vs 440 Gop/s at 12 chains). Likewise for
// vdpbf16ps and the 256-bit vpdpbusd; vfmadd231ps is unaffected. (The GEMM micro-kernels,
// with different operands per instruction, are faster in place.) Inline asm also because
// GCC 12 keeps many _mm512_dpbusd_epi32 accumulators in memory.
inline void dpbusd(__m512i& acc, __m512i a, __m512i b) {
  __m512i out;
  __asm__("vmovdqa64 %1, %0\n\tvpdpbusd %3, %2, %0" : "=&v"(out) : "v"(acc), "v"(a), "v"(b));
  acc = out;
}
}  // namespace

double peak_int8_avx512vnni(std::uint64_t iterations, double& ops) {
  constexpr int kChains = 16;
  __m512i acc[kChains];
#pragma GCC unroll 24
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_epi32(c);
  const __m512i x = _mm512_set1_epi8(3);
  const __m512i y = _mm512_set1_epi8(-2);
  for (std::uint64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 24
    for (int c = 0; c < kChains; ++c) dpbusd(acc[c], x, y);
  }
  ops = 2.0 * 64 * kChains * static_cast<double>(iterations);
  double sum = 0;
  for (int c = 0; c < kChains; ++c) sum += _mm512_reduce_add_epi32(acc[c]);
  return sum;
}

}  // namespace sciperf::kernels::cpu::detail
