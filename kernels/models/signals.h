// 1D signals with known generating processes, for the MLP and transformer tasks.
// Time runs over [0, 1) in `length` equal steps; frequencies are cycles per record.
#pragma once

#include "kernels/models/sample_rng.h"

#include <cstdint>

namespace sciperf::models {

// Spectral-band task (MLP): a dominant sinusoid (amplitude 1) whose frequency is uniform in
// band `band` = [4 + 8 band, 12 + 8 band) cycles, bands 0..9 covering [4, 84); plus 3 weaker
// sinusoids (amplitude uniform in [0.1, 0.5]) at frequencies uniform over [4, 84); plus white
// Gaussian noise of standard deviation 0.5. All phases uniform. The label is `band`.
inline constexpr int kSpectralBands = 10;
void band_signal(SampleRng& rng, int band, float* out, std::int64_t length);

// Light-curve task (transformer), astronomy-style: an amplitude a uniform in [0.5, 1.5] times
// one of 5 families, plus white Gaussian noise of standard deviation 0.2:
//   0 periodic variable: sin(2 pi (f t + phase)), f uniform in [1.5, 4) cycles
//   1 eclipsing binary: 0.5 - 2 exp(-((p - 0.5) / (w/2))^2 / 2), p = frac(f t + phase), dip width
//     w uniform in [0.08, 0.15) of a period
//   2 transient (fast rise, exponential decay): -0.5 before t0, then 2 exp(-(t - t0) / tau) - 0.5,
//     t0 uniform in [0.1, 0.6), tau uniform in [0.05, 0.25)
//   3 red noise: a random walk of `length` unit normal steps scaled by 2 / sqrt(length), mean removed
//   4 constant (noise only)
inline constexpr int kLightCurveFamilies = 5;
void light_curve(SampleRng& rng, int family, float* out, std::int64_t length);

}  // namespace sciperf::models
