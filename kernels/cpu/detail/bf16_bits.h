// bf16 <-> float on bits, inline and template-free so that the per-ISA units can use it.
#pragma once

#include <cstdint>
#include <cstring>

namespace sciperf::kernels::cpu::detail {

inline float bf16_bits_to_float(std::uint16_t h) {
  const std::uint32_t w = static_cast<std::uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &w, sizeof f);
  return f;
}

inline std::uint16_t float_to_bf16_bits(float f) {
  std::uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((bits >> 16) | 0x0040u);  // quiet NaN
  // Adding 0x7fff plus the lowest kept bit rounds to nearest even; a carry into the exponent
  // is what overflow to infinity needs.
  return static_cast<std::uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

}  // namespace sciperf::kernels::cpu::detail
