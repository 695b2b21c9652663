#include "kernels/models/data.h"

#include "kernels/models/advection_diffusion.h"
#include "kernels/models/fields.h"
#include "kernels/models/sample_rng.h"
#include "kernels/models/signals.h"

#include <functional>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace sciperf::models {
namespace {

// The advection–diffusion surrogate's physics (unit square, periodic): the initial field has
// modes up to wavenumber 4; the flow moves it by (2, 1) cells of a 32-cell grid in kUnetHorizon.
inline constexpr double kVelocityX = 1.0;
inline constexpr double kVelocityY = 0.5;
inline constexpr double kDiffusivity = 0.005;
inline constexpr double kUnetHorizon = 0.0625;
inline constexpr double kInitialMaxWavenumber = 4.0;

std::string number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

std::int64_t elements(const std::vector<std::int64_t>& shape) {
  return std::accumulate(shape.begin(), shape.end(), std::int64_t{1}, std::multiplies<>());
}

std::vector<std::int64_t> batch_shape(std::int64_t count, const std::vector<std::int64_t>& sample) {
  std::vector<std::int64_t> shape{count};
  shape.insert(shape.end(), sample.begin(), sample.end());
  return shape;
}

// A dataset whose sample i is made by make_sample from the stream (seed, i).
class GeneratedDataset : public Dataset {
 public:
  GeneratedDataset(TaskKind kind, std::vector<std::int64_t> sample_shape, std::uint64_t seed, const char* tag)
      : kind_(kind), sample_shape_(std::move(sample_shape)), seed_(mix64(seed) ^ hash_name(tag)), user_seed_(seed) {}

  TaskKind kind() const override { return kind_; }

  Batch batch(std::int64_t first_sample, std::int64_t count) const override {
    if (first_sample < 0 || count < 0 || first_sample > 2 * kTrainingSamples - count)
      throw std::invalid_argument("dataset: samples [" + std::to_string(first_sample) + ", +" + std::to_string(count) +
                                  ") outside [0, 2^41)");
    const std::int64_t size = elements(sample_shape_);
    Batch batch;
    batch.input = torch::empty(batch_shape(count, sample_shape_), torch::kFloat32);
    float* input = batch.input.data_ptr<float>();
    if (kind_ == TaskKind::classification) {
      batch.target = torch::empty({count}, torch::kInt64);
      std::int64_t* labels = batch.target.data_ptr<std::int64_t>();
      for (std::int64_t i = 0; i < count; ++i) {
        SampleRng rng(seed_, static_cast<std::uint64_t>(first_sample + i));
        labels[i] = make_sample(rng, input + i * size, nullptr);
      }
    } else {
      batch.target = torch::empty(batch_shape(count, sample_shape_), torch::kFloat32);
      float* targets = batch.target.data_ptr<float>();
      for (std::int64_t i = 0; i < count; ++i) {
        SampleRng rng(seed_, static_cast<std::uint64_t>(first_sample + i));
        make_sample(rng, input + i * size, targets + i * size);
      }
    }
    return batch;
  }

 protected:
  // Writes one sample's input (and, for regression, its target field); returns its class.
  virtual std::int64_t make_sample(SampleRng& rng, float* input, float* target) const = 0;

  const std::vector<std::int64_t>& sample_shape() const { return sample_shape_; }
  std::string seed_text() const { return " (seed " + std::to_string(user_seed_) + ")"; }

 private:
  TaskKind kind_;
  std::vector<std::int64_t> sample_shape_;
  std::uint64_t seed_;
  std::uint64_t user_seed_;
};

class SpectralBands final : public GeneratedDataset {
 public:
  SpectralBands(std::int64_t length, std::uint64_t seed)
      : GeneratedDataset(TaskKind::classification, {length}, seed, "spectral-bands") {}
  std::string describe() const override {
    return "spectral bands: " + std::to_string(sample_shape()[0]) +
           "-sample signals, a unit sinusoid with frequency in one of 10 bands [4 + 8b, 12 + 8b) cycles, 3 weaker "
           "tones (amplitude 0.1-0.5) anywhere in [4, 84), white noise sigma 0.5; class = the band b" +
           seed_text();
  }

 protected:
  std::int64_t make_sample(SampleRng& rng, float* input, float*) const override {
    const auto band = static_cast<int>(rng.below(kSpectralBands));
    band_signal(rng, band, input, sample_shape()[0]);
    return band;
  }
};

class LightCurves final : public GeneratedDataset {
 public:
  LightCurves(std::int64_t length, std::uint64_t seed)
      : GeneratedDataset(TaskKind::classification, {length}, seed, "light-curves") {}
  std::string describe() const override {
    return "light curves: " + std::to_string(sample_shape()[0]) +
           "-sample series from one of 5 families (periodic variable, eclipsing binary, transient with exponential "
           "decay, red-noise random walk, constant), amplitude 0.5-1.5, white noise sigma 0.2; class = the family" +
           seed_text();
  }

