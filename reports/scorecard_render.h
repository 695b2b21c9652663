// The scorecard as a terminal table, Markdown, JSON, or a section of the HTML report: one
// row per system and basis, a column per suite after the overall score, each score with
// its interval; then why a basis is missing where it is.
#pragma once

#include "reports/scorecard.h"

#include <string>

namespace sciperf::reports {

enum class ScorecardFormat { table, markdown, json };

std::string render_scorecard(const Scorecard& scorecard, ScorecardFormat format);
// A <section> for render_html.
std::string scorecard_html(const Scorecard& scorecard);

}  // namespace sciperf::reports
