// The QueryCompleter of one run: turns each completion into a latency against the query's
// scheduled time and counts what completed. Thread-safe: a SUT may complete queries inline or
// from any number of its own threads; the issuing thread waits on it.
#pragma once

#include "suites/inference/loadgen/latency_histogram.h"
#include "suites/inference/loadgen/system_under_test.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

namespace sciperf::loadgen {

class CompletionTracker final : public QueryCompleter {
 public:
  // Queries in flight at once at most; query id maps to slot id % slots. A run that knows its
  // whole schedule gives one slot per query; a one-at-a-time run needs one.
  explicit CompletionTracker(std::size_t slots);

  // Before the query is issued: when it was scheduled (from start()) and how many samples it has.
  // The slot must be free (its previous query completed).
  void expect(QueryId id, std::chrono::nanoseconds scheduled, std::size_t samples);
  // The time scheduled offsets count from. Call before the first issue.
  void start(Clock::time_point start) { start_ = start; }
  Clock::time_point start_time() const { return start_; }

  void complete(QueryId id, Clock::time_point finished) override;
  using QueryCompleter::complete;

  // Blocks until `count` queries have completed or the deadline passes; true when they have.
  bool wait_for(std::uint64_t count, Clock::time_point deadline);
  // From now on completions are ignored: the run is over and has stopped counting (a SUT still
  // working on abandoned queries may call complete() later without harm).
  void close();

  struct Totals {
    std::uint64_t completed = 0;
    std::uint64_t samples_completed = 0;
    std::uint64_t errors = 0;           // unknown or repeated ids
    std::chrono::nanoseconds last_finish{0};  // from start
    LatencyHistogram latencies;
  };
  Totals totals() const;
  // The latest completion time so far, from start().
  std::chrono::nanoseconds last_finish() const;

 private:
  struct Slot {
    QueryId id = 0;
    std::int64_t scheduled_ns = 0;
    std::uint64_t samples = 0;
    bool pending = false;
  };

  Clock::time_point start_{};
  mutable std::mutex mutex_;
  std::condition_variable progress_;
  std::vector<Slot> slots_;
  Totals totals_;
  bool closed_ = false;
  // Read without the lock by the waiting thread's fast path (a SUT that completes inline).
  std::atomic<std::uint64_t> completed_{0};
};

}  // namespace sciperf::loadgen
