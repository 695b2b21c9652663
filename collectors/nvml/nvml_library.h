// The few NVML entry points the NVML collector uses, declared here from NVML's documented
// C ABI (build machines have no nvml.h) and found at run time with dlopen/dlsym: nothing
// links libnvidia-ml, so a machine without the NVIDIA driver only loses this collector.
#pragma once

#include <optional>
#include <string>

namespace sciperf::nvml {

using Return = int;  // nvmlReturn_t
inline constexpr Return kSuccess = 0;
using Device = struct nvmlDevice_st*;  // nvmlDevice_t, opaque

inline constexpr int kClockSm = 1;         // nvmlClockType_t NVML_CLOCK_SM
inline constexpr int kClockMemory = 2;     // NVML_CLOCK_MEM
inline constexpr int kTemperatureGpu = 0;  // nvmlTemperatureSensors_t NVML_TEMPERATURE_GPU
// NVML_DEVICE_NAME_V2_BUFFER_SIZE and NVML_DEVICE_UUID_V2_BUFFER_SIZE.
inline constexpr unsigned kNameBufferSize = 96;
inline constexpr unsigned kUuidBufferSize = 96;

struct Utilization {  // nvmlUtilization_t, percent of the last sample period
  unsigned int gpu;
  unsigned int memory;
};

struct Memory {  // nvmlMemory_t (version 1), bytes
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};

struct Api {
  Return (*init)();      // nvmlInit_v2
  Return (*shutdown)();  // nvmlShutdown
  const char* (*error_string)(Return);
  Return (*device_count)(unsigned int*);             // nvmlDeviceGetCount_v2
  Return (*handle_by_index)(unsigned int, Device*);  // nvmlDeviceGetHandleByIndex_v2
  Return (*name)(Device, char*, unsigned int);
  Return (*uuid)(Device, char*, unsigned int);
  // The readings: null when this driver lacks the entry point (the reading is left out).
  Return (*total_energy)(Device, unsigned long long*);  // mJ since the driver was loaded (Volta on)
  Return (*power_usage)(Device, unsigned int*);         // mW
  Return (*clock)(Device, int, unsigned int*);          // nvmlDeviceGetClockInfo, MHz
  Return (*temperature)(Device, int, unsigned int*);    // degrees C
  Return (*utilization)(Device, Utilization*);          // nvmlDeviceGetUtilizationRates
  Return (*memory)(Device, Memory*);                    // nvmlDeviceGetMemoryInfo
  // nvmlDeviceGetCurrentClocksEventReasons, or nvmlDeviceGetCurrentClocksThrottleReasons
  // (its name before driver 535): a bit mask of why the clocks are below their maximum.
  Return (*clock_event_reasons)(Device, unsigned long long*);
};

// NVML loaded and initialized; shut down and unloaded when destroyed.
class Library {
 public:
  // Loads `path` (a file name is looked up as dlopen does), finds the entry points and calls
  // nvmlInit_v2. On failure error() says why: "libnvidia-ml.so.1 not found: <dlerror>", a
  // missing entry point, or nvmlInit_v2's error.
  explicit Library(const std::string& path);
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  const std::optional<std::string>& error() const { return error_; }
  const Api& api() const { return api_; }
  // "nvmlDeviceGetPowerUsage: <nvmlErrorString(result)> (<result>)".
  std::string describe_error(const char* function, Return result) const;

 private:
  void* handle_ = nullptr;
  bool initialized_ = false;
  Api api_{};
  std::optional<std::string> error_;
};

}  // namespace sciperf::nvml
