#include "collectors/nvml/nvml_library.h"

#include <fmt/format.h>

#include <dlfcn.h>

namespace sciperf::nvml {

Library::Library(const std::string& path) {
  // RTLD_LOCAL: NVML's symbols stay out of the global namespace, where a CUDA library that
  // loads NVML itself could otherwise bind to ours.
  handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_) {
    const char* why = ::dlerror();
    error_ = fmt::format("{} not found: {}", path, why ? why : "dlopen failed");
    return;
  }
  // Without a required entry point the collector cannot work; without an optional one it
  // leaves that reading out.
  constexpr bool kRequired = true, kOptional = false;
  const auto bind = [&]<typename Function>(Function& target, const char* symbol, bool required) {
    target = reinterpret_cast<Function>(::dlsym(handle_, symbol));
    if (!target && required && !error_) error_ = fmt::format("{} has no {}", path, symbol);
  };
  bind(api_.init, "nvmlInit_v2", kRequired);
  bind(api_.shutdown, "nvmlShutdown", kRequired);
  bind(api_.error_string, "nvmlErrorString", kRequired);
  bind(api_.device_count, "nvmlDeviceGetCount_v2", kRequired);
  bind(api_.handle_by_index, "nvmlDeviceGetHandleByIndex_v2", kRequired);
  bind(api_.name, "nvmlDeviceGetName", kRequired);
  bind(api_.uuid, "nvmlDeviceGetUUID", kRequired);
  bind(api_.total_energy, "nvmlDeviceGetTotalEnergyConsumption", kOptional);
  bind(api_.power_usage, "nvmlDeviceGetPowerUsage", kOptional);
  bind(api_.clock, "nvmlDeviceGetClockInfo", kOptional);
  bind(api_.temperature, "nvmlDeviceGetTemperature", kOptional);
  bind(api_.utilization, "nvmlDeviceGetUtilizationRates", kOptional);
  bind(api_.memory, "nvmlDeviceGetMemoryInfo", kOptional);
  bind(api_.clock_event_reasons, "nvmlDeviceGetCurrentClocksEventReasons", kOptional);
  if (!api_.clock_event_reasons) bind(api_.clock_event_reasons, "nvmlDeviceGetCurrentClocksThrottleReasons", kOptional);
  if (error_) return;
  if (const Return result = api_.init(); result != kSuccess) {
    error_ = describe_error("nvmlInit_v2", result);
    return;
  }
  initialized_ = true;
}

Library::~Library() {
  if (initialized_) api_.shutdown();
  if (handle_) ::dlclose(handle_);
}

std::string Library::describe_error(const char* function, Return result) const {
  const char* text = api_.error_string ? api_.error_string(result) : nullptr;
  return fmt::format("{}: {} ({})", function, text ? text : "unknown error", result);
}

}  // namespace sciperf::nvml
