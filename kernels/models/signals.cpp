#include "kernels/models/signals.h"

#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

namespace sciperf::models {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// Adds amplitude * sin(2 pi (frequency t + phase)) at t = i / length, by rotating a phasor
// (one complex multiply per point instead of a sine).
void add_sinusoid(std::vector<double>& signal, double amplitude, double frequency, double phase) {
  const double length = static_cast<double>(signal.size());
  const std::complex<double> rotation = std::polar(1.0, kTwoPi * frequency / length);
  std::complex<double> phasor = std::polar(amplitude, kTwoPi * phase);
  for (double& value : signal) {
    value += phasor.imag();
    phasor *= rotation;
  }
}

}  // namespace

void band_signal(SampleRng& rng, int band, float* out, std::int64_t length) {
  constexpr double kLowest = 4.0, kBandWidth = 8.0, kNoise = 0.5;
  constexpr int kDistractors = 3;
  std::vector<double> signal(static_cast<std::size_t>(length), 0.0);
  add_sinusoid(signal, 1.0, kLowest + kBandWidth * (band + rng.uniform()), rng.uniform());
  for (int i = 0; i < kDistractors; ++i) {
    const double amplitude = rng.uniform(0.1, 0.5);
    const double frequency = kLowest + kBandWidth * kSpectralBands * rng.uniform();
    add_sinusoid(signal, amplitude, frequency, rng.uniform());
  }
  for (std::size_t i = 0; i < signal.size(); ++i) out[i] = static_cast<float>(signal[i] + kNoise * rng.normal());
}

void light_curve(SampleRng& rng, int family, float* out, std::int64_t length) {
  constexpr double kNoise = 0.2;
  const auto n = static_cast<std::size_t>(length);
  const double amplitude = rng.uniform(0.5, 1.5);
  std::vector<double> shape(n, 0.0);
  auto time = [&](std::size_t i) { return static_cast<double>(i) / static_cast<double>(n); };
  switch (family) {
    case 0: {  // periodic variable
      add_sinusoid(shape, 1.0, rng.uniform(1.5, 4.0), rng.uniform());
      break;
    }
    case 1: {  // eclipsing binary
      const double frequency = rng.uniform(1.5, 4.0), phase = rng.uniform(), width = rng.uniform(0.08, 0.15);
      for (std::size_t i = 0; i < n; ++i) {
        const double cycle = frequency * time(i) + phase;
        const double offset = (cycle - std::floor(cycle) - 0.5) / (0.5 * width);
        shape[i] = 0.5 - 2.0 * std::exp(-0.5 * offset * offset);
      }
      break;
    }
    case 2: {  // transient
      const double start = rng.uniform(0.1, 0.6), decay = rng.uniform(0.05, 0.25);
      for (std::size_t i = 0; i < n; ++i)
        shape[i] = (time(i) < start ? 0.0 : 2.0 * std::exp(-(time(i) - start) / decay)) - 0.5;
      break;
    }
    case 3: {  // red noise
      const double scale = 2.0 / std::sqrt(static_cast<double>(n));
      double walk = 0.0, mean = 0.0;
      for (std::size_t i = 0; i < n; ++i) mean += (shape[i] = walk += scale * rng.normal());
      mean /= static_cast<double>(n);
      for (double& value : shape) value -= mean;
      break;
    }
    default:  // constant
      break;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(amplitude * shape[i] + kNoise * rng.normal());
}

}  // namespace sciperf::models
