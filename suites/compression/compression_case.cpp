#include "suites/compression/compression_case.h"

#include "harness/rank_sync.h"
#include "harness/statistics.h"
#include "kernels/models/fit.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <mutex>
#include <numeric>

namespace sciperf::suites::compression {
namespace {

// Normwise relative error of an engine against the float64 reference of the same compressed
// model. Float32 arithmetic stays far below 1e-4; 16-bit and 8-bit inputs may round to the
// neighbouring level where float32 and float64 differ in the last bit, and LibTorch's int8
// quantizes with its own (per-tensor) ranges rather than the reference's.
double tolerance(const VariantSpec& spec, EngineKind engine) {
  switch (spec.variant) {
    case Variant::fp16:
    case Variant::bf16: return 1e-2;
    case Variant::int8_dynamic: return engine == EngineKind::libtorch ? 5e-2 : 1e-2;
    case Variant::int8_static: return 1e-2;
    default: return 1e-4;
  }
}

double relative_error(const torch::Tensor& approx, const torch::Tensor& reference) {
  const double norm = reference.norm().item<double>();
  const double error = (approx.to(torch::kFloat64) - reference.to(torch::kFloat64)).norm().item<double>();
  return norm > 0 ? error / norm : error;
}

// Pools every rank's call latencies, so percentiles are of all calls, never averaged.
std::vector<double> gather_all(const std::vector<double>& local, MPI_Comm comm) {
  int size = 1;
  MPI_Comm_size(comm, &size);
  const int count = static_cast<int>(local.size());
  std::vector<int> counts(static_cast<std::size_t>(size)), offsets(static_cast<std::size_t>(size), 0);
  MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, comm);
  std::partial_sum(counts.begin(), counts.end() - 1, offsets.begin() + 1);
  std::vector<double> all(static_cast<std::size_t>(offsets.back() + counts.back()));
  MPI_Allgatherv(local.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE, comm);
  return all;
}

}  // namespace

std::shared_ptr<const TrainedModel> trained_model(const models::ModelOptions& options) {
  static std::mutex mutex;
  static std::string cached_key;
  static std::shared_ptr<const TrainedModel> cached;
  const std::string key = fmt::format("{}/{}/{}/{}/{}/{}/{}", options.name, options.size, options.layers, options.width,
                                      options.heads, options.seq_len, options.seed);
  std::lock_guard lock(mutex);
  if (cached && cached_key == key) return cached;
  auto model = models::make_model(options);
  auto trained = std::make_shared<TrainedModel>();
  trained->task = models::task_for(options);
  trained->data = models::make_dataset(options, models::DataMode::science, options.seed);
  const models::FitResult fit = models::fit(*model, *trained->data, trained->task, models::FitOptions{});
  if (!fit.reached_target)
    throw std::runtime_error(fmt::format("the dense {} did not reach its target held-out loss {} in {} steps (got {:.4g})",
                                         model->describe(), trained->task.target_loss, fit.steps, fit.held_out_loss));
  auto layers = linear_chain(*model, options);
  if (!layers) throw std::invalid_argument(fmt::format("model '{}' is not a chain of Linear layers", options.name));
  trained->layers = std::move(*layers);
  cached_key = key;
  cached = std::move(trained);
  return cached;
}

CompressionCase::CompressionCase(CompressionSettings settings, const CaseContext& context)
    : settings_(std::move(settings)), context_(context) {
  torch::set_num_threads(std::max(1, context_.threads_per_rank));
  trained_ = trained_model(settings_.model);
  const torch::Tensor calibration = trained_->data->batch(0, settings_.calibration_samples).input;
  chain_ = compress(trained_->layers, settings_.variant, calibration);
  engine_ = make_engine(settings_.engine, chain_);
  dense_chain_ = compress(trained_->layers, VariantSpec{}, calibration);
  dense_ = make_engine(settings_.engine, dense_chain_);
  eval_ = models::held_out(*trained_->data, settings_.eval_samples);
  for (std::int64_t first = 0; first + settings_.batch <= eval_.input.size(0) && batches_.size() < 16; first += settings_.batch)
    batches_.push_back(eval_.input.slice(0, first, first + settings_.batch).contiguous());
  if (batches_.empty()) batches_.push_back(eval_.input.slice(0, 0, settings_.batch).contiguous());
  measure_quality();
}

void CompressionCase::measure_quality() {
  const torch::Tensor dense_out = dense_->forward(eval_.input);
  const torch::Tensor out = engine_->forward(eval_.input);
  const models::TaskKind kind = trained_->task.kind;
  const double quality = models::quality(kind, out, eval_.target), dense_quality = models::quality(kind, dense_out, eval_.target);
  const double error = relative_error(out, dense_out);
  const bool accuracy = trained_->task.quality_metric == "accuracy";
  const Direction quality_direction = accuracy ? Direction::higher_is_better : Direction::lower_is_better;
  const std::string unit = accuracy ? "%" : "";
  const double scale = accuracy ? 100.0 : 1.0;
  quality_ = {
      {"quality", scale * quality, unit, quality_direction},
      {"dense_quality", scale * dense_quality, unit, quality_direction},
      // Positive is better for either kind of metric: accuracy gained, relative L2 error lost.
      {"accuracy_delta", scale * (accuracy ? quality - dense_quality : dense_quality - quality), accuracy ? "points" : "",
       Direction::higher_is_better},
      {"relative_error", error, "", Direction::lower_is_better},
      {"model_bytes", static_cast<double>(engine_->bytes()), "bytes", Direction::lower_is_better},
      {"dense_bytes", static_cast<double>(dense_->bytes()), "bytes", Direction::lower_is_better},
      {"compression_ratio", static_cast<double>(dense_->bytes()) / static_cast<double>(engine_->bytes()), "x",
       Direction::higher_is_better},
      {"weight_sparsity", 100.0 * weight_sparsity(chain_), "%", Direction::higher_is_better},
  };
  // An exact copy of the dense output (the dense variant) has no finite SQNR.
  if (error > 0) quality_.push_back({"sqnr", -20.0 * std::log10(error), "dB", Direction::higher_is_better});
}

