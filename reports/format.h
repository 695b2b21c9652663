// How numbers and parameters read in reports. Written here rather than borrowed from the
// harness: reports depend on the bundle format only.
#pragma once

#include "reports/bundle_reader.h"

#include <nlohmann/json.hpp>

#include <span>
#include <string>
#include <vector>

namespace sciperf::reports {

// "314 ns", "1.5 us", "12.5 GB/s": seconds scaled to ns/us/ms, everything else as given,
// three or four significant digits.
std::string format_value(double value, const std::string& unit);
// A parameter as case names show it: sizes "64KiB", durations "250 ms", strings as they are.
std::string format_param(const nlohmann::json& value, const std::string& kind);
// One of a case's parameters, formatted by its kind; "-" when the case lacks it.
std::string format_case_param(const CaseResult& record, const std::string& name);
// A signed percentage of a fraction: 0.123 → "+12.3%".
std::string format_percent(double fraction);

// The parameters whose values differ between the cases (absent counts as a value): the only
// ones worth a column. In the order the case names list them.
std::vector<std::string> varying_params(std::span<const CaseResult* const> cases);

}  // namespace sciperf::reports