 protected:
  std::int64_t make_sample(SampleRng& rng, float* input, float*) const override {
    const auto family = static_cast<int>(rng.below(kLightCurveFamilies));
    light_curve(rng, family, input, sample_shape()[0]);
    return family;
  }
};

class SlopeFields final : public GeneratedDataset {
 public:
  SlopeFields(std::int64_t grid, std::uint64_t seed)
      : GeneratedDataset(TaskKind::classification, {1, grid, grid}, seed, "power-spectrum-slope") {}
  std::string describe() const override {
    const std::string grid = std::to_string(sample_shape()[1]);
    return "power-spectrum slopes: " + grid + "x" + grid +
           " periodic Gaussian random fields with P(k) ~ k^-s, s in {1, 2, 3, 4}, unit variance; class = s - 1" +
           seed_text();
  }

 protected:
  std::int64_t make_sample(SampleRng& rng, float* input, float*) const override {
    const std::int64_t label = rng.below(kSlopeClasses);
    const auto field = power_law_field(static_cast<std::size_t>(sample_shape()[1]), kPowerSpectrumSlopes[label], rng);
    std::copy(field.begin(), field.end(), input);
    return label;
  }
};

class AdvectionDiffusionPairs final : public GeneratedDataset {
 public:
  AdvectionDiffusionPairs(std::int64_t grid, std::uint64_t seed)
      : GeneratedDataset(TaskKind::regression, {1, grid, grid}, seed, "advection-diffusion"),
        solver_(static_cast<std::size_t>(grid), kVelocityX, kVelocityY, kDiffusivity) {}
  std::string describe() const override {
    const std::string grid = std::to_string(sample_shape()[1]);
    return "advection-diffusion: u(t) -> u(t + " + number(kUnetHorizon) + ") on a periodic " + grid + "x" +
           grid + " unit square, velocity (" + number(kVelocityX) + ", " + number(kVelocityY) +
           "), diffusivity " + number(kDiffusivity) +
           ", explicit upwind solver at half the stable time step; u(t) a unit-variance random field with modes "
           "|k| <= 4, amplitude 1/(1+|k|^2)" +
           seed_text();
  }

 protected:
  std::int64_t make_sample(SampleRng& rng, float* input, float* target) const override {
    auto field = smooth_field(solver_.n(), kInitialMaxWavenumber, rng);
    std::copy(field.begin(), field.end(), input);
    solver_.advance(field, kUnetHorizon);
    std::copy(field.begin(), field.end(), target);
    return 0;
  }

 private:
  AdvectionDiffusion solver_;
};

class RandomData final : public GeneratedDataset {
 public:
  RandomData(TaskKind kind, std::vector<std::int64_t> sample_shape, std::int64_t classes, std::uint64_t seed)
      : GeneratedDataset(kind, std::move(sample_shape), seed, "random"), classes_(classes) {}
  std::string describe() const override {
    std::string shape;
    for (const auto extent : sample_shape()) shape += (shape.empty() ? "" : "x") + std::to_string(extent);
    return "random: " + shape + " standard-normal inputs, " +
           (kind() == TaskKind::classification ? "uniform classes 0.." + std::to_string(classes_ - 1)
                                               : std::string("standard-normal target fields")) +
           " (throughput only, nothing to learn)" + seed_text();
  }

 protected:
  std::int64_t make_sample(SampleRng& rng, float* input, float* target) const override {
    const std::int64_t size = elements(sample_shape());
    for (std::int64_t i = 0; i < size; ++i) input[i] = static_cast<float>(rng.normal());
    if (target != nullptr)
      for (std::int64_t i = 0; i < size; ++i) target[i] = static_cast<float>(rng.normal());
    return kind() == TaskKind::classification ? rng.below(classes_) : 0;
  }

 private:
  std::int64_t classes_;
};

}  // namespace

std::unique_ptr<Dataset> make_dataset(const ModelOptions& model, DataMode mode, std::uint64_t seed) {
  const ModelShape shape = resolve_shape(model);
  if (mode == DataMode::random) {
    const auto sample = sample_shape(model);
    if (std::holds_alternative<UNetShape>(shape)) return std::make_unique<RandomData>(TaskKind::regression, sample, 0, seed);
    std::int64_t classes = 0;
    if (const auto* mlp = std::get_if<MlpShape>(&shape)) classes = mlp->widths.back();
    if (const auto* resnet = std::get_if<ResNetShape>(&shape)) classes = resnet->classes;
    if (const auto* transformer = std::get_if<TransformerShape>(&shape)) classes = transformer->classes;
    return std::make_unique<RandomData>(TaskKind::classification, sample, classes, seed);
  }
  if (const auto* mlp = std::get_if<MlpShape>(&shape)) return std::make_unique<SpectralBands>(mlp->widths.front(), seed);
  if (const auto* resnet = std::get_if<ResNetShape>(&shape)) return std::make_unique<SlopeFields>(resnet->grid, seed);
  if (const auto* unet = std::get_if<UNetShape>(&shape)) return std::make_unique<AdvectionDiffusionPairs>(unet->grid, seed);
  return std::make_unique<LightCurves>(std::get<TransformerShape>(shape).seq_len, seed);
}

Batch held_out(const Dataset& data, std::int64_t count) { return data.batch(kHeldOutFirst, count); }

}  // namespace sciperf::models
