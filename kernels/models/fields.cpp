#include "kernels/models/fields.h"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace sciperf::models {
namespace {

bool is_power_of_two(std::size_t n) { return n != 0 && (n & (n - 1)) == 0; }

// The signed wavenumber of DFT index i on an n-point grid: 0, 1, ..., n/2, -n/2 + 1, ..., -1.
double wavenumber(std::size_t i, std::size_t n) {
  return i <= n / 2 ? static_cast<double>(i) : static_cast<double>(i) - static_cast<double>(n);
}

}  // namespace

void fft(std::complex<double>* values, std::size_t count, std::size_t stride, bool inverse) {
  if (!is_power_of_two(count)) throw std::invalid_argument("fft: length must be a power of two");
  auto at = [&](std::size_t i) -> std::complex<double>& { return values[i * stride]; };
  for (std::size_t i = 1, j = 0; i < count; ++i) {  // bit-reversal permutation
    std::size_t bit = count >> 1;
    for (; (j & bit) != 0; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(at(i), at(j));
  }
  const double sign = inverse ? 1.0 : -1.0;
  for (std::size_t length = 2; length <= count; length <<= 1) {
    const double angle = sign * 2.0 * std::numbers::pi / static_cast<double>(length);
    const std::complex<double> step(std::cos(angle), std::sin(angle));
    for (std::size_t start = 0; start < count; start += length) {
      std::complex<double> twiddle(1.0, 0.0);
      for (std::size_t k = 0; k < length / 2; ++k) {
        const std::complex<double> even = at(start + k);
        const std::complex<double> odd = at(start + k + length / 2) * twiddle;
        at(start + k) = even + odd;
        at(start + k + length / 2) = even - odd;
        twiddle *= step;
      }
    }
  }
  if (inverse)
    for (std::size_t i = 0; i < count; ++i) at(i) /= static_cast<double>(count);
}

void fft2(std::vector<std::complex<double>>& grid, std::size_t n, bool inverse) {
  if (grid.size() != n * n) throw std::invalid_argument("fft2: grid is not n x n");
  for (std::size_t row = 0; row < n; ++row) fft(grid.data() + row * n, n, 1, inverse);
  for (std::size_t column = 0; column < n; ++column) fft(grid.data() + column, n, n, inverse);
}

std::vector<double> random_field(std::size_t n, const std::function<double(double)>& amplitude, SampleRng& rng) {
  std::vector<std::complex<double>> modes(n * n);
  for (std::size_t y = 0; y < n; ++y) {
    const double ky = wavenumber(y, n);
    for (std::size_t x = 0; x < n; ++x) {
      const double kx = wavenumber(x, n);
      const double a = amplitude(std::sqrt(kx * kx + ky * ky));
      // Draw both normals even where the amplitude is zero, so the stream stays aligned.
      const double re = rng.normal();
      const double im = rng.normal();
      modes[y * n + x] = {a * re, a * im};
    }
  }
  fft2(modes, n, /*inverse=*/true);
  std::vector<double> field(n * n);
  double mean = 0.0;
  for (std::size_t i = 0; i < field.size(); ++i) mean += (field[i] = modes[i].real());
  mean /= static_cast<double>(field.size());
  double variance = 0.0;
  for (double& v : field) {
    v -= mean;
    variance += v * v;
  }
  variance /= static_cast<double>(field.size());
  if (variance > 0.0) {
    const double scale = 1.0 / std::sqrt(variance);
    for (double& v : field) v *= scale;
  }
  return field;
}

std::vector<double> power_law_field(std::size_t n, double slope, SampleRng& rng) {
  return random_field(n, [slope](double k) { return k > 0.0 ? std::pow(k, -0.5 * slope) : 0.0; }, rng);
}

std::vector<double> smooth_field(std::size_t n, double max_wavenumber, SampleRng& rng) {
  return random_field(
      n, [max_wavenumber](double k) { return k > 0.0 && k <= max_wavenumber ? 1.0 / (1.0 + k * k) : 0.0; }, rng);
}

std::vector<double> radial_power_spectrum(const std::vector<double>& field, std::size_t n) {
  std::vector<std::complex<double>> modes(field.begin(), field.end());
  fft2(modes, n, /*inverse=*/false);
  std::vector<double> power(n / 2 + 1, 0.0);
  std::vector<double> counts(n / 2 + 1, 0.0);
  for (std::size_t y = 0; y < n; ++y)
    for (std::size_t x = 0; x < n; ++x) {
      const double kx = wavenumber(x, n);
      const double ky = wavenumber(y, n);
      const auto shell = static_cast<std::size_t>(std::lround(std::sqrt(kx * kx + ky * ky)));
      if (shell >= power.size()) continue;
      power[shell] += std::norm(modes[y * n + x]);
      counts[shell] += 1.0;
    }
  for (std::size_t k = 0; k < power.size(); ++k)
    if (counts[k] > 0.0) power[k] /= counts[k];
  return power;
}

}  // namespace sciperf::models
