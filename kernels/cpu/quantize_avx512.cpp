// The activation quantization path for AVX-512F: 16 lanes, the tail masked.
#include <immintrin.h>

#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu::detail {
namespace {

__mmask16 tail_mask(std::size_t remaining) {
  return remaining >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << remaining) - 1u);
}

}  // namespace

void min_max_avx512(const float* x, std::size_t n, float& lo, float& hi) {
  __m512 low = _mm512_setzero_ps(), high = _mm512_setzero_ps();  // masked-off lanes read 0: in range
  for (std::size_t i = 0; i < n; i += 16) {
    const __m512 v = _mm512_maskz_loadu_ps(tail_mask(n - i), x + i);
    low = _mm512_min_ps(low, v);
    high = _mm512_max_ps(high, v);
  }
  lo = _mm512_reduce_min_ps(low);
  hi = _mm512_reduce_max_ps(high);
}

void quantize_u8_avx512(const float* x, std::size_t n, float inverse_scale, std::int32_t zero_point, std::uint8_t* q) {
  const __m512 inverse = _mm512_set1_ps(inverse_scale);
  const __m512 zero = _mm512_set1_ps(static_cast<float>(zero_point));
  const __m512 low = _mm512_setzero_ps(), high = _mm512_set1_ps(255.0f);
  for (std::size_t i = 0; i < n; i += 16) {
    const __mmask16 mask = tail_mask(n - i);
    __m512 v = _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, x + i), inverse);
    v = _mm512_add_ps(_mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), zero);
    v = _mm512_min_ps(_mm512_max_ps(v, low), high);
    _mm512_mask_cvtepi32_storeu_epi8(q + i, mask, _mm512_cvtps_epi32(v));
  }
}

}  // namespace sciperf::kernels::cpu::detail
