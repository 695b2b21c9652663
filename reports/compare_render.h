// A comparison as a terminal table, Markdown for a pull-request comment, JSON for tools and
// JUnit XML for CI (one test case per case and metric; a regression is a failure).
#pragma once

#include "reports/compare.h"

#include <string>

namespace sciperf::reports {

enum class CompareFormat { table, markdown, json };

std::string render_comparison(const Comparison& comparison, CompareFormat format);
std::string render_junit(const Comparison& comparison);

}  // namespace sciperf::reports
