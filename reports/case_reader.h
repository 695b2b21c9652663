// One element of sciperf.cases read straight from the text into a CaseResult (no document
// in between): what a 100,000-case bundle costs is mostly this. Members no report uses
// (validation, output tails, derived counters, per-rank counter values) are skipped; the
// counters kept are those in joules. Problems are BundleErrors naming the file and the
// field, e.g. "sciperf.cases[2].metrics.busbw.unit: expected a string, got number".
#pragma once

#include "reports/bundle_fields.h"
#include "reports/bundle_reader.h"
#include "reports/json_reader.h"

#include <string>

namespace sciperf::reports {

// Reads the case at `json`'s position; `place` is where it is ("sciperf.cases[3]").
CaseResult read_case(JsonReader& json, const Place& place, const std::string& file, std::size_t index);

}  // namespace sciperf::reports
