// Bit-level conversions between float and the two 16-bit floating formats. They are inline,
// branch-free selects over integer and float arithmetic so that the reduction loops that
// call them per element still vectorize. Rounding is to nearest even, which needs the
// default floating-point environment (no -ffast-math, round-to-nearest mode).
#pragma once

#include <bit>
#include <cstdint>

namespace sciperf::comm::half {

// c ? a : b on bits. A plain ?: between results of float arithmetic lets GCC (under the
// default -ftrapping-math) sink that arithmetic into branches, which stops vectorization.
inline std::uint32_t select_bits(bool c, std::uint32_t a, std::uint32_t b) {
  const std::uint32_t mask = 0u - static_cast<std::uint32_t>(c);
  return (a & mask) | (b & ~mask);
}

inline float bfloat16_to_float(std::uint16_t h) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(h) << 16);
}

inline std::uint16_t float_to_bfloat16(float f) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  // Adding 0x7fff plus the lowest kept bit rounds to nearest even; a carry out of the
  // mantissa bumps the exponent, which is what overflow to infinity needs.
  const std::uint32_t rounded = (bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16;
  // NaN would round into infinity (or flip sign); keep it a quiet NaN instead.
  const std::uint32_t quiet_nan = (bits >> 16) | 0x0040u;
  const bool is_nan = (bits & 0x7fffffffu) > 0x7f800000u;
  return static_cast<std::uint16_t>(is_nan ? quiet_nan : rounded);
}

// The float16 pair follows Maratyszcza's FP16 library: the float unit does the rounding
// (normal and subnormal alike) by scaling into a range where float's own rounding lands
// on float16's grid.
inline float float16_to_float(std::uint16_t h) {
  const std::uint32_t w = static_cast<std::uint32_t>(h) << 16;
  const std::uint32_t sign = w & 0x80000000u;
  const std::uint32_t two_w = w + w;
  // Normal inputs (and inf/NaN): move exponent and mantissa into place, then rescale the
  // exponent bias 15 -> 127 with one multiply; 0xE0 << 23 keeps inf/NaN at max exponent.
  const float normalized = std::bit_cast<float>((two_w >> 4) + (0xE0u << 23)) * 0x1.0p-112f;
  // Subnormal inputs: place the mantissa under the exponent of 0.5, subtract 0.5.
  const float denormalized = std::bit_cast<float>((two_w >> 17) | (126u << 23)) - 0.5f;
  const bool is_subnormal = two_w < (1u << 27);
  return std::bit_cast<float>(sign | select_bits(is_subnormal, std::bit_cast<std::uint32_t>(denormalized),
                                                 std::bit_cast<std::uint32_t>(normalized)));
}

inline std::uint16_t float_to_float16(float f) {
  const std::uint32_t w = std::bit_cast<std::uint32_t>(f);
  const std::uint32_t shl1_w = w + w;
  const std::uint32_t sign = w & 0x80000000u;
  // Scaling up then down sends values too large for float16 to infinity; the rest become 4|f|.
  float base = (std::bit_cast<float>(w & 0x7fffffffu) * 0x1.0p+112f) * 0x1.0p-110f;
  // For |f| = 2^e * m, adding 2^(e+15) makes the float adder round 4|f| to 10 mantissa bits,
  // i.e. float16's grid; the exponent floor keeps the 2^-24 step of float16 subnormals.
  std::uint32_t bias = shl1_w & 0xff000000u;
  bias = bias < 0x71000000u ? 0x71000000u : bias;
  base = std::bit_cast<float>((bias >> 1) + 0x07800000u) + base;
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(base);
  const std::uint32_t exponent = (bits >> 13) & 0x00007c00u;
  const std::uint32_t mantissa = bits & 0x00000fffu;
  const bool is_nan = shl1_w > 0xff000000u;
  return static_cast<std::uint16_t>((sign >> 16) | select_bits(is_nan, 0x7e00u, exponent + mantissa));
}

}  // namespace sciperf::comm::half
