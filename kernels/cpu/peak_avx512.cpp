// AVX-512 peak loops (compiled with -mavx512f -mavx512bw -mfma): 24 zmm accumulator chains,
// well above FMA latency x pipes (4 x 2 on Zen 4/5, 4 x 2 on Intel server cores).
#include <immintrin.h>

#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu::detail {
namespace {
constexpr int kChains = 24;
}

double peak_fp32_avx512(std::uint64_t iterations, double& ops) {
  __m512 acc[kChains];
#pragma GCC unroll 24
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_ps(0.001f * static_cast<float>(c));
  const __m512 x = _mm512_set1_ps(0.999999f);
  const __m512 y = _mm512_set1_ps(1e-6f);
  for (std::uint64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 24
    for (int c = 0; c < kChains; ++c) acc[c] = _mm512_fmadd_ps(acc[c], x, y);
  }
  ops = 2.0 * 16 * kChains * static_cast<double>(iterations);
  double sum = 0;
  for (int c = 0; c < kChains; ++c) sum += _mm512_reduce_add_ps(acc[c]);
  return sum;
}

double peak_fp64_avx512(std::uint64_t iterations, double& ops) {
  __m512d acc[kChains];
#pragma GCC unroll 24
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_pd(0.001 * c);
  const __m512d x = _mm512_set1_pd(0.999999);
  const __m512d y = _mm512_set1_pd(1e-6);
  for (std::uint64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 24
    for (int c = 0; c < kChains; ++c) acc[c] = _mm512_fmadd_pd(acc[c], x, y);
  }
  ops = 2.0 * 8 * kChains * static_cast<double>(iterations);
  double sum = 0;
  for (int c = 0; c < kChains; ++c) sum += _mm512_reduce_add_pd(acc[c]);
  return sum;
}

}  // namespace sciperf::kernels::cpu::detail
