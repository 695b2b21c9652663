// Random periodic 2D fields on an n × n grid (n a power of two), made through a small FFT.
// Plain C++, no LibTorch: the data generators must not depend on LibTorch's version.
#pragma once

#include "kernels/models/sample_rng.h"

#include <complex>
#include <cstdint>
#include <functional>
#include <vector>

namespace sciperf::models {

// In-place radix-2 FFT of `count` values spaced `stride` apart; `inverse` uses e^{+i...} and
// divides by `count`. `count` must be a power of two.
void fft(std::complex<double>* values, std::size_t count, std::size_t stride, bool inverse);

// 2D FFT of a row-major n × n grid (rows, then columns).
void fft2(std::vector<std::complex<double>>& grid, std::size_t n, bool inverse);

// A real random field: every Fourier mode k = (kx, ky) (integer wavenumbers, cycles per
// domain side, |kx|, |ky| <= n/2) gets a complex normal coefficient times amplitude(|k|), and
// the field is the real part of the inverse transform, shifted to zero mean and scaled to unit
// variance (a constant field stays zero). Its power spectrum is proportional to amplitude(|k|)^2.
// Row-major, index y * n + x.
std::vector<double> random_field(std::size_t n, const std::function<double(double)>& amplitude, SampleRng& rng);

// Power-spectrum-slope task (ResNet): a Gaussian random field with P(k) proportional to
// k^-slope (k > 0, no k = 0 mode), slope one of kPowerSpectrumSlopes, unit variance; the label is
// the slope's index. Steeper slopes put more power on large scales (smoother fields), as in
// cosmological density or turbulence maps.
inline constexpr int kSlopeClasses = 4;
inline constexpr double kPowerSpectrumSlopes[kSlopeClasses] = {1.0, 2.0, 3.0, 4.0};
std::vector<double> power_law_field(std::size_t n, double slope, SampleRng& rng);

// A smooth random initial condition: modes with |k| <= max_wavenumber get amplitude
// 1 / (1 + |k|^2), the rest none; unit variance.
std::vector<double> smooth_field(std::size_t n, double max_wavenumber, SampleRng& rng);

// Radially averaged power spectrum of a row-major n × n field: entry k is the mean |F(k')|^2
// over modes with round(|k'|) == k, for k = 0..n/2. Used to check the generators' spectra.
std::vector<double> radial_power_spectrum(const std::vector<double>& field, std::size_t n);

}  // namespace sciperf::models
