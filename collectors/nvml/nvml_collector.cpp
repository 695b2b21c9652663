#include "collectors/nvml/nvml_collector.h"

#include "collectors/nvml/nvml_library.h"
#include "harness/gauge_series.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string_view>
#include <utility>

namespace sciperf::collectors {

namespace {

using nvml::Return;
using nvml::kSuccess;

// NVML's documented nvmlClocksEventReason* bits, named as their counters are.
constexpr std::pair<unsigned long long, const char*> kThrottleReasons[] = {
    {0x1, "gpu_idle"},
    {0x2, "applications_clocks_setting"},
    {0x4, "sw_power_cap"},
    {0x8, "hw_slowdown"},
    {0x10, "sync_boost"},
    {0x20, "sw_thermal_slowdown"},
    {0x40, "hw_thermal_slowdown"},
    {0x80, "hw_power_brake_slowdown"},
    {0x100, "display_clock_setting"},
    {0x200, "board_limit"},
    {0x400, "reliability"},
};

std::optional<unsigned> parse_unsigned(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// The NVML index one CUDA_VISIBLE_DEVICES entry names: an index, or a GPU UUID or a prefix
// of exactly one.
std::optional<unsigned> named_device(std::string_view entry, const std::vector<std::string>& uuids) {
  if (const auto index = parse_unsigned(entry)) return *index < uuids.size() ? index : std::nullopt;
  if (!entry.starts_with("GPU-")) return std::nullopt;
  std::optional<unsigned> found;
  for (unsigned i = 0; i < uuids.size(); ++i) {
    if (!uuids[i].starts_with(entry)) continue;
    if (found) return std::nullopt;  // ambiguous
    found = i;
  }
  return found;
}

// One gauge of the rank's GPU: how to read it, and its readings in the current region.
struct Gauge {
  std::string counter;
  std::string unit;
  const char* function;  // the NVML entry point, for messages
  std::function<Return(double&)> read;
  bool peak;  // also read at begin(), and its maximum reported as <counter>_max
  GaugeSeries readings;
};

class NvmlCollector final : public Collector {
 public:
  explicit NvmlCollector(const NvmlOptions& options) : library_(options.library) {
    details_ = {{"library", options.library}};
    if (library_.error()) {
      reason_ = *library_.error();
      return;
    }
    reason_ = find_device(options);
    if (!reason_) find_readings();
  }

  std::string_view name() const override { return "nvml"; }
  std::optional<std::string> unavailable_reason() const override { return reason_; }
  nlohmann::json describe() const override { return details_; }
  bool has_gauges() const override { return !gauges_.empty() || has_throttle_reasons_; }

  // Only what a region's edges need: energy, throttle reasons and the peaked gauges.
  void begin() override {
    sampled_ = false;
    read_errors_ = 0;
    throttle_reasons_ = 0;
    for (Gauge& gauge : gauges_) {
      gauge.readings.clear();
      if (gauge.peak) read(gauge);
    }
    read_throttle_reasons();
    energy_at_begin_ = read_energy();
    started_ = std::chrono::steady_clock::now();
  }

  void sample() override {
    for (Gauge& gauge : gauges_) read(gauge);
    read_throttle_reasons();
    sampled_ = true;
  }

  std::vector<Counter> end() override {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const std::optional<unsigned long long> energy_at_end = read_energy();
    for (Gauge& gauge : gauges_) read(gauge);
    read_throttle_reasons();
    std::vector<Counter> counters;
    // The counter only grows while the driver stays loaded; a reload in between restarts it.
    if (energy_at_begin_ && energy_at_end && *energy_at_end >= *energy_at_begin_) {
      const double joules = static_cast<double>(*energy_at_end - *energy_at_begin_) / 1000.0;
      counters.push_back({"nvml.energy", joules, "J"});
      if (seconds > 0) counters.push_back({"nvml.power_avg", joules / seconds, "W"});
    }
    for (const Gauge& gauge : gauges_) {
      gauge.readings.report(counters, gauge.counter, gauge.unit, sampled_);
      if (gauge.peak && !gauge.readings.empty()) counters.push_back({gauge.counter + "_max", gauge.readings.max(), gauge.unit});
    }
    unsigned long long named = 0;
    for (const auto& [bit, reason] : kThrottleReasons) {
      named |= bit;
      if (throttle_reasons_ & bit) counters.push_back({fmt::format("nvml.throttle.{}", reason), 1, "flag"});
    }
    if (throttle_reasons_ & ~named) counters.push_back({"nvml.throttle.other", 1, "flag"});
    if (read_errors_ > 0) counters.push_back({"nvml.read_errors", static_cast<double>(read_errors_), "count"});
    return counters;
  }

 private:
  // Every GPU for the inventory, and this rank's; the reason when there is none.
  std::optional<std::string> find_device(const NvmlOptions& options) {
    const nvml::Api& api = library_.api();
    unsigned count = 0;
    if (const Return result = api.device_count(&count); result != kSuccess)
      return library_.describe_error("nvmlDeviceGetCount_v2", result);
    std::vector<nvml::Device> handles(count);
    std::vector<std::string> uuids;
    nlohmann::json devices = nlohmann::json::array();
    for (unsigned i = 0; i < count; ++i) {
      char name[nvml::kNameBufferSize] = {};
      char uuid[nvml::kUuidBufferSize] = {};
      if (const Return result = api.handle_by_index(i, &handles[i]); result != kSuccess)
        return library_.describe_error("nvmlDeviceGetHandleByIndex_v2", result);
      if (const Return result = api.name(handles[i], name, sizeof name); result != kSuccess)
        return library_.describe_error("nvmlDeviceGetName", result);
      if (const Return result = api.uuid(handles[i], uuid, sizeof uuid); result != kSuccess)
        return library_.describe_error("nvmlDeviceGetUUID", result);
      uuids.emplace_back(uuid);
      devices.push_back({{"index", i}, {"name", name}, {"uuid", uuid}});
    }
    details_["devices"] = devices;
    details_["local_rank"] = options.local_rank;
    if (options.visible_devices) details_["CUDA_VISIBLE_DEVICES"] = *options.visible_devices;
    const DeviceChoice choice = choose_nvml_device(options.visible_devices, uuids, options.local_rank);
    if (!choice.index) return choice.reason;
    device_ = handles[*choice.index];
    details_["device"] = *choice.index;
    return std::nullopt;
  }

  // Tries each reading once on the device: what works is read around every region; what
  // does not (an older GPU, a driver without the entry point) is left out, and the
  // inventory says why.
  void find_readings() {
    const nvml::Api& api = library_.api();
    const nvml::Device device = device_;
    nlohmann::json& readings = details_["readings"];
    const auto usable = [&](const std::string& reading, const char* function, bool present, Return result) {
      if (!present) readings[reading] = fmt::format("unavailable (this driver has no {})", function);
      else if (result != kSuccess) readings[reading] = fmt::format("unavailable ({})", library_.describe_error(function, result));
      else readings[reading] = "available";
      return present && result == kSuccess;
    };
    const auto add_gauge = [&](std::string counter, std::string unit, const char* function, bool present,
                               std::function<Return(double&)> read, bool peak = false) {
      double value = 0;
      if (usable(counter, function, present, present ? read(value) : kSuccess))
        gauges_.push_back({std::move(counter), std::move(unit), function, std::move(read), peak, {}});
    };
    unsigned long long ignored = 0;
    has_energy_ = usable("nvml.energy", "nvmlDeviceGetTotalEnergyConsumption", api.total_energy != nullptr,
                         api.total_energy ? api.total_energy(device, &ignored) : kSuccess);
    has_throttle_reasons_ = usable("nvml.throttle", "nvmlDeviceGetCurrentClocksEventReasons", api.clock_event_reasons != nullptr,
                                   api.clock_event_reasons ? api.clock_event_reasons(device, &ignored) : kSuccess);
    add_gauge("nvml.power", "W", "nvmlDeviceGetPowerUsage", api.power_usage != nullptr, [&api, device](double& watts) {
      unsigned milliwatts = 0;
      const Return result = api.power_usage(device, &milliwatts);
      watts = milliwatts / 1000.0;
      return result;
    });
    const auto clock = [&api, device](int type) {
      return [&api, device, type](double& mhz) {
        unsigned value = 0;
        const Return result = api.clock(device, type, &value);
        mhz = value;
        return result;
      };
    };
    add_gauge("nvml.sm_clock", "MHz", "nvmlDeviceGetClockInfo", api.clock != nullptr, clock(nvml::kClockSm));
    add_gauge("nvml.memory_clock", "MHz", "nvmlDeviceGetClockInfo", api.clock != nullptr, clock(nvml::kClockMemory));
    add_gauge("nvml.temperature", "C", "nvmlDeviceGetTemperature", api.temperature != nullptr,
              [&api, device](double& celsius) {
                unsigned value = 0;
                const Return result = api.temperature(device, nvml::kTemperatureGpu, &value);
                celsius = value;
                return result;
              },
              true);
    const auto utilization = [&api, device](unsigned nvml::Utilization::*field) {
      return [&api, device, field](double& percent) {
        nvml::Utilization value{};
        const Return result = api.utilization(device, &value);
        percent = value.*field;
        return result;
      };
    };
    add_gauge("nvml.gpu_utilization", "%", "nvmlDeviceGetUtilizationRates", api.utilization != nullptr,
              utilization(&nvml::Utilization::gpu));
    add_gauge("nvml.memory_utilization", "%", "nvmlDeviceGetUtilizationRates", api.utilization != nullptr,
              utilization(&nvml::Utilization::memory));
    add_gauge("nvml.memory_used", "bytes", "nvmlDeviceGetMemoryInfo", api.memory != nullptr, [&api, device](double& bytes) {
      nvml::Memory value{};
      const Return result = api.memory(device, &value);
      bytes = static_cast<double>(value.used);
      return result;
    });
  }

  void read(Gauge& gauge) {
    double value = 0;
    if (gauge.read(value) == kSuccess) gauge.readings.add(value);
    else ++read_errors_;
  }

  std::optional<unsigned long long> read_energy() {
    if (!has_energy_) return std::nullopt;
    unsigned long long millijoules = 0;
    if (library_.api().total_energy(device_, &millijoules) == kSuccess) return millijoules;
    ++read_errors_;
    return std::nullopt;
  }

  void read_throttle_reasons() {
    if (!has_throttle_reasons_) return;
    unsigned long long reasons = 0;
    if (library_.api().clock_event_reasons(device_, &reasons) == kSuccess) throttle_reasons_ |= reasons;
    else ++read_errors_;
  }

  nvml::Library library_;
  std::optional<std::string> reason_;
  nlohmann::json details_;
  nvml::Device device_ = nullptr;
  bool has_energy_ = false;
  bool has_throttle_reasons_ = false;
  std::vector<Gauge> gauges_;
  // The current region.
  std::chrono::steady_clock::time_point started_;
  std::optional<unsigned long long> energy_at_begin_;
  unsigned long long throttle_reasons_ = 0;  // every reason seen at any reading
  bool sampled_ = false;
  int read_errors_ = 0;
};

}  // namespace

NvmlOptions nvml_options_from_environment() {
  NvmlOptions options;
  if (const char* visible = std::getenv("CUDA_VISIBLE_DEVICES")) options.visible_devices = visible;
  for (const char* variable : {"MPI_LOCALRANKID", "OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID"}) {
    const char* text = std::getenv(variable);
    if (!text) continue;
    if (const auto rank = parse_unsigned(text)) {
      options.local_rank = static_cast<int>(*rank);
      break;
    }
  }
  return options;
}

DeviceChoice choose_nvml_device(const std::optional<std::string>& visible_devices, const std::vector<std::string>& uuids,
                                int local_rank) {
  if (uuids.empty()) return {std::nullopt, "NVML found no GPU"};
  std::vector<unsigned> visible;
  if (!visible_devices) {
    for (unsigned i = 0; i < uuids.size(); ++i) visible.push_back(i);
  } else {
    std::string_view rest = *visible_devices;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto index = named_device(trimmed(rest.substr(0, comma)), uuids);
      if (!index) break;  // CUDA ignores this entry and every one after it
      visible.push_back(*index);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  if (visible.empty())
    return {std::nullopt, fmt::format("CUDA_VISIBLE_DEVICES='{}' names none of the {} GPUs NVML found",
                                      visible_devices.value_or(""), uuids.size())};
  return {visible[static_cast<std::size_t>(std::max(local_rank, 0)) % visible.size()], ""};
}

std::unique_ptr<Collector> make_nvml_collector(const NvmlOptions& options) {
  return std::make_unique<NvmlCollector>(options);
}

}  // namespace sciperf::collectors
