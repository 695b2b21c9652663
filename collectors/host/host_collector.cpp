#include "collectors/host/host_collector.h"

#include "collectors/host/cpufreq.h"
#include "collectors/host/perf_events.h"
#include "collectors/host/rapl.h"
#include "collectors/host/rusage.h"

namespace sciperf {

namespace {

class HostCollector final : public Collector {
 public:
  explicit HostCollector(const HostRoots& roots)
      : perf_(roots.proc), cpu_frequency_(roots.sys) {}

  std::string_view name() const override { return "host"; }

  // getrusage needs no permission and no hardware; every other source is optional.
  std::optional<std::string> unavailable_reason() const override { return std::nullopt; }

  nlohmann::json describe() const override {
    nlohmann::json parts = {{"getrusage", "available"}};
    perf_.describe(parts);
    parts["cpu frequency"] = cpu_frequency_.describe();
    return parts;
  }

  void begin() override {
    rusage_.begin();
    perf_.begin();
    cpu_frequency_.begin();
  }

  bool has_gauges() const override { return cpu_frequency_.available(); }
  void sample() override { cpu_frequency_.sample(); }

  std::vector<Counter> end() override {
    std::vector<Counter> counters;
    rusage_.end(counters);
    perf_.end(counters);
    cpu_frequency_.end(counters);
    return counters;
  }

 private:
  host::Rusage rusage_;
  host::PerfEvents perf_;
  host::CpuFrequency cpu_frequency_;
};

// RAPL counts a whole package, whoever runs on it: read once per node, like network bytes.
class EnergyCollector final : public Collector {
 public:
  explicit EnergyCollector(const HostRoots& roots) : rapl_(roots.sys) {}
  std::string_view name() const override { return "energy"; }
  bool node_wide() const override { return true; }
  std::optional<std::string> unavailable_reason() const override {
    const std::string state = rapl_.describe();
    if (state.rfind("unavailable", 0) == 0) return "RAPL " + state;
    return std::nullopt;
  }
  nlohmann::json describe() const override { return {{"RAPL", rapl_.describe()}}; }
  void begin() override { rapl_.begin(); }
  std::vector<Counter> end() override {
    std::vector<Counter> counters;
    rapl_.end(counters);
    return counters;
  }

 private:
  host::Rapl rapl_;
};

}  // namespace

std::unique_ptr<Collector> make_host_collector(const HostRoots& roots) {
  return std::make_unique<HostCollector>(roots);
}

std::unique_ptr<Collector> make_energy_collector(const HostRoots& roots) {
  return std::make_unique<EnergyCollector>(roots);
}

}  // namespace sciperf
