// The host collector: what the operating system and the CPU saw of this process during a
// case's measured region (CPU time, context switches, page faults, peak RSS, perf events,
// CPU frequency); and the energy collector: RAPL energy of the node's packages. Always available: getrusage works everywhere, and each other
// source joins only where this machine has it; describe() says which did and why not.
#pragma once

#include "harness/collector.h"

#include <filesystem>
#include <memory>

namespace sciperf {

// Where the sysfs and procfs files are read from; tests point these at a fake tree.
struct HostRoots {
  std::filesystem::path proc = "/proc";
  std::filesystem::path sys = "/sys";
};

// Opens the perf events and finds the RAPL zones and cpufreq files once, here, so that
// begin() and end() only read. perf events count the calling thread and the threads and
// processes it starts afterwards: create the collector before the workers.
std::unique_ptr<Collector> make_host_collector(const HostRoots& roots = {});
// Node-wide (read by one rank per host); unavailable without powercap's intel-rapl zones.
std::unique_ptr<Collector> make_energy_collector(const HostRoots& roots = {});

}  // namespace sciperf
