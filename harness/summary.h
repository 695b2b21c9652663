// The after-run summary: one table per suite with each case's status and headline metrics,
// read from the bundle's case records only.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace sciperf {

// "1.23 us", "45.6 GB/s", ...: how one metric value reads in tables and progress lines.
std::string format_metric(double value, const std::string& unit);
// The headline metrics of one case record, e.g. "time_avg 1.23 us  busbw 4.56 GB/s".
std::string headline_text(const nlohmann::json& case_record);
std::string render_summary(const nlohmann::json& case_records);

}  // namespace sciperf
