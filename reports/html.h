// `sciperf report --format html`: one self-contained page that opens offline. Its CSS and its
// charts (SVG, reports/svg_chart.h) are inline and it has no script; its content security
// policy forbids scripts and fetches anyway, so a name that slipped past escaping could
// neither run nor call out. A header per bundle, then per suite its charts
// (reports/chart_spec.h) and its table, the bundles side by side as in the other layouts.
#pragma once

#include "reports/bundle_reader.h"
#include "reports/table.h"

#include <string>
#include <vector>

namespace sciperf::reports {

// `scorecard`: a section (reports/scorecard_render.h) that goes after the runs' headers.
std::string render_html(const std::vector<Bundle>& bundles, const std::string& scorecard = "");

// A table as HTML, every cell escaped; the rows `shaded` marks are shaded (failed, skipped).
std::string html_table(const Table& table, const std::vector<bool>& shaded = {});

}  // namespace sciperf::reports
