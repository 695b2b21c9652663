// Counters around a case's measured region: each collector reads its counters when the
// timed repetitions begin and when they end, on every rank; the harness turns the
// differences into per-rank values and sums/min/max across ranks in the case's result.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sciperf {

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
};

// Defined by the collectors library: every collector this build has, for this machine,
// and their names (what a config's `collectors:` block may name).
std::vector<std::unique_ptr<Collector>> make_builtin_collectors();
std::vector<std::string> builtin_collector_names();

// How a config wants a collector: on when available (the default), off, or required (the
// run stops before measuring when it is unavailable on any rank).
enum class CollectorMode { enabled, disabled, required };

}  // namespace sciperf
