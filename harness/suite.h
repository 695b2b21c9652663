// What a suite provides to the harness. The harness owns sweeping, timing, statistics and
// results; a suite only says which parameters exist, how to set a case up, what one timed
// operation is, how to check its output, and which metrics follow from the time per op.
#pragma once

#include "harness/params.h"

#include <mpi.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sciperf {

enum class Direction { lower_is_better, higher_is_better };
std::string_view to_string(Direction direction);

struct Metric {
  std::string name;
  double value;
  std::string unit;
  Direction direction;
};

// The outcome of checking a case's output against its expected value. Collective: every
// rank returns the same verdict (the suite reduces its local checks across ranks).
struct Validation {
  bool passed = true;
  std::string method;       // e.g. "exact", "abs error <= 4 * n * u * sum|x|"
  std::uint64_t checked = 0;     // elements checked, all ranks
  std::uint64_t mismatches = 0;  // elements out of tolerance, all ranks
  double max_error = 0;          // largest error seen, relative to the tolerance scale
  std::string detail;            // first mismatch, for the failure reason
};

struct CaseContext {
  MPI_Comm comm;
  int rank;
  int size;
  int ranks_per_node;
  int threads_per_rank;
  int devices_per_rank;
  // Where the run's bundle goes: suites write side files (e.g. MLPerf-style logs) beside it.
  std::filesystem::path output_dir = {};
  std::string case_name = {};  // the case being prepared (names its side files)
};

// One prepared case on one rank: buffers allocated, inputs filled.
class CaseInstance {
 public:
  virtual ~CaseInstance() = default;
  // The timed operation. Collective suites call one collective here. It may only start the
  // work (e.g. on a GPU stream); wait() finishes it.
  virtual void run_once() = 0;
  // Blocks until every operation run_once started has finished. The timing loop calls it
  // before reading the clock.
  virtual void wait() {}
  // Runs the operation on fresh inputs and checks the output. Collective.
  virtual Validation validate() = 0;
  // Bytes the operation must put on the wire, all ranks together (for collectives: what a
  // bandwidth-optimal algorithm sends); compared with what the network counters saw.
  virtual std::optional<double> expected_wire_bytes_per_op() const { return std::nullopt; }
  // Metrics derived from the time per operation (seconds, averaged over ranks).
  virtual std::vector<Metric> derived_metrics(double seconds_per_op) const {
    (void)seconds_per_op;
    return {};
  }
  // For cases that time parts of their operation themselves (a training step's phases): the
  // timed loop calls these around each timed repetition, outside the clock. end_repetition
  // returns that repetition's metrics, agreed across ranks (collective).
  virtual void begin_repetition() {}
  virtual std::vector<Metric> end_repetition(std::int64_t operations) {
    (void)operations;
    return {};
  }
  // A case whose measurement is its own rather than an operation repeated by the timed loop
  // (a load generator's scenario run) returns true, and then run_repetition does the case's
  // warm-up (first call) and one measured repetition, returning its metrics. Collective.
  virtual bool drives_own_measurement() const { return false; }
  virtual std::vector<Metric> run_repetition() { return {}; }
  // What a case measured beyond its metrics (a latency histogram, a loss curve, the points a
  // search tried), kept in the record as "details". Rank 0's value is recorded.
  virtual nlohmann::json details() const { return nullptr; }
};

class Suite {
 public:
  virtual ~Suite() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;
  virtual const std::vector<ParamSpec>& params() const = 0;
  // Why this case cannot run here (e.g. an algorithm that does not apply to the collective,
  // a message that does not fit in memory); nullopt when it can. The harness agrees the
  // answer across ranks.
  virtual std::optional<std::string> skip_reason(const Params& params, const CaseContext& context) const = 0;
  virtual std::unique_ptr<CaseInstance> prepare(const Params& params, const CaseContext& context) const = 0;
  // The metric shown first in summaries and compared first in reports.
  virtual std::vector<std::string> headline_metrics() const = 0;
};

class SuiteRegistry {
 public:
  void add(std::unique_ptr<Suite> suite);
  const Suite* find(std::string_view name) const;
  std::vector<const Suite*> all() const;

 private:
  std::map<std::string, std::unique_ptr<Suite>, std::less<>> suites_;
};

// Defined by the suites library: registers every suite this build contains.
void register_builtin_suites(SuiteRegistry& registry);

}  // namespace sciperf
