// The script of the fake libnvidia-ml.so.1 (fake_nvml.cpp) that the NVML collector's tests
// load in place of the driver's: what its entry points return. A test opens the fake
// itself, changes the script through fake_nvml_script() and counts calls with it.
#pragma once

// Readings move by a known step per call, counted from fake_nvml_reset(), so a test knows
// every value the collector saw: the n-th call (0-based) to
//   nvmlDeviceGetTotalEnergyConsumption returns (device + 1) * 1e6 + n * energy_step_mj mJ,
//   nvmlDeviceGetPowerUsage               returns 100 W + n * 10 W + device * 1 W,
//   nvmlDeviceGetTemperature              returns 50 + n degrees C,
//   nvmlDeviceGetCurrentClocksEventReasons returns throttle_reasons[min(n, 7)].
// Fixed: SM clock 1755 + device MHz, memory clock 2619 MHz, utilization 87 % (GPU) and
// 40 % (memory), memory used (device + 1) GiB; names "Fake GPU <device>", UUIDs
// "GPU-fake-<device>-0000".
struct FakeNvmlScript {
  int init_result = 0;   // what nvmlInit_v2 returns
  int power_result = 0;  // what nvmlDeviceGetPowerUsage returns (0: the reading above)
  int energy_result = 0;
  unsigned device_count = 2;  // at most 4
  unsigned long long energy_step_mj = 1000;
  unsigned long long throttle_reasons[8] = {};
  // Calls so far.
  unsigned energy_calls = 0;
  unsigned power_calls = 0;
  unsigned temperature_calls = 0;
  unsigned throttle_calls = 0;
  int initialized = 0;  // nvmlInit_v2 calls not yet matched by nvmlShutdown
};

extern "C" {
// The live script; fake_nvml_reset() restores the defaults above.
FakeNvmlScript* fake_nvml_script();
void fake_nvml_reset();
}
