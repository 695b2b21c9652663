// compare's thresholds and noise floors from a config: the run config's `compare:` section
// (which the bundle embeds, as sciperf.config.compare), or a file given by --thresholds.
//
//   compare:
//     alpha: 0.05
//     threshold: 5%                      # the change that counts, for every metric
//     noise_floor:
//       relative: 1%                     # changes up to this are noise, whatever a threshold says
//       absolute: [1us, 0.1GB/s]         # or one value: up to this, in the metric's unit
//     metrics:                           # a metric in any suite
//       time_avg: {threshold: 3%}
//     suites:
//       collectives:
//         threshold: 4%
//         metrics:
//           busbw: {threshold: 3%}
//
// The most specific threshold applies (suite and metric, then suite, then metric, then the
// global one), lower or higher; the relative noise floor is a lower bound on all of them.
// Every key is checked: an unknown one or a bad value is an error naming the file and key.
#pragma once

#include "reports/bundle_reader.h"
#include "reports/compare.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
}

namespace sciperf::reports {

// What a compare section sets; unset where it says nothing.
struct CompareConfig {
  std::string source;                 // where it came from, for the comparison's header
  std::optional<double> alpha;
  std::optional<double> threshold;    // CompareSettings::noise
  std::optional<double> noise_floor;  // CompareSettings::noise_floor
  std::vector<AbsoluteFloor> absolute_floors;
  std::vector<Threshold> thresholds;  // per suite and metric
};

// "FILE:LINE:COLUMN: compare.suites.collectives.threshold: what" (no line in a bundle).
class CompareConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "5%" → 0.05: a percent sign is required ("5" could mean 5% or 500%). nullopt when malformed or negative.
std::optional<double> parse_percentage(std::string_view text);
// "50ns" → 5e-8 s (time in any of ns, us, ms, s; metrics keep seconds), "0.1GB/s" → 0.1 GB/s.
std::optional<AbsoluteFloor> parse_absolute_floor(std::string_view text);

// A YAML file: a run config, whose `compare:` section is read (its other keys are the
// harness's), or a file holding the section's keys alone.
CompareConfig load_compare_config(const std::string& file);
// The section the bundle's config embeds (sciperf.config.compare); nullopt when it has none.
std::optional<CompareConfig> bundle_compare_config(const Bundle& bundle);

// `config` over `settings`: what it sets replaces the settings' value; its thresholds and
// absolute floors replace those for the same suite and metric, or unit.
void apply_compare_config(const CompareConfig& config, CompareSettings& settings);

}  // namespace sciperf::reports
