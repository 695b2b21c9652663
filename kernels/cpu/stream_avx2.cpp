// STREAM loops with 4-wide float64 vectors (compiled with -mavx2 -mfma): a scalar head up
// to the first output element aligned to a vector, then two vectors per iteration with
// regular stores, then a scalar tail.
#include <immintrin.h>

#include <cstdint>

#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu::detail {
namespace {
constexpr std::size_t kW = 4;

// Elements to do one by one before `out` is aligned to a whole vector; the arrays of a STREAM
// run share their alignment, so the vector loop then reads and writes whole cache lines
// (misaligned 64-byte accesses, e.g. on malloc's 16-byte boundary, cost ~5-10 %).
std::size_t peel(const double* out, std::size_t n) {
  const std::size_t misalign = reinterpret_cast<std::uintptr_t>(out) % (kW * sizeof(double));
  if (misalign % sizeof(double) != 0) return 0;  // not even double-aligned: don't bother
  const std::size_t head = misalign == 0 ? 0 : (kW * sizeof(double) - misalign) / sizeof(double);
  return head < n ? head : n;
}
}  // namespace

void stream_copy_avx2(const double* a, double* c, std::size_t n) {
  std::size_t i = 0;
  for (const std::size_t head = peel(c, n); i < head; ++i) c[i] = a[i];
  for (; i + 2 * kW <= n; i += 2 * kW) {
    const __m256d x0 = _mm256_loadu_pd(a + i);
    const __m256d x1 = _mm256_loadu_pd(a + i + kW);
    _mm256_storeu_pd(c + i, x0);
    _mm256_storeu_pd(c + i + kW, x1);
  }
  for (; i < n; ++i) c[i] = a[i];
}

void stream_scale_avx2(double* b, const double* c, double q, std::size_t n) {
  const __m256d vq = _mm256_set1_pd(q);
  std::size_t i = 0;
  for (const std::size_t head = peel(b, n); i < head; ++i) b[i] = q * c[i];
  for (; i + 2 * kW <= n; i += 2 * kW) {
    const __m256d x0 = _mm256_mul_pd(vq, _mm256_loadu_pd(c + i));
    const __m256d x1 = _mm256_mul_pd(vq, _mm256_loadu_pd(c + i + kW));
    _mm256_storeu_pd(b + i, x0);
    _mm256_storeu_pd(b + i + kW, x1);
  }
  for (; i < n; ++i) b[i] = q * c[i];
}

void stream_add_avx2(const double* a, const double* b, double* c, std::size_t n) {
  std::size_t i = 0;
  for (const std::size_t head = peel(c, n); i < head; ++i) c[i] = a[i] + b[i];
  for (; i + 2 * kW <= n; i += 2 * kW) {
    const __m256d x0 = _mm256_add_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i));
    const __m256d x1 = _mm256_add_pd(_mm256_loadu_pd(a + i + kW), _mm256_loadu_pd(b + i + kW));
    _mm256_storeu_pd(c + i, x0);
    _mm256_storeu_pd(c + i + kW, x1);
  }
  for (; i < n; ++i) c[i] = a[i] + b[i];
}

void stream_triad_avx2(double* a, const double* b, const double* c, double q, std::size_t n) {
  const __m256d vq = _mm256_set1_pd(q);
  std::size_t i = 0;
  for (const std::size_t head = peel(a, n); i < head; ++i) a[i] = b[i] + q * c[i];
  for (; i + 2 * kW <= n; i += 2 * kW) {
    const __m256d x0 = _mm256_fmadd_pd(vq, _mm256_loadu_pd(c + i), _mm256_loadu_pd(b + i));
    const __m256d x1 = _mm256_fmadd_pd(vq, _mm256_loadu_pd(c + i + kW), _mm256_loadu_pd(b + i + kW));
    _mm256_storeu_pd(a + i, x0);
    _mm256_storeu_pd(a + i + kW, x1);
  }
  for (; i < n; ++i) a[i] = b[i] + q * c[i];
}

}  // namespace sciperf::kernels::cpu::detail
