// 8-bit quantization of the int8 inference path, one core:
// - activations: asymmetric unsigned 8-bit, x ≈ scale · (q − zero_point), q in [0, 255], the
//   range widened to hold 0 (so zero padding and ReLU zeros are exact), levels rounded half to
//   even; each row (sample) may get its own range;
// - weights: symmetric signed 8-bit, w ≈ scale · q, q in [−127, 127], one scale per row
//   (output channel) or one for the whole tensor;
// - an int8 product back to float, the activations' zero point taken out with the weights'
//   column sums (computed once per weight matrix).
// Activation quantization runs on every input of every int8 layer, so it has a vector path
// (avx512) beside the portable one; both give the same levels, bit for bit.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/cpu/isa.h"

namespace sciperf::kernels::cpu {

struct AffineU8 {
  float scale = 1.0f;
  std::int32_t zero_point = 0;
};

// Parameters covering [min, max] ∪ {0}; an all-zero range gives scale 1 (every value is 0).
AffineU8 u8_params(float min, float max);
// Parameters for the n values of x (one sample's activations, for dynamic quantization).
AffineU8 u8_params_of(const float* x, std::int64_t n, Isa path = Isa::automatic);
// q[i] = clamp(round_half_even(x[i] / scale) + zero_point, 0, 255).
Isa quantize_u8(const float* x, std::int64_t n, AffineU8 params, std::uint8_t* q, Isa path = Isa::automatic);
inline float dequantize(std::uint8_t q, AffineU8 params) {
  return params.scale * static_cast<float>(static_cast<std::int32_t>(q) - params.zero_point);
}

struct QuantizedWeights {
  std::vector<std::int8_t> q;  // rows × cols
  std::vector<float> scales;   // one per row (all equal when quantized per tensor)
};
QuantizedWeights quantize_s8(const float* w, std::int64_t rows, std::int64_t cols, bool per_channel);

// Σ_k q[r][k] for each row r of a rows × cols int8 matrix (the weights' column sums of the
// K × N operand Wᵀ).
std::vector<std::int32_t> row_sums(const std::int8_t* q, std::int64_t rows, std::int64_t cols);

// y (m × n) = s_x[r] · s_w[c] · (acc[r][c] − z_x[r] · sums[c]).
void dequantize_product(const std::int32_t* acc, std::int64_t m, std::int64_t n, const AffineU8* row_params,
                        const float* weight_scales, const std::int32_t* weight_sums, float* y);

}  // namespace sciperf::kernels::cpu
