#include "harness/runner.h"

#include "harness/collection.h"
#include "harness/rank_sync.h"
#include "harness/statistics.h"
#include "harness/suite.h"
#include "harness/summary.h"
#include "harness/timing_loop.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <iterator>
#include <map>

#include <unistd.h>

namespace sciperf {

std::filesystem::path rank_state_file(const std::filesystem::path& output_dir, int rank) {
  return output_dir / ".ranks" / fmt::format("rank-{}.json", rank);
}

namespace {

// Best effort: on a cluster without a shared file system the other ranks cannot write here,
// and a missing note only makes a failure report less specific.
void note_rank_state(const std::filesystem::path& output_dir, int rank, const RankState& state) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  nlohmann::json note{{"rank", rank},       {"pid", ::getpid()},           {"host", host},
                      {"phase", state.phase}, {"case", state.case_name}, {"case_started", state.case_started}};
  try {
    write_file_atomically(rank_state_file(output_dir, rank), note.dump());
  } catch (const std::exception&) {
  }
}

double unix_time() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

nlohmann::json metric_json(double value, const std::string& unit, Direction direction) {
  return {{"value", value}, {"unit", unit}, {"direction", to_string(direction)}};
}

nlohmann::json validation_json(const Validation& v) {
  return {{"passed", v.passed},     {"method", v.method},       {"checked", v.checked},
          {"mismatches", v.mismatches}, {"max_error", v.max_error}, {"detail", v.detail}};
}

// The harness's own metrics (time per operation across ranks and, in isolated mode, the
// per-operation distribution), the suite's metrics derived from the time, and what the case
// measured itself. Every metric also gets its per-repetition samples, which comparisons test
// for significance; its value is the median over repetitions.
nlohmann::json case_metrics(const Measurement& m, const CaseInstance& instance, nlohmann::json& samples) {
  std::map<std::string, std::vector<double>> per_repetition;
  nlohmann::json metrics = nlohmann::json::object();
  auto add = [&](const Metric& metric) {
    per_repetition[metric.name].push_back(metric.value);
    metrics[metric.name] = metric_json(0, metric.unit, metric.direction);
  };
  const auto iterations = static_cast<std::size_t>(m.iterations);
  for (std::size_t r = 0; r < m.repetitions.size(); ++r) {
    const RepetitionSample& s = m.repetitions[r];
    add({"time_min", s.t_min, "s", Direction::lower_is_better});
    add({"time_avg", s.t_avg, "s", Direction::lower_is_better});
    add({"time_max", s.t_max, "s", Direction::lower_is_better});
    if (m.operation_times.size() >= (r + 1) * iterations) {
      const std::vector<double> operations(m.operation_times.begin() + static_cast<std::ptrdiff_t>(r * iterations),
                                           m.operation_times.begin() + static_cast<std::ptrdiff_t>((r + 1) * iterations));
      add({"time_median", median(operations), "s", Direction::lower_is_better});
      add({"time_p99", percentile(operations, 99.0), "s", Direction::lower_is_better});
    }
    for (const Metric& metric : instance.derived_metrics(s.t_avg)) add(metric);
  }
  for (const auto& repetition : m.case_metrics)
    for (const Metric& metric : repetition) add(metric);
  for (auto& [name, values] : per_repetition) metrics[name]["value"] = median(values);
  if (!m.operation_times.empty()) {
    // Pooled over all repetitions: the tail is better resolved by every operation at once.
    metrics["time_median"]["value"] = median(m.operation_times);
    metrics["time_p99"]["value"] = percentile(m.operation_times, 99.0);
  }
  if (!m.repetitions.empty()) {
    // Derived from the median time, so that e.g. bandwidth and time agree exactly.
    for (const Metric& metric : instance.derived_metrics(metrics["time_avg"]["value"].get<double>()))
      metrics[metric.name] = metric_json(metric.value, metric.unit, metric.direction);
  }
  samples = per_repetition;
  return metrics;
}

// The collectors' profiling passes (collector.h), after the timed one: each runs the case's
// operation `operations` more times (one more repetition for a case that drives its own
// measurement). Collective: every rank runs as many passes as any rank's collectors want, so
// no rank waits in a collective operation the others never start.
std::vector<Counter> profile_passes(CaseInstance& instance, RegionCounters& collectors, const CaseContext& context,
                                    int operations) {
  const int passes = static_cast<int>(allreduce_max(collectors.profile_passes(), context.comm));
  const bool own = instance.drives_own_measurement();
  std::vector<Counter> counters;
  for (int pass = 0; pass < passes; ++pass) {
    collectors.begin_profile({context.case_name, context.output_dir, context.rank, own ? 1 : operations, pass});
    if (own) {
      instance.run_repetition();
    } else {
      for (int i = 0; i < operations; ++i) instance.run_once();
      instance.wait();
    }
    std::vector<Counter> more = collectors.end_profile();
    counters.insert(counters.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return counters;
}

void mark(nlohmann::json& record, const std::string& status, const std::string& reason) {
  record["status"] = status;
  record["reason"] = reason;
}

// Everything between "agree to run" and "record": returns the finished case record and,
// on rank 0, Google Benchmark's rows for it.
nlohmann::json run_one(const CaseSpec& spec, const CaseContext& context, RegionCounters& collectors, int profile_operations,
                       nlohmann::json& benchmark_json, const std::function<void(const char*)>& enter) {
  nlohmann::json record = case_record(spec);
  enter(kPhaseSetUp);
  std::optional<std::string> local_skip = spec.suite->skip_reason(spec.params, context);
  if (auto reason = agree_reason(local_skip, context.comm)) {
    mark(record, "skipped", *reason);
    return record;
  }
  std::unique_ptr<CaseInstance> instance;
  std::optional<std::string> setup_error;
  try {
    instance = spec.suite->prepare(spec.params, context);
  } catch (const std::exception& error) {
    setup_error = fmt::format("set-up failed: {}", error.what());
  }
  enter(kPhaseSetUpDone);
  if (auto reason = agree_reason(setup_error, context.comm)) {
    mark(record, "failed", *reason);
    return record;
  }
  // Checked before timing (a wrong answer is never timed) and after (the timed operations
  // must not have broken it either).
  enter(kPhaseValidation);
  Validation before = instance->validate();
  record["validation"] = validation_json(before);
  if (!before.passed) {
    mark(record, "failed", fmt::format("validation failed: {}", before.detail));
    return record;
  }
  bool filtered_out = false;
  enter(kPhaseTiming);
  std::vector<Counter> counters;
  std::chrono::steady_clock::time_point region_start;
  double region_seconds = 0;
  const MeasuredRegion region{[&] {
                                collectors.begin();
                                region_start = std::chrono::steady_clock::now();
                              },
                              [&] {
                                region_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - region_start).count();
                                counters = collectors.end();
                              }};
  Measurement measurement = instance->drives_own_measurement()
                                ? measure_case_driven(*instance, spec.timing, region)
                                : measure(*instance, spec.name, spec.timing, context.comm, region, filtered_out);
  if (filtered_out) {
    mark(record, "skipped", "excluded by --benchmark_filter");
    return record;
  }
  enter(kPhaseValidationAfter);
  Validation after = instance->validate();
  record["validation"] = validation_json(after);
  record["timing"]["iterations"] = measurement.iterations;
  if (instance->drives_own_measurement()) record["timing"]["mode"] = "case_driven";
  if (!after.passed) {
    mark(record, "failed", fmt::format("validation failed after timing: {}", after.detail));
    return record;
  }
  nlohmann::json samples;
  record["metrics"] = case_metrics(measurement, *instance, samples);
  record["samples"] = std::move(samples);
  if (nlohmann::json details = instance->details(); !details.is_null()) record["details"] = std::move(details);
  enter(kPhaseProfiling);
  std::vector<Counter> profiled = profile_passes(*instance, collectors, context, profile_operations);
  counters.insert(counters.end(), std::make_move_iterator(profiled.begin()), std::make_move_iterator(profiled.end()));
  const nlohmann::json gathered = gather_counters(counters, context.comm);
  const Traffic traffic{static_cast<double>(measurement.iterations) * static_cast<double>(measurement.repetitions.size()),
                        allreduce_max(region_seconds, context.comm), instance->expected_wire_bytes_per_op()};
  if (gathered.is_object() && !gathered.empty()) {
    record["counters"] = gathered;
    if (auto derived = network_metrics(gathered, traffic); !derived.empty()) record["counter_metrics"] = derived;
  }
  benchmark_json = std::move(measurement.benchmark_json);
  return record;
}

}  // namespace

nlohmann::json case_record(const CaseSpec& spec) {
  nlohmann::json kinds = nlohmann::json::object();
  for (const auto& entry : spec.params.entries()) kinds[entry.name] = to_string(entry.kind);
  const TimingConfig& t = spec.timing;
  return {{"name", spec.name},
          {"suite", spec.suite->name()},
          {"params", spec.params.to_json()},
          {"param_kinds", kinds},
          {"status", "ok"},
          {"headline", spec.suite->headline_metrics()},
          {"timing",
           {{"mode", to_string(t.mode)}, {"warmup", t.warmup_iterations}, {"min_time_s", t.min_time},
            {"repetitions", t.repetitions}, {"iterations", 0}}}};
}

int run_cases(const RunRequest& request, MPI_Comm comm, ResultBundle* bundle) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  const SystemConfig& system = request.config->system;
  const CaseContext context{comm,       rank, size, system.ranks_per_node, system.threads_per_rank, system.devices_per_rank,
                            request.output_dir};
  Progress progress(rank == 0 ? request.progress : ProgressStyle::none, request.cases.size(), stderr);
  bool any_failed = false;
  RegionCounters collectors(*request.collectors, request.config->collector_sample_interval);
  for (std::size_t i = 0; i < request.cases.size(); ++i) {
    const CaseSpec& spec = request.cases[i];
    progress.start(i, spec.name);
    RankState state{"", spec.name, unix_time()};
    auto enter = [&](const char* phase) {
      state.phase = phase;
      note_rank_state(request.output_dir, rank, state);
    };
    nlohmann::json benchmark_json;
    CaseContext case_context = context;
    case_context.case_name = spec.name;
    nlohmann::json record =
        run_one(spec, case_context, collectors, request.config->collector_profile_operations, benchmark_json, enter);
    const std::string status = record["status"];
    any_failed |= status == "failed";
    if (bundle) {
      bundle->add_case(record, benchmark_json);
      bundle->write();
    }
    progress.finish(i, spec.name, status, status == "ok" ? headline_text(record) : record.value("reason", ""));
  }
  note_rank_state(request.output_dir, rank, {kPhaseFinished, "", unix_time()});
  progress.close();
  if (bundle) {
    bundle->finish("complete");
    bundle->write();
  }
  return any_failed ? 1 : 0;
}

}  // namespace sciperf
