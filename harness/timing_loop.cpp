#include "harness/timing_loop.h"

#include "harness/rank_sync.h"
#include "harness/suite.h"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <regex>
#include <sstream>

namespace sciperf {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Rank-local seconds for `count` operations, timed as the measurement will be: back to back
// (pipelined), or each after a barrier and waited for (isolated), so the pilot sizes the
// repetitions for the mode they run in.
double time_operations(CaseInstance& instance, std::int64_t count, TimingMode mode, MPI_Comm comm) {
  auto start = Clock::now();
  for (std::int64_t i = 0; i < count; ++i) {
    if (mode == TimingMode::isolated) MPI_Barrier(comm);
    instance.run_once();
    if (mode == TimingMode::isolated) instance.wait();
  }
  instance.wait();
  return seconds_since(start);
}

// Isolated mode keeps each operation's time on every rank and reduces them over ranks: at
// most 2^24 of them per case (128 MiB), whatever max_iterations allows.
std::int64_t iteration_cap(const TimingConfig& timing) {
  constexpr std::int64_t kMaxOperationTimes = std::int64_t{1} << 24;
  if (timing.mode != TimingMode::isolated) return timing.max_iterations;
  return std::max<std::int64_t>(1, std::min(timing.max_iterations, kMaxOperationTimes / timing.repetitions));
}

// Grows a pilot batch until the slowest rank spends a tenth of min_time in it, then sizes the
// repetition from the slowest rank's time per operation. Every decision uses values reduced
// over ranks, so all ranks take the same branches and agree on the count.
std::int64_t agree_iterations(CaseInstance& instance, const TimingConfig& timing, MPI_Comm comm) {
  const double pilot_target = timing.min_time / 10;
  std::int64_t batch = 1;
  while (true) {
    MPI_Barrier(comm);
    const double slowest = allreduce_max(time_operations(instance, batch, timing.mode, comm), comm);
    if (slowest >= pilot_target || batch >= iteration_cap(timing)) {
      const double per_operation = std::max(slowest / static_cast<double>(batch), 1e-12);
      auto iterations = static_cast<std::int64_t>(std::ceil(timing.min_time / per_operation));
      return broadcast_from_root(std::clamp<std::int64_t>(iterations, 1, iteration_cap(timing)), comm);
    }
    const double grow = slowest > 0 ? pilot_target / slowest * 1.5 : 10.0;
    batch = std::min<std::int64_t>(iteration_cap(timing),
                                   std::max<std::int64_t>(batch * 2, static_cast<std::int64_t>(batch * std::min(grow, 100.0))));
  }
}

RepetitionSample reduce_over_ranks(double seconds_per_op, MPI_Comm comm) {
  int size = 1;
  MPI_Comm_size(comm, &size);
  return {allreduce_min(seconds_per_op, comm), allreduce_sum(seconds_per_op, comm) / size,
          allreduce_max(seconds_per_op, comm)};
}

// Records nothing: ranks other than 0 run the same benchmarks but report through rank 0.
class SilentReporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

// Google Benchmark writes NaN and Inf bare; strict JSON has no such literals.
std::string strict_json(std::string text) {
  static const std::regex bare(R"((:\s*)-?(nan|NaN|inf|Inf|Infinity)\b)");
  return std::regex_replace(text, bare, "$1null");
}

// Google Benchmark appends "/iterations:N/repeats:R" to the names; the iteration count
// changes from run to run, so rows are named after the case for tools that match by name.
nlohmann::json with_case_names(nlohmann::json document, const std::string& name) {
  for (auto& row : document["benchmarks"]) {
    row["run_name"] = name;
    const bool aggregate = row.value("run_type", "") == "aggregate";
    row["name"] = aggregate ? fmt::format("{}_{}", name, row.value("aggregate_name", "")) : name;
  }
  return document;
}

}  // namespace

Measurement measure(CaseInstance& instance, const std::string& name, const TimingConfig& timing, MPI_Comm comm,
                    const MeasuredRegion& region, bool& filtered_out) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  Measurement result;
  time_operations(instance, timing.warmup_iterations, timing.mode, comm);
  result.iterations = agree_iterations(instance, timing, comm);

  const bool isolated = timing.mode == TimingMode::isolated;
  if (isolated) result.operation_times.reserve(static_cast<std::size_t>(result.iterations * timing.repetitions));
  auto body = [&](benchmark::State& state) {
    double local_seconds = 0;
    instance.begin_repetition();
    if (isolated) {
      for (auto _ : state) {
        MPI_Barrier(comm);
        auto start = Clock::now();
        instance.run_once();
        instance.wait();
        const double elapsed = seconds_since(start);
        state.SetIterationTime(elapsed);
        local_seconds += elapsed;
        result.operation_times.push_back(elapsed);
      }
    } else {
      MPI_Barrier(comm);
      auto start = Clock::now();
      for (auto _ : state) instance.run_once();
      instance.wait();
      local_seconds = seconds_since(start);
    }
    const RepetitionSample sample = reduce_over_ranks(local_seconds / static_cast<double>(state.iterations()), comm);
    result.repetitions.push_back(sample);
    result.case_metrics.push_back(instance.end_repetition(static_cast<std::int64_t>(state.iterations())));
    state.counters["t_min_us"] = sample.t_min * 1e6;
    state.counters["t_avg_us"] = sample.t_avg * 1e6;
    state.counters["t_max_us"] = sample.t_max * 1e6;
  };

  benchmark::ClearRegisteredBenchmarks();
  auto* registered = benchmark::RegisterBenchmark(name.c_str(), body);
  registered->Iterations(result.iterations)->Repetitions(timing.repetitions)->Unit(benchmark::kMicrosecond);
  if (isolated) registered->UseManualTime();

  std::ostringstream json_text, errors;
  benchmark::JSONReporter json_reporter;
  json_reporter.SetOutputStream(&json_text);
  json_reporter.SetErrorStream(&errors);
  SilentReporter silent;
  region.begin();
  const std::size_t ran = benchmark::RunSpecifiedBenchmarks(rank == 0 ? static_cast<benchmark::BenchmarkReporter*>(&json_reporter) : &silent);
  region.end();
  benchmark::ClearRegisteredBenchmarks();
  filtered_out = ran == 0;
  if (rank == 0 && ran > 0) result.benchmark_json = with_case_names(nlohmann::json::parse(strict_json(json_text.str())), name);

  if (isolated) {
    // The op is done when its slowest rank is: per-operation times are maxed over ranks.
    result.operation_times = allreduce_max(std::move(result.operation_times), comm);
  }
  return result;
}

Measurement measure_case_driven(CaseInstance& instance, const TimingConfig& timing, const MeasuredRegion& region) {
  Measurement result;
  region.begin();
  for (int r = 0; r < timing.repetitions; ++r) result.case_metrics.push_back(instance.run_repetition());
  region.end();
  return result;
}

}  // namespace sciperf
