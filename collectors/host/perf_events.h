// perf_event_open counters for this process: the kernel's software events and the CPU PMU's
// hardware events. Each event is opened on its own, not as a group, so an event this machine
// cannot count (no PMU in a VM, a perf_event_paranoid setting) costs only itself.
#pragma once

#include "harness/collector.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sciperf::host {

// What read() gives with PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING.
struct PerfReading {
  std::uint64_t value = 0;
  std::uint64_t time_enabled = 0;
  std::uint64_t time_running = 0;
};

struct ScaledChange {
  std::optional<double> value;  // nullopt: the event never ran during the region
  double running_fraction = 0;  // share of the region the event was on the PMU
};

// The change from `begin` to `end`, scaled up for the time the kernel multiplexed the event
// off the PMU (value * enabled / running), as perf stat does.
ScaledChange scaled_change(const PerfReading& begin, const PerfReading& end);

// Why an event did not open, as describe() shows it, e.g. "ENOENT: no PMU". The kernel says
// ENOENT both when there is no PMU and when the PMU lacks the event: `pmu_counts` (some
// hardware event opened) tells the two apart.
std::string open_error_text(int error, bool hardware, bool pmu_counts,
                            std::optional<long long> perf_event_paranoid);

class PerfEvents {
 public:
  // `proc` holds sys/kernel/perf_event_paranoid, which explains a refusal.
  explicit PerfEvents(const std::filesystem::path& proc);
  PerfEvents(PerfEvents&&) noexcept;
  PerfEvents& operator=(PerfEvents&&) noexcept;
  ~PerfEvents();

  void begin();
  // host.perf.<event> for every event that counted, and host.perf.<event>.running_fraction
  // for the hardware ones (software events are never multiplexed).
  void end(std::vector<Counter>& counters);
  // Adds "perf software events", "perf hardware events" (each "available ..." or
  // "unavailable (why)"), "perf events" (each event: "opened" or why not) and "perf scope".
  void describe(nlohmann::json& parts) const;

 private:
  struct Event;
  bool pmu_counts() const;
  std::string why_not(const Event& event) const;
  std::string event_status(const Event& event) const;
  std::string kind_status(bool hardware) const;

  std::vector<Event> events_;
  std::optional<long long> paranoid_;
};

}  // namespace sciperf::host
