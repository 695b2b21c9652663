#include "suites/inference/inference_case.h"

#include "harness/rank_sync.h"
#include "suites/common/torch_device.h"
#include "suites/inference/loadgen/load_generator.h"
#include "suites/inference/loadgen/server_qps_search.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <numeric>

namespace sciperf::suites::inference {
namespace {

// Outputs served through the SUT may differ from one fp32 forward over every sample by
// batching (a different summation order) or, in bf16, by the precision itself.
double output_tolerance(bool bf16) { return bf16 ? 5e-2 : 1e-4; }

Dispatch dispatch_for(loadgen::Scenario scenario) {
  const auto arrivals = loadgen::traits_of(scenario).arrivals;
  return arrivals == loadgen::Arrivals::after_previous ? Dispatch::inline_call : Dispatch::batching_worker;
}

// Every rank's invalid reasons, gathered so that all ranks hold the same list.
std::vector<std::string> gather_reasons(const std::string& local, MPI_Comm comm) {
  int size = 1;
  MPI_Comm_size(comm, &size);
  const int length = static_cast<int>(local.size());
  std::vector<int> lengths(static_cast<std::size_t>(size));
  MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, comm);
  std::vector<int> offsets(lengths.size(), 0);
  std::partial_sum(lengths.begin(), lengths.end() - 1, offsets.begin() + 1);
  std::string all(static_cast<std::size_t>(offsets.back() + lengths.back()), '\0');
  MPI_Allgatherv(local.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, comm);
  std::vector<std::string> reasons;
  for (std::size_t r = 0; r < lengths.size(); ++r)
    if (lengths[r] > 0) reasons.push_back(fmt::format("rank {}: {}", r, all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lengths[r]))));
  return reasons;
}

}  // namespace

InferenceCase::InferenceCase(InferenceSettings settings, const CaseContext& context)
    : settings_(std::move(settings)),
      context_(context),
      device_(rank_device(settings_.device, context)),
      task_(models::task_for(settings_.model)) {
  loadgen::validate(settings_.loadgen);
  torch::set_num_threads(std::max(1, context_.threads_per_rank));
  model_ = models::make_model(settings_.model);
  data_ = models::make_dataset(settings_.model, models::DataMode::science, settings_.model.seed);
  // Every rank trains the same replica (same seed, same samples): serving needs no
  // communication, and the accuracy recorded is the one every rank serves.
  if (settings_.train) fit_ = models::fit(*model_, *data_, task_, models::FitOptions{});
  model_->to(device_);
  library_ = std::make_unique<ModelSampleLibrary>(*data_, settings_.samples, device_);
  sut_ = std::make_unique<ModelSystemUnderTest>(*model_, *library_, settings_.bf16, device_,
                                                dispatch_for(settings_.loadgen.scenario), settings_.max_batch);
}

void InferenceCase::run_once() {
  const loadgen::SampleIndex first = 0;
  sut_->infer(std::span(&first, 1));
}

Validation InferenceCase::validate() {
  if (!checked_before_) {
    checked_before_ = true;
    return check_outputs();
  }
  Validation v = check_outputs();
  if (v.passed && !invalid_.empty()) {
    v.passed = false;
    v.detail = fmt::format("invalid result (MLPerf LoadGen's rules): {}", fmt::join(invalid_, "; "));
  }
  return v;
}

// The outputs the SUT serves, in batches of 1, 3 and max_batch samples, against one fp32
// forward of the same model over every sample at once.
Validation InferenceCase::check_outputs() {
  torch::Tensor reference;
  {
    c10::InferenceMode inference;
    reference = model_->forward(library_->all().input).to(torch::kFloat32);
  }
  std::vector<loadgen::SampleIndex> all(library_->total_sample_count());
  std::iota(all.begin(), all.end(), 0);
  std::vector<torch::Tensor> served;
  std::size_t first = 0;
  auto serve = [&](std::size_t count) {
    count = std::min(count, all.size() - first);
    if (count == 0) return;
    served.push_back(sut_->infer(std::span(all).subspan(first, count)));
    first += count;
  };
  serve(1);
  serve(3);
  while (first < all.size()) serve(static_cast<std::size_t>(settings_.max_batch));
  const torch::Tensor outputs = torch::cat(served);
  const double scale = reference.abs().max().item<double>();
  const double tolerance = output_tolerance(settings_.bf16) * std::max(scale, 1e-30);
  const torch::Tensor error = (outputs - reference).abs();
  Validation v;
  v.method = fmt::format("served outputs = one fp32 forward of the same model (|error| <= {} max|output|)",
                         output_tolerance(settings_.bf16));
  std::uint64_t mismatches = static_cast<std::uint64_t>((error > tolerance).sum().item<std::int64_t>());
  std::uint64_t checked = static_cast<std::uint64_t>(error.numel());
  MPI_Allreduce(MPI_IN_PLACE, &mismatches, 1, MPI_UINT64_T, MPI_SUM, context_.comm);
  MPI_Allreduce(MPI_IN_PLACE, &checked, 1, MPI_UINT64_T, MPI_SUM, context_.comm);
  v.checked = checked;
  v.mismatches = mismatches;
  v.max_error = allreduce_max(error.max().item<double>() / tolerance, context_.comm);
  v.passed = mismatches == 0;
  if (!v.passed)
    v.detail = fmt::format("{} output elements differ from the reference by more than {:.3g} (worst {:.3g} x tolerance)",
                           mismatches, tolerance, v.max_error);
  return v;
}

