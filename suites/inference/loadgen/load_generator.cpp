#include "suites/inference/loadgen/load_generator.h"

#include "suites/inference/loadgen/completion_tracker.h"
#include "suites/inference/loadgen/poisson_schedule.h"
#include "suites/inference/loadgen/precise_wait.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <stdexcept>
#include <unordered_set>
#include <utility>
#include <vector>

namespace sciperf::loadgen {
namespace {

using std::chrono::nanoseconds;

nanoseconds to_nanoseconds(double seconds) {
  return std::chrono::duration_cast<nanoseconds>(std::chrono::duration<double>(seconds));
}
double to_seconds(nanoseconds duration) { return std::chrono::duration<double>(duration).count(); }

// The run's independent random streams (which samples are loaded, the order queries use them,
// the arrival times) each get their own seed from settings.seed, so a change in how many draws
// one stream makes never shifts another.
enum class Stream : std::uint64_t { loaded_samples = 1, sample_order = 2, arrivals = 3 };
std::uint64_t stream_seed(std::uint64_t seed, Stream stream) {
  // splitmix64's finalizer: nearby seeds give unrelated streams.
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(stream);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Uniform in [0, bound) by multiply-and-shift (bias below bound / 2^64): the same numbers with
// every standard library, unlike std::uniform_int_distribution.
std::uint64_t below(std::mt19937_64& random, std::uint64_t bound) {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(random()) * bound) >> 64);
}

// performance_sample_count() samples out of the whole set, chosen at random (Floyd's algorithm:
// one draw per chosen sample, however large the set), in increasing order for the QSL.
std::vector<SampleIndex> choose_loaded_samples(const QuerySampleLibrary& qsl, std::uint64_t seed) {
  const std::uint64_t total = qsl.total_sample_count();
  const std::uint64_t wanted = std::min<std::uint64_t>(qsl.performance_sample_count(), total);
  if (wanted == 0) {
    throw std::invalid_argument(fmt::format("query sample library '{}' has no samples to load (total {}, performance {})",
                                            qsl.name(), total, qsl.performance_sample_count()));
  }
  std::vector<SampleIndex> chosen;
  if (wanted == total) {
    chosen.resize(total);
    std::iota(chosen.begin(), chosen.end(), SampleIndex{0});
    return chosen;
  }
  std::mt19937_64 random(seed);
  std::unordered_set<SampleIndex> picked;
  for (std::uint64_t j = total - wanted; j < total; ++j) {
    const SampleIndex candidate = below(random, j + 1);
    picked.insert(picked.contains(candidate) ? j : candidate);
  }
  chosen.assign(picked.begin(), picked.end());
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

// The samples successive queries use: the loaded set in a random order, reshuffled after each
// pass, so every loaded sample is used equally often and Offline's one query holds each once.
class SampleSequence {
 public:
  SampleSequence(std::vector<SampleIndex> loaded, std::uint64_t seed) : order_(std::move(loaded)), random_(seed) {
    shuffle();
  }
  void fill(std::span<SampleIndex> out) {
    for (SampleIndex& sample : out) {
      if (next_ == order_.size()) shuffle();
      sample = order_[next_++];
    }
  }

 private:
  void shuffle() {  // Fisher-Yates
    for (std::size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[below(random_, i)]);
    next_ = 0;
  }
  std::vector<SampleIndex> order_;
  std::mt19937_64 random_;
  std::size_t next_ = 0;
};

// Everything a SUT may still touch while a query is in flight: the completer and the queries
// with their samples.
struct RunState {
  explicit RunState(std::size_t slots) : tracker(slots) {}
  CompletionTracker tracker;
  std::vector<Query> queries;
  std::vector<SampleIndex> samples;
};

// A SUT that has not completed its queries by the deadline may still do so later, from its own
// threads, into this run's completer and queries. Freeing them would turn that into a
// use-after-free, so an abandoned run's state is kept (closed: late completions are ignored)
// until the process ends. Only runs that already failed pay this memory.
void keep_until_exit(std::unique_ptr<RunState> state) {
  static std::mutex mutex;
  static auto* abandoned = new std::vector<std::unique_ptr<RunState>>;  // never destroyed, on purpose
  const std::lock_guard lock(mutex);
  abandoned->push_back(std::move(state));
}

struct Issued {
  std::uint64_t scheduled = 0;
  std::uint64_t issued = 0;
  nanoseconds schedule_span{0};
  LatencyHistogram issue_delays;
};

// SingleStream, MultiStream: one query in flight; the next is issued when the previous
// completes, until min_queries and min_duration are both reached (or max_duration).
Issued issue_one_at_a_time(SystemUnderTest& sut, RunState& state, SampleSequence& sequence,
                           const TestSettings& settings, std::size_t samples_per_query, Clock::time_point deadline) {
  state.samples.resize(samples_per_query);
  state.queries.resize(1);
  Query& query = state.queries.front();
  query.samples = state.samples;
  const std::uint64_t min_queries = resolved_min_queries(settings);
  const nanoseconds min_duration = to_nanoseconds(settings.min_duration);
  const Clock::time_point start = state.tracker.start_time();
  Issued issued;
  for (QueryId id = 0;; ++id) {
    // The run's duration ends at its last completion, so that is what must reach min_duration.
    if (id >= min_queries && state.tracker.last_finish() >= min_duration) break;
    if (Clock::now() >= deadline) break;
    sequence.fill(state.samples);
    query.id = id;
    // The query's latency starts here, after the generator's own work for it.
    const Clock::time_point issue = Clock::now();
    state.tracker.expect(id, issue - start, samples_per_query);
    sut.issue_query(query, state.tracker);
    ++issued.issued;
    if (!state.tracker.wait_for(issued.issued, deadline)) break;
  }
  issued.scheduled = issued.issued;
  return issued;
}

// Server, Offline: every query has a scheduled time fixed before the run (Poisson arrivals, or
// all at the start). Each is issued at its time whatever is in flight; when the issuer or the
// SUT falls behind, the queries go out late and the delay counts in their latency, which is
// measured from the scheduled time: no coordinated omission.
Issued issue_on_schedule(SystemUnderTest& sut, RunState& state, const std::vector<nanoseconds>& times,
                         Clock::time_point deadline) {
  const std::size_t count = times.size();
  Issued issued;
  issued.scheduled = count;
  issued.schedule_span = times.empty() ? nanoseconds{0} : times.back();
  const Clock::time_point start = state.tracker.start_time();
  for (std::size_t i = 0; i < count; ++i) {
    const Clock::time_point scheduled = start + times[i];
    const Clock::time_point now = wait_until(scheduled);
    if (now >= deadline) break;
    issued.issue_delays.record(now - scheduled);
    sut.issue_query(state.queries[i], state.tracker);
    ++issued.issued;
  }
  return issued;
}

// Every query of a scheduled run, with its samples, made before the clock starts, and
// announced to the tracker.
void prepare_scheduled_queries(RunState& state, SampleSequence& sequence, const std::vector<nanoseconds>& times,
                               std::size_t samples_per_query) {
  const std::size_t count = times.size();
  state.samples.resize(count * samples_per_query);
  sequence.fill(state.samples);
  const std::span<const SampleIndex> samples(state.samples);
  state.queries.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    state.queries[i] = Query{i, samples.subspan(i * samples_per_query, samples_per_query)};
    state.tracker.expect(i, times[i], samples_per_query);
  }
}

std::vector<nanoseconds> scheduled_times(const TestSettings& settings) {
  if (traits_of(settings.scenario).arrivals == Arrivals::all_at_start) {
    return std::vector<nanoseconds>(settings.offline_queries, nanoseconds{0});
  }
  return poisson_schedule(settings.target_qps, stream_seed(settings.seed, Stream::arrivals),
                          resolved_min_queries(settings), to_nanoseconds(settings.min_duration),
                          to_nanoseconds(settings.max_duration));
}

}  // namespace

