#include "kernels/models/advection_diffusion.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace sciperf::models {

AdvectionDiffusion::AdvectionDiffusion(std::size_t n, double velocity_x, double velocity_y, double diffusivity)
    : n_(n), velocity_x_(velocity_x), velocity_y_(velocity_y), diffusivity_(diffusivity) {
  if (n < 3) throw std::invalid_argument("advection-diffusion: grid needs at least 3 cells per side");
  if (!(diffusivity >= 0.0)) throw std::invalid_argument("advection-diffusion: diffusivity must be >= 0");
}

double AdvectionDiffusion::max_stable_time_step() const {
  const double inverse_dx = static_cast<double>(n_);
  const double rate = (std::abs(velocity_x_) + std::abs(velocity_y_)) * inverse_dx +
                      4.0 * diffusivity_ * inverse_dx * inverse_dx;
  return rate > 0.0 ? 1.0 / rate : INFINITY;
}

void AdvectionDiffusion::step(std::vector<double>& u, double dt) const {
  const std::size_t n = n_;
  if (u.size() != n * n) throw std::invalid_argument("advection-diffusion: field is not n x n");
  if (!(dt >= 0.0) || dt > max_stable_time_step() * (1.0 + 1e-12))
    throw std::invalid_argument("advection-diffusion: time step " + std::to_string(dt) +
                                " exceeds the stable limit " + std::to_string(max_stable_time_step()));
  const double inverse_dx = static_cast<double>(n);
  const double ax = dt * velocity_x_ * inverse_dx;  // signed Courant numbers
  const double ay = dt * velocity_y_ * inverse_dx;
  const double d = dt * diffusivity_ * inverse_dx * inverse_dx;
  std::vector<double> next(u.size());
  // Flux form: the change of cell (x, y) is (inflow - outflow) across its 4 faces; each face's
  // flux is computed identically from both sides, so the total is unchanged.
  for (std::size_t y = 0; y < n; ++y) {
    const std::size_t up = (y + 1) % n, down = (y + n - 1) % n;
    for (std::size_t x = 0; x < n; ++x) {
      const std::size_t right = (x + 1) % n, left = (x + n - 1) % n;
      const double c = u[y * n + x];
      const double east = u[y * n + right], west = u[y * n + left];
      const double north = u[up * n + x], south = u[down * n + x];
      // Upwind value at each face: the cell the flow comes from.
      const double flux_east = ax * (ax >= 0 ? c : east), flux_west = ax * (ax >= 0 ? west : c);
      const double flux_north = ay * (ay >= 0 ? c : north), flux_south = ay * (ay >= 0 ? south : c);
      next[y * n + x] = c - (flux_east - flux_west) - (flux_north - flux_south) +
                        d * (east - c - (c - west)) + d * (north - c - (c - south));
    }
  }
  u.swap(next);
}

std::size_t AdvectionDiffusion::advance(std::vector<double>& u, double duration, double courant) const {
  if (!(duration >= 0.0)) throw std::invalid_argument("advection-diffusion: duration must be >= 0");
  if (!(courant > 0.0 && courant <= 1.0)) throw std::invalid_argument("advection-diffusion: courant must be in (0, 1]");
  if (duration == 0.0) return 0;
  const double limit = courant * max_stable_time_step();
  const auto steps = static_cast<std::size_t>(std::ceil(duration / limit));
  const double dt = duration / static_cast<double>(steps);
  for (std::size_t i = 0; i < steps; ++i) step(u, dt);
  return steps;
}

}  // namespace sciperf::models
