// `sciperf report`: one or several bundles as tables (terminal, Markdown), as flat rows
// (CSV, JSON) for other tools, or as one HTML page with charts (reports/html.h). Tables show
// each suite's varying parameters, the status and the headline metrics, one row per case
// with the bundles side by side; flat rows hold every metric of every case, one row each.
#pragma once

#include "reports/bundle_reader.h"
#include "reports/table.h"

#include <string>
#include <vector>

namespace sciperf::reports {

enum class ReportFormat { table, markdown, csv, json, html };

std::string render_report(const std::vector<Bundle>& bundles, ReportFormat format);

// The pieces every tabular layout shares (the HTML report's too).

// One case across the bundles: its record in each, null where a bundle lacks it.
struct CaseRow {
  std::vector<const CaseResult*> records;
  const CaseResult& any() const;
};

struct SuiteRows {
  std::string suite;
  std::vector<CaseRow> rows;
};

// Suites and cases in the order they first appear, bundle by bundle.
std::vector<SuiteRows> rows_by_suite(const std::vector<Bundle>& bundles);
// A suite's varying parameters, status and headline metrics: one row per case, in `suite.rows` order.
Table suite_table(const std::vector<Bundle>& bundles, const SuiteRows& suite);
// "7 ok, 1 skipped": how many cases of each status, in status order.
std::string status_tally(const Bundle& bundle);
// "[2] text" when there are several bundles, "text" alone otherwise.
std::string tagged(const std::vector<Bundle>& bundles, std::size_t b, const std::string& text);

}  // namespace sciperf::reports
