// The thing a load generator drives (after MLPerf LoadGen's system_under_test.h): it receives
// queries and reports each one's completion; it never sees the scenario, the schedule or the
// clock the latencies are measured against.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace sciperf::loadgen {

// One clock for every time the generator and a SUT exchange: monotonic, so a latency is never
// negative because the wall clock stepped.
using Clock = std::chrono::steady_clock;

using QueryId = std::uint64_t;
using SampleIndex = std::uint64_t;

// A request for inference on some samples of the QuerySampleLibrary (indices into it). The
// query and its samples stay valid until the SUT reports it complete, so a SUT may queue the
// reference and answer from another thread.
struct Query {
  QueryId id = 0;
  std::span<const SampleIndex> samples;
};

// Given to the SUT with every query. complete() may be called from any thread, inline from
// issue_query or later; once per query. A late completion still counts, with its true
// latency; a completion for an unknown or already-completed id is counted as an error and
// makes the run invalid.
class QueryCompleter {
 public:
  virtual void complete(QueryId id, Clock::time_point finished) = 0;
  void complete(QueryId id) { complete(id, Clock::now()); }

 protected:
  ~QueryCompleter() = default;
};

class SystemUnderTest {
 public:
  virtual ~SystemUnderTest() = default;
  virtual std::string_view name() const = 0;
  // Starts (or does) the work for one query. Should return quickly: time spent here delays the
  // next issue, which the Server scenario counts as latency of the queries behind it.
  virtual void issue_query(const Query& query, QueryCompleter& completer) = 0;
  // No more queries follow for now (end of a run): a SUT that batches should run what it holds.
  virtual void flush_queries() {}
};

}  // namespace sciperf::loadgen
