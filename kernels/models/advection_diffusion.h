// A 2D advection–diffusion solver on the periodic unit square, the physics behind the U-Net
// surrogate's data:
//
//   du/dt + c · grad(u) = nu * laplacian(u),   c = (velocity_x, velocity_y) constant,
//
// on an n × n grid of cells (dx = 1/n), explicit forward Euler in time, first-order upwind
// fluxes for advection and the 5-point Laplacian for diffusion, written in flux form so the
// sum of u over the grid (the mass, and so the mean) is conserved to rounding.
//
// Stability: the update is u' = (1 - s) u + (non-negative multiples of 4 neighbours), with
// s = dt * (|cx|/dx + |cy|/dx + 4 nu / dx^2). For dt <= max_stable_time_step() (s <= 1) it is
// monotone: max|u| never grows. step() refuses larger time steps.
#pragma once

#include <cstddef>
#include <vector>

namespace sciperf::models {

class AdvectionDiffusion {
 public:
  AdvectionDiffusion(std::size_t n, double velocity_x, double velocity_y, double diffusivity);

  std::size_t n() const { return n_; }
  // The largest stable explicit time step (see above).
  double max_stable_time_step() const;
  // One forward-Euler step of `dt` on a row-major n × n field (index y * n + x).
  // std::invalid_argument if dt exceeds max_stable_time_step() or the field has the wrong size.
  void step(std::vector<double>& u, double dt) const;
  // Advances by `duration` in equal steps of at most `courant` × max_stable_time_step();
  // returns the number of steps taken.
  std::size_t advance(std::vector<double>& u, double duration, double courant = 0.5) const;

 private:
  std::size_t n_;
  double velocity_x_;
  double velocity_y_;
  double diffusivity_;
};

}  // namespace sciperf::models
