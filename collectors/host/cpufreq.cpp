#include "collectors/host/cpufreq.h"

#include "collectors/host/kernel_files.h"

#include <fmt/format.h>

#include <string_view>
#include <system_error>

namespace sciperf::host {

namespace {

namespace fs = std::filesystem;

// "cpu12", not "cpufreq" or "cpuidle", which sit beside the CPUs.
bool is_cpu(std::string_view directory) {
  return directory.size() > 3 && directory.starts_with("cpu") &&
         directory.find_first_not_of("0123456789", 3) == std::string_view::npos;
}

}  // namespace

CpuFrequency::CpuFrequency(const fs::path& sys) : cpu_directory_(sys / "devices/system/cpu") {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(cpu_directory_, error)) {
    if (!is_cpu(entry.path().filename().native())) continue;
    ++cpus_;
    fs::path file = entry.path() / "cpufreq/scaling_cur_freq";
    if (read_file_integer(file).value) files_.push_back(std::move(file));
  }
}

std::optional<double> CpuFrequency::average_mhz() const {
  double sum_khz = 0;
  int count = 0;
  for (const fs::path& file : files_) {
    // A CPU taken offline since the files were found stops answering; the rest still count.
    if (const auto khz = read_file_integer(file).value) {
      sum_khz += static_cast<double>(*khz);
      ++count;
    }
  }
  if (count == 0) return std::nullopt;
  return sum_khz / count / 1000.0;
}

void CpuFrequency::begin() {
  readings_.clear();
  sampled_ = false;
}

void CpuFrequency::sample() {
  if (const auto mhz = average_mhz()) readings_.add(*mhz);
  sampled_ = true;
}

void CpuFrequency::end(std::vector<Counter>& counters) {
  if (const auto mhz = average_mhz()) readings_.add(*mhz);
  readings_.report(counters, "host.cpu_mhz", "MHz", sampled_);
}

std::string CpuFrequency::describe() const {
  if (files_.empty()) {
    return fmt::format("unavailable (no readable cpu*/cpufreq/scaling_cur_freq in {})",
                       cpu_directory_.string());
  }
  return fmt::format("available ({} of {} CPUs)", files_.size(), cpus_);
}

}  // namespace sciperf::host
