// Counters around a case's measured region: each collector reads its counters when the
// timed repetitions begin and when they end, on every rank; the harness turns the
// differences into per-rank values and sums/min/max across ranks in the case's result.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sciperf {

// What a collector running a profiling pass is told about it: the case (side files are named
// after it) and where the run's bundle goes (side files go under it).
struct ProfilePass {
  std::string case_name;
  std::filesystem::path output_dir;
  int rank = 0;
  std::int64_t operations = 0;  // the case's operations each pass runs
  int index = 0;                 // which of the passes the collector asked for, from 0
};

struct Counter {
  std::string name;  // e.g. "net.eth0.tx_bytes"
  double value;      // the change over the measured region (or a level, for gauges)
  std::string unit;  // "bytes", "packets", "s", "J", "count", ...
};

class Collector {
 public:
  virtual ~Collector() = default;
  virtual std::string_view name() const = 0;
  // Why the collector cannot work on this machine; nullopt when it can.
  virtual std::optional<std::string> unavailable_reason() const = 0;
  // Node-wide counters (network interfaces, energy) are read by one rank per node only, so
  // ranks sharing a node do not count the same bytes twice.
  virtual bool node_wide() const { return false; }
  // What it would show a reader of the inventory (devices, variables found, ...).
  virtual nlohmann::json describe() const { return nlohmann::json::object(); }
  // Around the measured region; end() returns what changed since begin().
  virtual void begin() = 0;
  virtual std::vector<Counter> end() = 0;
  // Gauges (power, temperature, clocks) move during a long region, and a reading at its end
  // can miss a throttled stretch. When the config sets collectors.sample_interval, the
  // harness calls sample() from a thread of its own between begin() and end() (never at the
  // same time as either) on the collectors that say they have gauges; end() then also
  // reports each gauge's min/avg/max over the readings (harness/gauge_series.h).
  virtual bool has_gauges() const { return false; }
  virtual void sample() {}
  // The collector's own options from the config (`collectors: {name: {mode: ..., key: ...}}`),
  // already checked by check_collector_options when the config was read; called once,
  // before unavailable_reason().
  virtual void configure(const nlohmann::json& options) { (void)options; }
  // Tracing and hardware-counter profiling slow down the work they watch, so they never run
  // in the timed pass. A collector that wants passes of its own says how many here (hardware
  // counters may need one per group the GPU counts at once); after the timed pass and its
  // validation, the harness runs the case's operation again for each pass, between
  // begin_profile() and end_profile(), and the counters end_profile() returns join the case's.
  // Never throws: a failure is reported and leaves its counters out.
  virtual int profile_passes() const { return 0; }
  virtual void begin_profile(const ProfilePass& pass) { (void)pass; }
  virtual std::vector<Counter> end_profile() { return {}; }
};

// Problems with the options a config gives the collector `name` (the keys of its mapping
// other than `mode`): each is {key, message}, key relative to the collector's mapping, e.g.
// {"metrics[1]", "'x' is not a GH100 metric"}. Defined by the collectors library.
struct OptionProblem {
  std::string key;
  std::string message;
};
std::vector<OptionProblem> check_collector_options(std::string_view name, const nlohmann::json& options);

// Defined by the collectors library: every collector this build has, for this machine,
// and their names (what a config's `collectors:` block may name).
std::vector<std::unique_ptr<Collector>> make_builtin_collectors();
std::vector<std::string> builtin_collector_names();

// How a config wants a collector: on when available (the default), off, or required (the
// run stops before measuring when it is unavailable on any rank).
enum class CollectorMode { enabled, disabled, required };

}  // namespace sciperf
