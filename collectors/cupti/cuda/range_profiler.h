// CUPTI's Range Profiling API (cupti_range_profiler.h, CUDA 12.6 on): hardware counters of the
// GPU summed over one region of work, evaluated to metrics such as dram__bytes_read.sum or
// sm__throughput.avg.pct_of_peak_sustained_elapsed.
//
// One RangeProfiler measures one user range on the calling thread's CUDA context. A metric list
// may need several replay passes (metric_catalog.h: MetricConfig::passes): each pass counts part
// of the metrics, so the region must run once per pass and do the same work each time; CUPTI
// does not save or restore device memory between passes. Typical use:
//
//   RangeProfiler profiler({"dram__bytes_read.sum", "gpu__time_duration.sum"});
//   while (profiler.needs_another_pass()) {
//     profiler.begin_pass();
//     run_the_operation();   // the harness's profiling pass, outside the timed loop
//     profiler.end_pass();   // waits for the device
//   }
//   std::map<std::string, double> values = profiler.results();
//
// or `profiler.profile(run_the_operation)`, which does the same.
//
// Errors throw CuptiError (metric_catalog.h) naming the call; missing profiling permission and
// counters held by another profiler (DCGM, Nsight) say what to do. No CUDA header appears here;
// nothing links the driver library (driver functions come through the runtime's
// cudaGetDriverEntryPointByVersion), so a binary with this code starts where no driver is.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sciperf::collectors::cupti {

// Why range profiling cannot run in this process, or nullopt: no driver or device (the CUDA
// runtime's error), a device or configuration CUPTI cannot profile (cuptiProfilerDeviceSupported:
// architecture before Turing, vGPU without profiling, confidential computing, SLI, WSL, CMP),
// or performance counters restricted to administrators while not running as root
// (RmProfilingAdminOnly in /proc/driver/nvidia/params). Counters held by another profiler show
// only when profiling starts (RangeProfiler's constructor).
std::optional<std::string> profiling_unavailable_reason();

// The chip of the calling thread's current CUDA device as CUPTI names it (cuptiDeviceGetChipName),
// e.g. "GH100": the name metric_problems() checks metric lists against.
std::string current_chip();

class RangeProfiler {
 public:
  // Checks `metrics` for the current device's chip, builds the config image from the device's
  // counter availability, and enables the Range Profiler (user range, user replay) on the
  // calling thread's current context, the current device's primary context when none is.
  explicit RangeProfiler(const std::vector<std::string>& metrics);
  // Ends a pass left open (an exception in the region) and disables the Range Profiler.
  ~RangeProfiler();
  RangeProfiler(const RangeProfiler&) = delete;
  RangeProfiler& operator=(const RangeProfiler&) = delete;

  const std::string& chip() const;
  const std::vector<std::string>& metrics() const;
  // Passes the config image needs (1: no replay), and passes run so far.
  std::size_t passes() const;
  std::size_t passes_done() const;
  // True until CUPTI reports every pass submitted (cuptiRangeProfilerStop).
  bool needs_another_pass() const;

  // Start a pass: cuptiRangeProfilerStart and a user range around what follows.
  void begin_pass();
  // End it: waits for the device (cudaDeviceSynchronize), closes the range and stops.
  void end_pass();

  // Metric name -> value for the range, once no pass is needed any more (decodes the counters
  // and evaluates them on the host). Throws CuptiError when ranges were dropped or none recorded.
  std::map<std::string, double> results();

  // Runs `region` once per pass and returns results().
  std::map<std::string, double> profile(const std::function<void()>& region);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace sciperf::collectors::cupti
