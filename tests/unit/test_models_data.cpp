// The science data: determinism, held-out separation, shapes, and the physics of the generators.
#include "kernels/models/advection_diffusion.h"
#include "kernels/models/data.h"
#include "kernels/models/fields.h"
#include "kernels/models/sample_rng.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numeric>
#include <stdexcept>

namespace sciperf::models {
namespace {

class ModelsData : public ::testing::Test {
 protected:
  void SetUp() override { torch::set_num_threads(1); }
};
using ModelsSolver = ModelsData;

ModelOptions options(const std::string& name) {
  ModelOptions o;
  o.name = name;
  return o;
}

TEST_F(ModelsData, SampleIsAPureFunctionOfSeedAndIndex) {
  for (const auto mode : {DataMode::science, DataMode::random})
    for (const auto& name : model_names()) {
      SCOPED_TRACE(name + (mode == DataMode::random ? " random" : " science"));
      const auto data = make_dataset(options(name), mode, 7);
      const Batch whole = data->batch(0, 8);
      const Batch first = data->batch(0, 4), second = data->batch(4, 4);
      // 2 ranks with halves of a batch see exactly what 1 rank sees in the whole batch.
      EXPECT_TRUE(torch::equal(whole.input, torch::cat({first.input, second.input})));
      EXPECT_TRUE(torch::equal(whole.target, torch::cat({first.target, second.target})));
      EXPECT_TRUE(torch::equal(whole.input.narrow(0, 3, 2), data->batch(3, 2).input));
      // Another dataset object with the same seed agrees; another seed does not.
      EXPECT_TRUE(torch::equal(whole.input, make_dataset(options(name), mode, 7)->batch(0, 8).input));
      EXPECT_FALSE(torch::equal(whole.input, make_dataset(options(name), mode, 8)->batch(0, 8).input));
      EXPECT_EQ(data->kind(), name == "unet" ? TaskKind::regression : TaskKind::classification);
      EXPECT_FALSE(data->describe().empty());
    }
}

TEST_F(ModelsData, BatchesHaveTheModelsShapes) {
  for (const auto& name : model_names()) {
    SCOPED_TRACE(name);
    const auto data = make_dataset(options(name), DataMode::science, 1);
    const Batch batch = data->batch(100, 6);
    std::vector<std::int64_t> shape{6};
    for (const auto extent : sample_shape(options(name))) shape.push_back(extent);
    EXPECT_EQ(batch.input.sizes().vec(), shape);
    EXPECT_EQ(batch.input.scalar_type(), torch::kFloat32);
    EXPECT_TRUE(torch::isfinite(batch.input).all().item<bool>());
    if (data->kind() == TaskKind::regression) {
      EXPECT_EQ(batch.target.sizes().vec(), shape);
    } else {
      EXPECT_EQ(batch.target.sizes().vec(), std::vector<std::int64_t>{6});
      EXPECT_EQ(batch.target.scalar_type(), torch::kInt64);
    }
  }
  ModelOptions transformer = options("transformer");
  transformer.seq_len = 20;
  EXPECT_EQ(make_dataset(transformer, DataMode::science, 1)->batch(0, 2).input.sizes().vec(),
            (std::vector<std::int64_t>{2, 20}));
}

TEST_F(ModelsData, ClassesAreBalancedAndInRange) {
  const std::vector<std::pair<std::string, std::int64_t>> classes{{"mlp", 10}, {"resnet", 4}, {"transformer", 5}};
  for (const auto& [name, count] : classes) {
    SCOPED_TRACE(name);
    const torch::Tensor labels = make_dataset(options(name), DataMode::science, 3)->batch(0, 400).target;
    EXPECT_GE(labels.min().item<std::int64_t>(), 0);
    EXPECT_LT(labels.max().item<std::int64_t>(), count);
    const torch::Tensor histogram = torch::bincount(labels, {}, count);
    EXPECT_GT(histogram.min().item<std::int64_t>(), 400 / count / 2);
  }
}

TEST_F(ModelsData, HeldOutNeverOverlapsTraining) {
  static_assert(kHeldOutFirst >= kTrainingSamples);
  for (const auto& name : model_names()) {
    SCOPED_TRACE(name);
    const auto data = make_dataset(options(name), DataMode::science, 1);
    const Batch held = held_out(*data, 32);
    EXPECT_TRUE(torch::equal(held.input, data->batch(kHeldOutFirst, 32).input));
    const torch::Tensor training = data->batch(0, 256).input.flatten(1);
    // No held-out sample equals (or nearly equals) any training sample.
    const torch::Tensor distances = torch::cdist(held.input.flatten(1), training);
    EXPECT_GT(distances.min().item<double>(), 1e-3);
  }
  const auto data = make_dataset(options("mlp"), DataMode::science, 1);
  EXPECT_THROW(data->batch(-1, 2), std::invalid_argument);
  EXPECT_THROW(data->batch(2 * kTrainingSamples - 1, 2), std::invalid_argument);
  EXPECT_EQ(data->batch(5, 0).input.size(0), 0);
}

TEST_F(ModelsData, BadModelOptionsAreRejected) {
  EXPECT_THROW(make_dataset(options("foo"), DataMode::science, 1), std::invalid_argument);
}

TEST_F(ModelsData, PowerLawFieldsHaveTheirSpectralSlope) {
  constexpr std::size_t n = 64;
  for (const double slope : kPowerSpectrumSlopes) {
    SCOPED_TRACE(slope);
    std::vector<double> power(n / 2 + 1, 0.0);
    for (std::uint64_t i = 0; i < 20; ++i) {
      SampleRng rng(1, i);
      const auto spectrum = radial_power_spectrum(power_law_field(n, slope, rng), n);
      for (std::size_t k = 0; k < power.size(); ++k) power[k] += spectrum[k];
    }
    // Least-squares slope of log P against log k over k = 2..16.
    double sx = 0, sy = 0, sxx = 0, sxy = 0, count = 0;
    for (std::size_t k = 2; k <= 16; ++k) {
      const double x = std::log(static_cast<double>(k)), y = std::log(power[k]);
      sx += x, sy += y, sxx += x * x, sxy += x * y, count += 1;
    }
    const double fitted = (count * sxy - sx * sy) / (count * sxx - sx * sx);
    EXPECT_NEAR(fitted, -slope, 0.15);
  }
}

TEST_F(ModelsData, FftRoundTrips) {
  std::vector<std::complex<double>> grid(16 * 16);
  SampleRng rng(1, 1);
  for (auto& value : grid) value = {rng.normal(), rng.normal()};
  auto copy = grid;
  fft2(copy, 16, false);
  fft2(copy, 16, true);
  for (std::size_t i = 0; i < grid.size(); ++i) EXPECT_NEAR(std::abs(copy[i] - grid[i]), 0.0, 1e-12);
  EXPECT_THROW(fft(grid.data(), 12, 1, false), std::invalid_argument);
}

double mean(const std::vector<double>& u) { return std::accumulate(u.begin(), u.end(), 0.0) / static_cast<double>(u.size()); }
double max_abs(const std::vector<double>& u) {
  double m = 0;
  for (const double v : u) m = std::max(m, std::abs(v));
  return m;
}

TEST_F(ModelsSolver, ConservesMassAndIsStable) {
  const AdvectionDiffusion solver(32, 1.0, -0.5, 0.005);
  SampleRng rng(3, 0);
  std::vector<double> u = smooth_field(32, 4.0, rng);
  for (double& v : u) v += 2.0;  // non-zero mean
  const double mass = mean(u);
  double peak = max_abs(u);
  const double dt = solver.max_stable_time_step();  // at the limit itself
  for (int step = 0; step < 300; ++step) {
    solver.step(u, dt);
    const double now = max_abs(u);
    ASSERT_LE(now, peak * (1.0 + 1e-12)) << "step " << step;  // monotone: the maximum never grows
    peak = now;
  }
  EXPECT_NEAR(mean(u), mass, 1e-12);
  EXPECT_GT(peak, 0.0);
  EXPECT_THROW(solver.step(u, 1.01 * dt), std::invalid_argument);
  EXPECT_EQ(solver.advance(u, 10 * dt, 0.5), 20u);  // steps of half the limit
}

TEST_F(ModelsSolver, AdvectionMovesTheCentroidAtTheFlowVelocity) {
  // Upwind fluxes move a blob's centre of mass by exactly c × t; diffusion does not move it.
  constexpr std::size_t n = 64;
  const AdvectionDiffusion solver(n, 0.5, 0.25, 0.002);
  std::vector<double> u(n * n);
  for (std::size_t y = 0; y < n; ++y)
    for (std::size_t x = 0; x < n; ++x) {
      const double dx = (static_cast<double>(x) - 20.0) / 3.0, dy = (static_cast<double>(y) - 20.0) / 3.0;
      u[y * n + x] = std::exp(-0.5 * (dx * dx + dy * dy));
    }
  auto centroid = [&](const std::vector<double>& field) {
    double mass = 0, cx = 0, cy = 0;
    for (std::size_t y = 0; y < n; ++y)
      for (std::size_t x = 0; x < n; ++x) {
        mass += field[y * n + x];
        cx += static_cast<double>(x) * field[y * n + x];
        cy += static_cast<double>(y) * field[y * n + x];
      }
    return std::pair{cx / mass, cy / mass};
  };
  const auto [x0, y0] = centroid(u);
  solver.advance(u, 0.25);  // moves (0.125, 0.0625) of the domain = (8, 4) cells
  const auto [x1, y1] = centroid(u);
  EXPECT_NEAR(x1 - x0, 8.0, 1e-6);
  EXPECT_NEAR(y1 - y0, 4.0, 1e-6);
}

TEST_F(ModelsSolver, SurrogatePairsKeepTheMeanAndMove) {
  const auto data = make_dataset(options("unet"), DataMode::science, 1);
  const Batch batch = data->batch(0, 4);
  // Inputs are unit-variance, zero-mean fields; targets keep the mean (mass) and lose some
  // variance to diffusion.
  for (std::int64_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(batch.input[i].mean().item<double>(), 0.0, 1e-5);
    EXPECT_NEAR(batch.target[i].mean().item<double>(), 0.0, 1e-5);
    EXPECT_NEAR(batch.input[i].pow(2).mean().item<double>(), 1.0, 1e-4);
    EXPECT_LT(batch.target[i].pow(2).mean().item<double>(), 1.0);
  }
  // The surrogate has something to learn: the field moves.
  EXPECT_GT((batch.input - batch.target).pow(2).mean().item<double>(), 0.1);
}

}  // namespace
}  // namespace sciperf::models