void CompressionCase::run_once() { engine_->forward(batches_.front()); }

Validation CompressionCase::validate() {
  // Samples the quality measurement did not see, through the batch size that is timed.
  const torch::Tensor input =
      models::held_out(*trained_->data, settings_.eval_samples + settings_.batch).input.slice(0, settings_.eval_samples);
  const double tol = tolerance(settings_.variant, settings_.engine);
  const double error = relative_error(engine_->forward(input), reference_forward(chain_, input));
  const double dense_error = relative_error(dense_->forward(input), reference_forward(dense_chain_, input));
  const double worst = allreduce_max(std::max(error / tol, dense_error / 1e-4), context_.comm);
  Validation v;
  v.method = fmt::format("||out - ref||/||ref|| <= {:g} against the float64 reference of the same compressed model "
                         "(the dense baseline: <= 1e-4)", tol);
  v.checked = static_cast<std::uint64_t>(allreduce_sum(static_cast<double>(2 * input.size(0)), context_.comm));
  v.max_error = worst;
  v.passed = worst <= 1.0;
  if (!v.passed) {
    v.mismatches = 1;
    v.detail = fmt::format("relative error {:.3g} (variant, tolerance {:g}) and {:.3g} (dense, 1e-4) on rank {}", error, tol,
                           dense_error, context_.rank);
  }
  return v;
}

std::vector<double> CompressionCase::time_calls(Engine& engine, std::int64_t calls) {
  std::vector<double> seconds;
  seconds.reserve(static_cast<std::size_t>(calls));
  for (std::int64_t i = 0; i < calls; ++i) {
    const torch::Tensor& input = batches_[next_batch_++ % batches_.size()];
    const auto start = std::chrono::steady_clock::now();
    engine.forward(input);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return seconds;
}

std::vector<Metric> CompressionCase::run_repetition() {
  if (!warmed_up_) {
    time_calls(*dense_, 3);
    time_calls(*engine_, 3);
    warmed_up_ = true;
  }
  // Blocks of about 1/20 of the repetition each, sized from one call of each model.
  const double one_call = std::max(1e-6, time_calls(*dense_, 1).front() + time_calls(*engine_, 1).front());
  const auto block = static_cast<std::int64_t>(std::clamp(settings_.duration / 20.0 / one_call, 1.0, 10000.0));
  std::vector<double> dense_times, times;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(settings_.duration);
  do {
    for (double t : time_calls(*dense_, block)) dense_times.push_back(t);
    for (double t : time_calls(*engine_, block)) times.push_back(t);
  } while (std::chrono::steady_clock::now() < deadline);
  const double local_rate = static_cast<double>(settings_.batch * static_cast<std::int64_t>(times.size())) /
                            std::accumulate(times.begin(), times.end(), 0.0);
  const std::vector<double> all = gather_all(times, context_.comm), dense_all = gather_all(dense_times, context_.comm);
  const double p50 = percentile(all, 50), dense_p50 = percentile(dense_all, 50);
  std::vector<Metric> metrics{
      {"latency_p50", p50, "s", Direction::lower_is_better},
      {"latency_p99", percentile(all, 99), "s", Direction::lower_is_better},
      {"samples_per_s", allreduce_sum(local_rate, context_.comm), "samples/s", Direction::higher_is_better},
      {"dense_latency_p50", dense_p50, "s", Direction::lower_is_better},
      {"dense_latency_p99", percentile(dense_all, 99), "s", Direction::lower_is_better},
      {"speedup", dense_p50 / p50, "x", Direction::higher_is_better},
  };
  metrics.insert(metrics.end(), quality_.begin(), quality_.end());
  return metrics;
}

nlohmann::json CompressionCase::details() const {
  nlohmann::json layers = nlohmann::json::array();
  for (const CompressedLayer& layer : chain_.layers) {
    nlohmann::json entry{{"name", layer.name}, {"in", layer.in()}, {"out", layer.out()}};
    if (layer.rank > 0) entry["rank"] = layer.rank;
    if (layer.input_params) entry["input_scale"] = layer.input_params->scale, entry["input_zero_point"] = layer.input_params->zero_point;
    layers.push_back(std::move(entry));
  }
  return {{"variant", variant_name(chain_.spec.variant)},
          {"path", engine_->path()},
          {"dense_path", dense_->path()},
          {"quality_metric", trained_->task.quality_metric},
          {"eval_samples", eval_.input.size(0)},
          {"layers", std::move(layers)}};
}

}  // namespace sciperf::suites::compression
