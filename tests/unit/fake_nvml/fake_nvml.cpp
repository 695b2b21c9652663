// A stand-in for the driver's libnvidia-ml.so.1 with scripted readings (fake_nvml.h), so
// that the NVML collector is tested for real — dlopen, dlsym, every call — on machines
// without a GPU. Only the entry points the collector uses exist.
#include "fake_nvml.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace {

FakeNvmlScript script;

// Handles point into this array; anything else is an invalid argument, as in NVML.
struct FakeDevice {
  unsigned index;
};
FakeDevice devices[4] = {{0}, {1}, {2}, {3}};

constexpr int kSuccess = 0;
constexpr int kUninitialized = 1;
constexpr int kInvalidArgument = 2;
constexpr int kInsufficientSize = 7;

int device_index(const FakeDevice* device) {
  if (script.initialized <= 0) return -kUninitialized;
  for (unsigned i = 0; i < script.device_count && i < 4; ++i)
    if (device == &devices[i]) return static_cast<int>(i);
  return -kInvalidArgument;
}

int copy_text(const char* text, char* buffer, unsigned length) {
  if (std::strlen(text) + 1 > length) return kInsufficientSize;
  std::memcpy(buffer, text, std::strlen(text) + 1);
  return kSuccess;
}

}  // namespace

// Every device entry point first finds its device, or returns NVML's error for an
// uninitialized library or a handle it never gave out.
#define FAKE_DEVICE_OR_RETURN(handle)        \
  const int index = device_index(handle);    \
  if (index < 0) return -index

extern "C" {

FakeNvmlScript* fake_nvml_script() { return &script; }
void fake_nvml_reset() { script = FakeNvmlScript{}; }

struct FakeUtilization {
  unsigned gpu, memory;
};
struct FakeMemory {
  unsigned long long total, free, used;
};

int nvmlInit_v2() {
  if (script.init_result == kSuccess) ++script.initialized;
  return script.init_result;
}

int nvmlShutdown() {
  if (script.initialized <= 0) return kUninitialized;
  --script.initialized;
  return kSuccess;
}

const char* nvmlErrorString(int result) {
  static char text[64];
  std::snprintf(text, sizeof text, "fake error %d", result);
  return text;
}

int nvmlDeviceGetCount_v2(unsigned* count) {
  if (script.initialized <= 0) return kUninitialized;
  *count = std::min(script.device_count, 4u);
  return kSuccess;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned index, FakeDevice** device) {
  if (script.initialized <= 0) return kUninitialized;
  if (index >= std::min(script.device_count, 4u)) return kInvalidArgument;
  *device = &devices[index];
  return kSuccess;
}

int nvmlDeviceGetName(FakeDevice* device, char* name, unsigned length) {
  FAKE_DEVICE_OR_RETURN(device);
  char text[32];
  std::snprintf(text, sizeof text, "Fake GPU %d", index);
  return copy_text(text, name, length);
}

int nvmlDeviceGetUUID(FakeDevice* device, char* uuid, unsigned length) {
  FAKE_DEVICE_OR_RETURN(device);
  char text[32];
  std::snprintf(text, sizeof text, "GPU-fake-%d-0000", index);
  return copy_text(text, uuid, length);
}

int nvmlDeviceGetTotalEnergyConsumption(FakeDevice* device, unsigned long long* millijoules) {
  FAKE_DEVICE_OR_RETURN(device);
  if (script.energy_result != kSuccess) return script.energy_result;
  *millijoules = (index + 1) * 1'000'000ull + script.energy_calls++ * script.energy_step_mj;
  return kSuccess;
}

int nvmlDeviceGetPowerUsage(FakeDevice* device, unsigned* milliwatts) {
  FAKE_DEVICE_OR_RETURN(device);
  if (script.power_result != kSuccess) return script.power_result;
  *milliwatts = 100'000 + script.power_calls++ * 10'000 + static_cast<unsigned>(index) * 1'000;
  return kSuccess;
}

int nvmlDeviceGetClockInfo(FakeDevice* device, int type, unsigned* mhz) {
  FAKE_DEVICE_OR_RETURN(device);
  if (type == 1) *mhz = 1755 + static_cast<unsigned>(index);  // NVML_CLOCK_SM
  else if (type == 2) *mhz = 2619;                            // NVML_CLOCK_MEM
  else return kInvalidArgument;
  return kSuccess;
}

int nvmlDeviceGetTemperature(FakeDevice* device, int sensor, unsigned* celsius) {
  FAKE_DEVICE_OR_RETURN(device);
  if (sensor != 0) return kInvalidArgument;  // NVML_TEMPERATURE_GPU
  *celsius = 50 + script.temperature_calls++;
  return kSuccess;
}

int nvmlDeviceGetUtilizationRates(FakeDevice* device, FakeUtilization* utilization) {
  FAKE_DEVICE_OR_RETURN(device);
  *utilization = {87, 40};
  return kSuccess;
}

int nvmlDeviceGetMemoryInfo(FakeDevice* device, FakeMemory* memory) {
  FAKE_DEVICE_OR_RETURN(device);
  const unsigned long long used = (index + 1) * (1ull << 30);
  *memory = {80ull << 30, (80ull << 30) - used, used};
  return kSuccess;
}

int nvmlDeviceGetCurrentClocksEventReasons(FakeDevice* device, unsigned long long* reasons) {
  FAKE_DEVICE_OR_RETURN(device);
  *reasons = script.throttle_reasons[std::min(script.throttle_calls++, 7u)];
  return kSuccess;
}

}  // extern "C"
