// The cupti collector's keys in a config:
//   collectors:
//     cupti: {mode: enabled, trace: true, trace_events: 100000,
//             metrics: [dram__bytes_read.sum, sm__throughput.avg.pct_of_peak_sustained_elapsed],
//             chip: GH100}
// `chip` names the GPU the metric names are checked against when the config is read, so a
// misspelled metric is found on a login node before the job waits in a queue; on the GPU
// itself they are checked against the device's own chip.
#pragma once

#include "harness/collector.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sciperf::collectors::cupti {

struct CuptiOptions {
  bool trace = false;                    // a Chrome/Perfetto trace file per case and rank
  std::int64_t trace_events = 100'000;   // at most this many events per trace file
  std::vector<std::string> metrics;      // Range Profiling metrics; none: Activity records only
  std::string chip;                      // check `metrics` offline for this chip ("GH100")
};

// Reads the options (scalars arrive as strings); what is wrong goes to `problems`, keyed as
// the config names it ("trace_events", "metrics[2]"). Metric names are checked when the
// build has CUPTI and `chip` is given.
CuptiOptions read_options(const nlohmann::json& options, std::vector<OptionProblem>& problems);

// Per metric, why `chip` does not have it (empty string: it does); throws when the chip is
// unknown. Defined by the CUPTI code (cuda/) or, in a build without it, by a stand-in
// that checks nothing.
std::vector<std::string> unknown_metrics(const std::string& chip, const std::vector<std::string>& metrics);

}  // namespace sciperf::collectors::cupti
