// STREAM loops with 4-wide float64 vectors (compiled with -mavx2 -mfma); the loops themselves are in
// detail/stream_loops.h.
#include <immintrin.h>

#include "kernels/cpu/detail/paths.h"
#include "kernels/cpu/detail/stream_loops.h"

namespace sciperf::kernels::cpu::detail {
namespace {
struct Ops {
  using Reg = __m256d;
  static constexpr std::size_t kWidth = 4;
  static Reg load(const double* p) { return _mm256_loadu_pd(p); }
  static void store(double* p, Reg x) { _mm256_storeu_pd(p, x); }
  static Reg set1(double q) { return _mm256_set1_pd(q); }
  static Reg mul(Reg x, Reg y) { return _mm256_mul_pd(x, y); }
  static Reg add(Reg x, Reg y) { return _mm256_add_pd(x, y); }
  static Reg fmadd(Reg x, Reg y, Reg z) { return _mm256_fmadd_pd(x, y, z); }
};
using Loops = StreamLoops<Ops>;
}  // namespace

void stream_copy_avx2(const double* a, double* c, std::size_t n) { Loops::copy(a, c, n); }
void stream_scale_avx2(double* b, const double* c, double q, std::size_t n) { Loops::scale(b, c, q, n); }
void stream_add_avx2(const double* a, const double* b, double* c, std::size_t n) { Loops::add(a, b, c, n); }
void stream_triad_avx2(double* a, const double* b, const double* c, double q, std::size_t n) { Loops::triad(a, b, c, q, n); }

}  // namespace sciperf::kernels::cpu::detail
