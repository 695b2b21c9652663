// The CUPTI Activity API around a profiling pass: kernel (concurrent), memcpy and memset
// records, delivered by CUPTI in buffers it asks us for and hands back when full or flushed.
// CUPTI's buffer callbacks are process-wide, so there is one tracer per process.
#pragma once

#include "collectors/cupti/activity.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sciperf::collectors::cupti {

struct TraceResult {
  std::vector<ActivityRecord> records;
  std::uint64_t dropped = 0;  // records CUPTI could not store
};

class ActivityTracer {
 public:
  static ActivityTracer& instance();
  // Enables the record kinds; an error names the CUPTI call and its result.
  std::optional<std::string> start();
  // Waits for the device, flushes every buffer and disables the kinds.
  TraceResult stop();

 private:
  ActivityTracer() = default;
  bool callbacks_registered_ = false;
};

}  // namespace sciperf::collectors::cupti
