// 8-bit quantization (kernels/cpu/quantize.h): ranges that hold zero, levels rounded half to
// even on every path alike, clamping, weight scales, and the int8 product back to float.
#include "kernels/cpu/quantize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace sciperf::kernels::cpu {
namespace {

TEST(CpuQuantize, RangeAlwaysHoldsZeroExactly) {
  const AffineU8 p = u8_params(0.5f, 3.0f);  // widened to [0, 3]
  EXPECT_FLOAT_EQ(p.scale, 3.0f / 255.0f);
  EXPECT_EQ(p.zero_point, 0);
  const AffineU8 q = u8_params(-1.0f, 1.0f);
  std::uint8_t level = 0;
  const float zero = 0.0f;
  quantize_u8(&zero, 1, q, &level);
  EXPECT_EQ(dequantize(level, q), 0.0f);
  EXPECT_EQ(u8_params(0.0f, 0.0f).scale, 1.0f);
}

// Every available path gives round-half-even levels within half a step, for lengths with and
// without a vector tail.
TEST(CpuQuantize, EveryPathRoundsAlike) {
  for (Isa path : available_paths(Kernel::quantize_u8)) {
    for (std::int64_t n : {1, 15, 16, 17, 1000}) {
      std::vector<float> x(static_cast<std::size_t>(n));
      for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(0.37f * static_cast<float>(i)) * 4.0f - 1.0f;
      const AffineU8 p = u8_params_of(x.data(), n, path);
      float lo = 0, hi = 0;
      for (float v : x) lo = std::min(lo, v), hi = std::max(hi, v);
      EXPECT_EQ(p.scale, u8_params(lo, hi).scale) << isa_name(path) << " n=" << n;
      std::vector<std::uint8_t> q(x.size());
      EXPECT_EQ(quantize_u8(x.data(), n, p, q.data(), path), path);
      for (std::size_t i = 0; i < x.size(); ++i) {
        EXPECT_LE(std::fabs(dequantize(q[i], p) - x[i]), 0.5f * p.scale * 1.001f);
        const float level = std::nearbyint(x[i] * (1.0f / p.scale)) + static_cast<float>(p.zero_point);
        EXPECT_EQ(q[i], static_cast<std::uint8_t>(std::clamp(level, 0.0f, 255.0f))) << isa_name(path) << " " << i;
      }
    }
    // Ties go to even; values past a (static) range clamp.
    const std::vector<float> ties{0.5f, 1.5f, 2.5f, -0.5f, 300.0f, -300.0f};
    std::vector<std::uint8_t> levels(ties.size());
    quantize_u8(ties.data(), static_cast<std::int64_t>(ties.size()), AffineU8{1.0f, 10}, levels.data(), path);
    EXPECT_EQ(levels, (std::vector<std::uint8_t>{10, 12, 12, 10, 255, 0})) << isa_name(path);
  }
}

TEST(CpuQuantize, BadArgumentsAreNamed) {
  std::uint8_t q = 0;
  EXPECT_THROW(quantize_u8(nullptr, 4, AffineU8{}, &q), std::invalid_argument);
  const float x = 1.0f;
  EXPECT_THROW(quantize_u8(&x, 1, AffineU8{0.0f, 0}, &q), std::invalid_argument);
  EXPECT_THROW(u8_params_of(&x, -1), std::invalid_argument);
}

TEST(CpuQuantize, WeightScalesPerChannelOrPerTensor) {
  const std::vector<float> w{1.0f, -2.0f, 0.5f, 0.25f};  // 2 x 2
  const QuantizedWeights channel = quantize_s8(w.data(), 2, 2, true);
  EXPECT_FLOAT_EQ(channel.scales[0], 2.0f / 127.0f);
  EXPECT_FLOAT_EQ(channel.scales[1], 0.5f / 127.0f);
  EXPECT_EQ(channel.q[1], -127);
  EXPECT_EQ(channel.q[2], 127);
  const QuantizedWeights tensor = quantize_s8(w.data(), 2, 2, false);
  EXPECT_FLOAT_EQ(tensor.scales[0], tensor.scales[1]);
  EXPECT_EQ(tensor.q[2], 32);  // 0.5 / (2/127) = 31.75
  EXPECT_EQ(row_sums(channel.q.data(), 2, 2), (std::vector<std::int32_t>{64 - 127, 127 + 64}));
}

// (x_q − z) · w summed equals acc − z · Σw: the zero point comes out exactly.
TEST(CpuQuantize, ProductBackToFloat) {
  const std::int8_t w[] = {3, -2, 5, 1};  // W is 2 x 2: rows are output channels
  const std::uint8_t x[] = {10, 20};      // one sample, zero point 4
  const AffineU8 p{0.5f, 4};
  const float scales[] = {0.25f, 2.0f};
  const std::vector<std::int32_t> sums = row_sums(w, 2, 2);
  const std::int32_t acc[] = {10 * 3 + 20 * -2, 10 * 5 + 20 * 1};
  float y[2];
  dequantize_product(acc, 1, 2, &p, scales, sums.data(), y);
  EXPECT_FLOAT_EQ(y[0], 0.5f * 0.25f * ((10 - 4) * 3 + (20 - 4) * -2));
  EXPECT_FLOAT_EQ(y[1], 0.5f * 2.0f * ((10 - 4) * 5 + (20 - 4) * 1));
}

}  // namespace
}  // namespace sciperf::kernels::cpu
