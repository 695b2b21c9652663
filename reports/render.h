// `sciperf report`: one or several bundles as tables (terminal, Markdown) or as flat rows
// (CSV, JSON) for other tools. Tables show each suite's varying parameters, the status and
// the headline metrics, one row per case with the bundles side by side; flat rows hold
// every metric of every case, one row each.
#pragma once

#include "reports/bundle_reader.h"

#include <string>
#include <vector>

namespace sciperf::reports {

enum class ReportFormat { table, markdown, csv, json };

std::string render_report(const std::vector<Bundle>& bundles, ReportFormat format);

}  // namespace sciperf::reports
