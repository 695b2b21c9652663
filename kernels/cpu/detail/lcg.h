// The deterministic generator behind fill_uniform and random_csr: a 64-bit LCG (Knuth's MMIX
// constants) with a scrambled seed; the top bits are the output.
#pragma once

#include <cstdint>

namespace sciperf::kernels::cpu::detail {

struct Lcg {
  std::uint64_t state;
  explicit Lcg(std::uint64_t seed) : state(seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull) {}
  std::uint64_t next() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1p-53; }  // [0, 1)
};

}  // namespace sciperf::kernels::cpu::detail
