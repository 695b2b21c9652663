#include "collectors/cupti/cupti_collector.h"

#include "collectors/cupti/activity.h"
#include "collectors/cupti/cuda/activity_tracer.h"
#include "collectors/cupti/cuda/metric_catalog.h"
#include "collectors/cupti/cuda/range_profiler.h"
#include "collectors/cupti/options.h"

#include <cuda_runtime_api.h>
#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <memory>

namespace sciperf::collectors {

namespace {

std::optional<std::string> no_device_reason() {
  int devices = 0;
  if (cudaError_t error = cudaGetDeviceCount(&devices); error != cudaSuccess)
    return fmt::format("no CUDA device (cudaGetDeviceCount: {})", cudaGetErrorString(error));
  if (devices == 0) return std::string("no CUDA device");
  return std::nullopt;
}

// Pass 0 traces activity; with metrics, passes 1..n are the Range Profiler's replay passes
// (each counts part of the metrics, so the case runs once per pass).
class CuptiCollector final : public Collector {
 public:
  CuptiCollector() : unavailable_(no_device_reason()) {}

  std::string_view name() const override { return "cupti"; }
  std::optional<std::string> unavailable_reason() const override { return unavailable_; }
  nlohmann::json describe() const override {
    nlohmann::json out{{"trace", options_.trace},
                       {"trace_events", options_.trace_events},
                       {"metrics", options_.metrics},
                       {"record_kinds", {"concurrent_kernel", "memcpy", "memset"}}};
    if (!chip_.empty()) out["chip"] = chip_;
    if (metric_passes_ > 0) out["metric_passes"] = metric_passes_;
    if (metrics_unavailable_) out["metrics_unavailable"] = *metrics_unavailable_;
    return out;
  }
  // Metric names are checked again against this GPU's own chip: a config checked offline for
  // another chip, or not at all, fails here, before anything is measured.
  void configure(const nlohmann::json& options) override {
    std::vector<OptionProblem> ignored;  // checked when the config was read
    options_ = cupti::read_options(options, ignored);
    if (unavailable_ || options_.metrics.empty()) return;
    if ((metrics_unavailable_ = cupti::profiling_unavailable_reason())) return;
    try {
      chip_ = cupti::current_chip();
      metric_passes_ = static_cast<int>(cupti::ProfilerHost(chip_).configure(options_.metrics).passes);
      for (const std::string& metric : options_.metrics) metric_units_[metric] = cupti::metric_info(chip_, metric).unit;
    } catch (const std::exception& error) {
      unavailable_ = fmt::format("collectors.cupti.metrics: {}", error.what());
    }
  }

  // Nothing in the timed pass: CUPTI's callbacks would add time to the work they watch.
  void begin() override {}
  std::vector<Counter> end() override { return {}; }

  int profile_passes() const override { return 1 + metric_passes_; }
  void begin_profile(const ProfilePass& pass) override {
    pass_ = pass;
    if (pass.index == 0) return begin_tracing();
    try {
      if (pass.index == 1) profiler_ = std::make_unique<cupti::RangeProfiler>(options_.metrics);
      if (profiler_) profiler_->begin_pass();
    } catch (const std::exception& error) {
      report(error.what());
      profiler_.reset();
    }
  }
  std::vector<Counter> end_profile() override {
    if (pass_.index == 0) return end_tracing();
    if (!profiler_) return pass_.index == metric_passes_ ? std::vector<Counter>{{"cupti.errors", 1, "count"}} : std::vector<Counter>{};
    try {
      profiler_->end_pass();
      if (pass_.index < metric_passes_) return {};
      std::vector<Counter> counters;
      for (const auto& [metric, value] : profiler_->results())
        counters.push_back({"cupti.metric." + metric, value, metric_units_[metric]});
      if (profiler_->needs_another_pass()) report("CUPTI wanted more replay passes than its config image said");
      profiler_.reset();
      return counters;
    } catch (const std::exception& error) {
      report(error.what());
      profiler_.reset();
      return {{"cupti.errors", 1, "count"}};
    }
  }

 private:
  void begin_tracing() {
    tracing_ = false;
    if (auto error = cupti::ActivityTracer::instance().start()) return report(*error);
    tracing_ = true;
  }
  std::vector<Counter> end_tracing() {
    if (!tracing_) return {{"cupti.errors", 1, "count"}};
    cupti::TraceResult trace = cupti::ActivityTracer::instance().stop();
    std::vector<Counter> counters =
        cupti::summary_counters(cupti::summarize(trace.records), pass_.operations, trace.dropped);
    if (options_.trace) write_trace(trace.records);
    return counters;
  }

  void report(const std::string& problem) const {
    std::fprintf(stderr, "cupti (rank %d, case %s): %s\n", pass_.rank, pass_.case_name.c_str(), problem.c_str());
  }

  void write_trace(const std::vector<cupti::ActivityRecord>& records) const {
    try {
      cupti::write_chrome_trace(pass_.output_dir, pass_.case_name, pass_.rank,
                                cupti::chrome_trace(records, static_cast<std::size_t>(options_.trace_events), pass_.rank,
                                                    pass_.case_name));
    } catch (const std::exception& error) {
      report(fmt::format("trace file not written: {}", error.what()));
    }
  }

  std::optional<std::string> unavailable_;
  std::optional<std::string> metrics_unavailable_;  // activity still works without metrics
  cupti::CuptiOptions options_;
  std::string chip_;
  int metric_passes_ = 0;
  std::map<std::string, std::string> metric_units_;  // CUPTI's dimension of each metric ("byte", "percent")
  ProfilePass pass_;
  bool tracing_ = false;
  std::unique_ptr<cupti::RangeProfiler> profiler_;
};

}  // namespace

std::unique_ptr<Collector> make_cupti_collector() { return std::make_unique<CuptiCollector>(); }

}  // namespace sciperf::collectors
