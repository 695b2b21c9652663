// The CPUs' current clock from cpufreq, averaged over the CPUs that report one: a level read
// at the end of the region (and at each sample, when the harness samples gauges), which
// tells a throttled or power-saving run from a slow one.
#pragma once

#include "harness/collector.h"
#include "harness/gauge_series.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sciperf::host {

class CpuFrequency {
 public:
  // Finds `sys`/devices/system/cpu/cpu<N>/cpufreq/scaling_cur_freq once.
  explicit CpuFrequency(const std::filesystem::path& sys);

  // The mean of the CPUs' scaling_cur_freq now; nullopt when none could be read.
  std::optional<double> average_mhz() const;
  bool available() const { return !files_.empty(); }
  // A region's readings: begin() forgets the last region's, sample() adds one, end() adds
  // the last and reports host.cpu_mhz (MHz), with its min/avg/max when samples were taken.
  void begin();
  void sample();
  void end(std::vector<Counter>& counters);
  // "available (2 of 4 CPUs)" or "unavailable (why)".
  std::string describe() const;

 private:
  std::filesystem::path cpu_directory_;
  std::size_t cpus_ = 0;
  std::vector<std::filesystem::path> files_;
  GaugeSeries readings_;
  bool sampled_ = false;
};

}  // namespace sciperf::host