ScenarioResult run_scenario(SystemUnderTest& sut, QuerySampleLibrary& qsl, const TestSettings& settings) {
  validate(settings);
  const ScenarioTraits& traits = traits_of(settings.scenario);
  std::vector<SampleIndex> loaded = choose_loaded_samples(qsl, stream_seed(settings.seed, Stream::loaded_samples));
  const std::size_t samples_per_query = resolved_samples_per_query(settings, loaded.size());
  qsl.load_samples(loaded);
  SampleSequence sequence(loaded, stream_seed(settings.seed, Stream::sample_order));

  // Untimed preparation first (the schedule, every query's samples), then the clock starts.
  const bool one_at_a_time = traits.arrivals == Arrivals::after_previous;
  const std::vector<nanoseconds> times = one_at_a_time ? std::vector<nanoseconds>{} : scheduled_times(settings);
  auto state = std::make_unique<RunState>(one_at_a_time ? 1 : times.size());
  if (!one_at_a_time) prepare_scheduled_queries(*state, sequence, times, samples_per_query);

  Issued issued;
  Clock::time_point deadline;
  {
    const PreciseTimerScope precise_timer;
    const Clock::time_point start = Clock::now();
    deadline = start + to_nanoseconds(settings.max_duration);
    state->tracker.start(start);
    issued = one_at_a_time ? issue_one_at_a_time(sut, *state, sequence, settings, samples_per_query, deadline)
                           : issue_on_schedule(sut, *state, times, deadline);
  }
  sut.flush_queries();
  const bool drained = state->tracker.wait_for(issued.issued, deadline);
  if (!drained) state->tracker.close();
  CompletionTracker::Totals totals = state->tracker.totals();
  if (!drained) keep_until_exit(std::move(state));
  qsl.unload_samples(loaded);

  ScenarioResult result;
  result.settings = settings;
  result.sut_name = std::string(sut.name());
  result.queries_scheduled = issued.scheduled;
  result.queries_issued = issued.issued;
  result.queries_completed = totals.completed;
  result.samples_completed = totals.samples_completed;
  result.completion_errors = totals.errors;
  result.schedule_span = to_seconds(issued.schedule_span);
  result.duration = to_seconds(totals.last_finish);
  result.latencies = std::move(totals.latencies);
  result.issue_delays = std::move(issued.issue_delays);
  evaluate(result);
  return result;
}

}  // namespace sciperf::loadgen
