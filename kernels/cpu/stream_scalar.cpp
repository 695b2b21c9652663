// Portable STREAM loops (the compiler may vectorize them for baseline x86-64, SSE2).
#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu::detail {

void stream_copy_scalar(const double* __restrict a, double* __restrict c, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) c[i] = a[i];
}
void stream_scale_scalar(double* __restrict b, const double* __restrict c, double q, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) b[i] = q * c[i];
}
void stream_add_scalar(const double* __restrict a, const double* __restrict b, double* __restrict c, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) c[i] = a[i] + b[i];
}
void stream_triad_scalar(double* __restrict a, const double* __restrict b, const double* __restrict c, double q,
                         std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + q * c[i];
}

}  // namespace sciperf::kernels::cpu::detail
