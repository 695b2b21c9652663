// GPU power, energy, clocks, temperature, utilization, memory and clock event (throttle)
// reasons from NVML, for the GPU this rank uses, over a case's measured region. NVML is
// loaded at run time (nvml_library.h): without the driver the collector is unavailable and
// says why.
#pragma once

#include "harness/collector.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sciperf::collectors {

struct NvmlOptions {
  std::string library = "libnvidia-ml.so.1";   // tests load a fake one by path
  std::optional<std::string> visible_devices;  // CUDA_VISIBLE_DEVICES; nullopt when unset
  int local_rank = 0;                          // this rank's place among the ranks of its node
};

// CUDA_VISIBLE_DEVICES, and the local rank from the launcher's environment (MPICH's
// MPI_LOCALRANKID, Open MPI's OMPI_COMM_WORLD_LOCAL_RANK, Slurm's SLURM_LOCALID; 0 without).
NvmlOptions nvml_options_from_environment();

// The GPU a rank uses, as the suites pick it (suites/common/torch_device.cpp,
// kernels/comm/cuda): the local rank's turn among the visible GPUs. Visible are the NVML
// devices CUDA_VISIBLE_DEVICES names, by index or by GPU UUID or a unique prefix of one, as
// CUDA reads it: the list ends at the first entry that names no GPU (a MIG instance
// included); unset, every GPU. Indices are NVML's, i.e. PCI bus order: CUDA's order where
// CUDA_DEVICE_ORDER=PCI_BUS_ID or the node's GPUs are all one model.
struct DeviceChoice {
  std::optional<unsigned> index;  // into `uuids`
  std::string reason;             // why none, when index is empty
};
DeviceChoice choose_nvml_device(const std::optional<std::string>& visible_devices, const std::vector<std::string>& uuids,
                                int local_rank);

// Per rank (not node-wide: each rank reads its own GPU; ranks that share a GPU each report
// it, so read max rather than sum for them). Counters: nvml.energy (J) and nvml.power_avg
// (W) over the region; gauges read at the end (with .min/.avg/.max when sampled):
// nvml.power (W), nvml.sm_clock and nvml.memory_clock (MHz), nvml.temperature (C),
// nvml.gpu_utilization and nvml.memory_utilization (%), nvml.memory_used (bytes);
// nvml.temperature_max (C) over every reading; nvml.throttle.<reason> = 1 for each clock
// event ("throttle") reason seen at any reading (sw_power_cap, hw_thermal_slowdown, ...);
// nvml.read_errors when a reading failed during the region.
std::unique_ptr<Collector> make_nvml_collector(const NvmlOptions& options = nvml_options_from_environment());

}  // namespace sciperf::collectors