// A short run of the same scenario (caches, allocator, thread pool), then the Server QPS
// search when asked for, before the first measured repetition.
void InferenceCase::warm_up() {
  loadgen::TestSettings warm = settings_.loadgen;
  warm.min_duration = std::min(0.2, warm.min_duration);
  warm.min_queries = 64;
  if (warm.scenario == loadgen::Scenario::server) warm.target_qps = std::min(warm.target_qps, 1000.0);
  MPI_Barrier(context_.comm);
  loadgen::run_scenario(*sut_, *library_, warm);
  if (settings_.qps_search) {
    const loadgen::QpsSearchResult search = loadgen::server_qps_search(*sut_, *library_, settings_.loadgen);
    searched_qps_ = search.best_qps;
    search_curve_ = nlohmann::json::array();
    for (const auto& point : search.curve)
      search_curve_.push_back({{"offered_qps", point.offered_qps},
                               {"achieved_qps", point.achieved_qps},
                               {"p99_latency", point.percentile_latency},
                               {"valid", point.valid}});
    search_curve_ = {{"points", search_curve_}, {"stopped_because", search.stopped_because}, {"best_qps", search.best_qps}};
    // The measured repetitions run at the QPS found, when one was.
    if (search.best_qps > 0) settings_.loadgen.target_qps = search.best_qps;
  }
  warmed_up_ = true;
}

std::vector<Metric> InferenceCase::run_repetition() {
  if (!warmed_up_) warm_up();
  MPI_Barrier(context_.comm);
  const std::uint64_t batches_before = sut_->batches_run();
  loadgen::ScenarioResult result = loadgen::run_scenario(*sut_, *library_, settings_.loadgen);
  for (const std::string& reason : gather_reasons(result.valid ? "" : result.invalid_reason, context_.comm))
    invalid_.push_back(reason);
  if (context_.rank == 0) runs_.push_back(loadgen::to_json(result));
  std::vector<Metric> metrics = merged_metrics(result);
  // The parameters' share of the bytes depends on the batch the SUT actually ran: samples
  // over forward passes in this repetition, all ranks.
  const double batches = allreduce_sum(static_cast<double>(sut_->batches_run() - batches_before), context_.comm);
  const double mean_batch = allreduce_sum(static_cast<double>(result.samples_completed), context_.comm) / std::max(batches, 1.0);
  const double bytes_per_sample = models::forward_bytes_per_sample(*model_, mean_batch);
  metrics.push_back({"bytes_per_sample", bytes_per_sample, "bytes", Direction::lower_is_better});
  metrics.push_back({"arithmetic_intensity", model_->forward_flops_per_sample() / bytes_per_sample, "FLOP/B",
                     Direction::higher_is_better});
  return metrics;
}

// Latencies from the histogram merged over ranks; rates summed over ranks.
std::vector<Metric> InferenceCase::merged_metrics(loadgen::ScenarioResult& result) {
  loadgen::LatencyHistogram latencies = result.latencies;
  latencies.merge_across_ranks(context_.comm);
  loadgen::LatencyHistogram delays = result.issue_delays;
  delays.merge_across_ranks(context_.comm);
  const MPI_Comm comm = context_.comm;
  std::vector<Metric> metrics{
      {"latency_p50", latencies.percentile_seconds(0.50), "s", Direction::lower_is_better},
      {"latency_p90", latencies.percentile_seconds(0.90), "s", Direction::lower_is_better},
      {"latency_p99", latencies.percentile_seconds(0.99), "s", Direction::lower_is_better},
      {"latency_mean", latencies.mean() * 1e-9, "s", Direction::lower_is_better},
      {"queries_per_s", allreduce_sum(result.achieved_qps, comm), "queries/s", Direction::higher_is_better},
      {"samples_per_s", allreduce_sum(result.samples_per_second, comm), "samples/s", Direction::higher_is_better},
      {"issue_delay_p99", delays.percentile_seconds(0.99), "s", Direction::lower_is_better},
      {"flops_per_sample", model_->forward_flops_per_sample(), "FLOP", Direction::lower_is_better}};
  if (settings_.loadgen.scenario == loadgen::Scenario::server)
    metrics.push_back({"scheduled_qps", allreduce_sum(result.scheduled_qps, comm), "queries/s", Direction::higher_is_better});
  if (searched_qps_)
    metrics.push_back({"max_qps_within_bound", allreduce_sum(*searched_qps_, comm), "queries/s", Direction::higher_is_better});
  if (fit_) {
    const bool accuracy = task_.quality_metric == "accuracy";
    metrics.push_back({"held_out_" + task_.quality_metric, fit_->held_out_quality, "",
                       accuracy ? Direction::higher_is_better : Direction::lower_is_better});
  }
  return metrics;
}

nlohmann::json InferenceCase::details() const {
  nlohmann::json details{{"model", model_->describe()},
                         {"task", {{"name", task_.name}, {"quality_metric", task_.quality_metric}}},
                         {"sut", {{"batches_run", sut_->batches_run()}, {"max_batch", settings_.max_batch}}},
                         {"runs", runs_}};
  if (fit_)
    details["training"] = {{"steps", fit_->steps}, {"held_out_loss", fit_->held_out_loss},
                           {"reached_target", fit_->reached_target}, {"target_loss", task_.target_loss}};
  if (!search_curve_.is_null()) details["qps_search"] = search_curve_;
  return details;
}

}  // namespace sciperf::suites::inference
