// AVX2 peak loops (compiled with -mavx2 -mfma): 12 ymm accumulator chains (FMA latency 4-5
// cycles x 2 pipes needs at least 10), two loop-invariant operands.
#include <immintrin.h>

#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu::detail {
namespace {
constexpr int kChains = 12;
}

double peak_fp32_avx2(std::uint64_t iterations, double& ops) {
  __m256 acc[kChains];
#pragma GCC unroll 12
  for (int c = 0; c < kChains; ++c) acc[c] = _mm256_set1_ps(0.001f * static_cast<float>(c));
  const __m256 x = _mm256_set1_ps(0.999999f);
  const __m256 y = _mm256_set1_ps(1e-6f);
  for (std::uint64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (int c = 0; c < kChains; ++c) acc[c] = _mm256_fmadd_ps(acc[c], x, y);
  }
  ops = 2.0 * 8 * kChains * static_cast<double>(iterations);
  float lanes[8];
  double sum = 0;
  for (int c = 0; c < kChains; ++c) {
    _mm256_storeu_ps(lanes, acc[c]);
    for (float v : lanes) sum += v;
  }
  return sum;
}

double peak_fp64_avx2(std::uint64_t iterations, double& ops) {
  __m256d acc[kChains];
#pragma GCC unroll 12
  for (int c = 0; c < kChains; ++c) acc[c] = _mm256_set1_pd(0.001 * c);
  const __m256d x = _mm256_set1_pd(0.999999);
  const __m256d y = _mm256_set1_pd(1e-6);
  for (std::uint64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (int c = 0; c < kChains; ++c) acc[c] = _mm256_fmadd_pd(acc[c], x, y);
  }
  ops = 2.0 * 4 * kChains * static_cast<double>(iterations);
  double lanes[4];
  double sum = 0;
  for (int c = 0; c < kChains; ++c) {
    _mm256_storeu_pd(lanes, acc[c]);
    for (double v : lanes) sum += v;
  }
  return sum;
}

// What the avx2 int8 GEMM runs: int16 pairs multiplied and added into int32 (vpmaddwd),
// then accumulated (vpaddd). 16 multiply-adds of int16-widened int8 per vpmaddwd.
double peak_int8_avx2(std::uint64_t iterations, double& ops) {
  constexpr int kPairs = 6;
  __m256i acc[kPairs];
  __m256i x[kPairs];
#pragma GCC unroll 6
  for (int c = 0; c < kPairs; ++c) {
    acc[c] = _mm256_set1_epi32(c);
    x[c] = _mm256_set1_epi16(static_cast<short>(c + 1));
  }
  __m256i y = _mm256_set1_epi16(-2);
  for (std::uint64_t i = 0; i < iterations; ++i) {
    // y "changes" every round, so the products cannot be hoisted out of the loop
    __asm__ volatile("" : "+x"(y));
#pragma GCC unroll 6
    for (int c = 0; c < kPairs; ++c) acc[c] = _mm256_add_epi32(acc[c], _mm256_madd_epi16(x[c], y));
  }
  ops = 2.0 * 16 * kPairs * static_cast<double>(iterations);
  alignas(32) std::int32_t lanes[8];
  double sum = 0;
  for (int c = 0; c < kPairs; ++c) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), acc[c]);
    for (std::int32_t v : lanes) sum += v;
  }
  return sum;
}

}  // namespace sciperf::kernels::cpu::detail
