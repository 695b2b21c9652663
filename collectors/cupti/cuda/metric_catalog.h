// CUPTI's Host Profiling API (cupti_profiler_host.h): which chips and metrics CUPTI knows, and
// the config image that tells the Range Profiler what to count. Everything here works without
// a GPU or driver (the API reads chip descriptions shipped in libnvperf_host.so), so metric
// lists in configs are checked offline, for the chip the cluster has, before any run.
//
// Metric names follow CUPTI's grammar: a base metric (`unit__quantity`, e.g. dram__bytes_read,
// sm__throughput, gpu__time_duration) plus a rollup (.sum .avg .min .max) and optionally a
// submetric (.per_second, .pct_of_peak_sustained_elapsed, .peak_sustained, ...). Which suffixes
// a base takes depends on its kind (throughputs take only .<rollup>.pct_of_peak_sustained_*);
// the host API itself decides, so nothing here re-implements the grammar.
//
// No CUDA or CUPTI header appears here. Failing CUPTI calls throw CuptiError, whose text names
// the call and CUPTI's result string, e.g. "cuptiProfilerHostInitialize: CUPTI_ERROR_INVALID_PARAMETER (1)".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct CUpti_Profiler_Host_Object;  // cupti_profiler_host.h, opaque

namespace sciperf::collectors::cupti {

class CuptiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "<function>: <CUPTI result string> (<code>)", plus what to do for the results a user can fix:
// missing profiling permission (CUPTI_ERROR_INSUFFICIENT_PRIVILEGES), counters held by another
// profiler such as DCGM or Nsight (CUPTI_ERROR_HARDWARE_BUSY, ..._MULTIPLE_SUBSCRIBERS_NOT_SUPPORTED),
// libnvperf_host.so not found (CUPTI_ERROR_NOT_INITIALIZED from a host call). `result` is a CUptiResult.
std::string cupti_error_message(const char* function, int result);

// Why the host API cannot be used in this process, or nullopt. In a build with AddressSanitizer
// it cannot: libcupti loads libnvperf_host.so with RTLD_DEEPBIND, which the sanitizer's runtime
// refuses by killing the process; every function below then throws CuptiError with this text.
std::optional<std::string> host_api_unavailable_reason();

// Chips the host API knows (cuptiProfilerHostGetSupportedChips), e.g. GA100, GH100, GB100.
std::vector<std::string> supported_chips();

// One message per metric `chip` does not have, in the order given; empty when all are fine.
// An unknown chip gives one message listing the supported ones. Examples:
//   'dram__bytes_red.sum' is not a GH100 metric (closest: dram__bytes_read.sum)
//   'sm__throughput.sum' is not a GH100 metric: sm__throughput does not take '.sum' (closest: sm__throughput.sum.pct_of_peak_sustained_elapsed)
//   'dram__bytes_read' needs a rollup on GH100: one of .sum .avg .min .max
// Throws CuptiError only when CUPTI itself fails (not for a bad name).
std::vector<std::string> metric_problems(const std::string& chip, const std::vector<std::string>& metrics);

struct MetricInfo {
  std::string name;
  std::string description;
  std::string unit;  // dimension of the value: "byte", "percent", "nanosecond", "byte/second"...
  std::string kind;  // "counter", "ratio" or "throughput"
};
// Throws CuptiError when `metric` is not a metric of `chip` (a base metric without rollup is).
MetricInfo metric_info(const std::string& chip, const std::string& metric);

// What the Range Profiler needs for a metric list on one chip.
struct MetricConfig {
  std::string chip;
  std::vector<std::string> metrics;  // as given, duplicates dropped
  std::vector<std::uint8_t> image;   // config image for cuptiRangeProfilerSetConfig
  // Replay passes the list needs (cuptiProfilerHostGetNumOfPasses): more than 1 means the
  // profiled region runs that many times, each pass counting part of the metrics.
  std::size_t passes = 0;
};

// A host object for one chip (cuptiProfilerHostInitialize ... Deinitialize). The Range
// Profiler keeps the one that built its config image to evaluate the counters it collected.
class ProfilerHost {
 public:
  // `counter_availability`: the device's counter availability image
  // (cuptiProfilerGetCounterAvailability) when a GPU is at hand; empty offline.
  explicit ProfilerHost(std::string chip, std::vector<std::uint8_t> counter_availability = {});
  ~ProfilerHost();
  ProfilerHost(const ProfilerHost&) = delete;
  ProfilerHost& operator=(const ProfilerHost&) = delete;

  const std::string& chip() const { return chip_; }
  // Checks `metrics` (metric_problems; CuptiError with all problems, one a line) and adds them
  // to this object's config. Call once per object.
  MetricConfig configure(const std::vector<std::string>& metrics);
  // Values of `metrics` (configured before) for range `range` of a decoded counter data image
  // (cuptiProfilerHostEvaluateToGpuValues), in the order of `metrics`.
  std::vector<double> evaluate(const std::vector<std::uint8_t>& counter_data, std::size_t range,
                               const std::vector<std::string>& metrics) const;

 private:
  std::string chip_;
  std::vector<std::uint8_t> counter_availability_;
  CUpti_Profiler_Host_Object* object_ = nullptr;
  bool configured_ = false;
};

// A config for `metrics` on `chip` (offline: no counter availability image). Throws CuptiError
// listing metric_problems when there are any.
MetricConfig metric_config(const std::string& chip, const std::vector<std::string>& metrics);

}  // namespace sciperf::collectors::cupti
