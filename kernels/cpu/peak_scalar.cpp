// Portable peak loops: 12 independent scalar multiply-add chains (fused only where the
// compiler's target has FMA; baseline x86-64 does not, so a multiply and an add).
#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu::detail {
namespace {

template <class T>
double peak_chains(std::uint64_t iterations, double& ops) {
  constexpr int kChains = 12;
  T acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = static_cast<T>(c) * static_cast<T>(0.001);
  const T x = static_cast<T>(0.999999);
  const T y = static_cast<T>(1e-6);
  for (std::uint64_t i = 0; i < iterations; ++i)
    for (int c = 0; c < kChains; ++c) acc[c] = acc[c] * x + y;
  ops = 2.0 * kChains * static_cast<double>(iterations);
  double sum = 0;
  for (int c = 0; c < kChains; ++c) sum += static_cast<double>(acc[c]);
  return sum;
}

}  // namespace

double peak_fp32_scalar(std::uint64_t iterations, double& ops) { return peak_chains<float>(iterations, ops); }
double peak_fp64_scalar(std::uint64_t iterations, double& ops) { return peak_chains<double>(iterations, ops); }

}  // namespace sciperf::kernels::cpu::detail
