#include "reports/format.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace sciperf::reports {
namespace {

// `digits` (3 or 4) significant digits, but never an exponent: 12345 reads better than
// 1.23e+04. Compiled formats: a comparison of 100,000 cases formats a million numbers.
std::string significant(double value, int digits) {
  if (std::fabs(value) >= (digits == 3 ? 1e3 : 1e4)) return fmt::format(FMT_COMPILE("{:.0f}"), value);
  return digits == 3 ? fmt::format(FMT_COMPILE("{:.3g}"), value) : fmt::format(FMT_COMPILE("{:.4g}"), value);
}

std::string format_bytes(std::uint64_t bytes) {
  static constexpr std::array<const char*, 5> kUnits{"B", "KiB", "MiB", "GiB", "TiB"};
  std::size_t unit = 0;
  double value = static_cast<double>(bytes);
  while (unit + 1 < kUnits.size() && value >= 1024.0) {
    value /= 1024.0;
    ++unit;
  }
  if (value == std::floor(value)) return fmt::format("{:.0f}{}", value, kUnits[unit]);
  return fmt::format("{:.1f}{}", value, kUnits[unit]);
}

}  // namespace

std::string format_value(double value, const std::string& unit) {
  if (!std::isfinite(value)) return "-";
  if (unit == "s") {
    const double magnitude = std::fabs(value);
    if (magnitude != 0 && magnitude < 1e-6) return significant(value * 1e9, 3) + " ns";
    if (magnitude != 0 && magnitude < 1e-3) return significant(value * 1e6, 3) + " us";
    if (magnitude != 0 && magnitude < 1.0) return significant(value * 1e3, 3) + " ms";
    return significant(value, 3) + " s";
  }
  const std::string number = significant(value, 4);
  return unit.empty() ? number : number + " " + unit;
}

std::string format_param(const nlohmann::json& value, const std::string& kind) {
  if (kind == "size" && value.is_number_integer() && value.get<std::int64_t>() >= 0)
    return format_bytes(value.get<std::uint64_t>());
  if (kind == "duration" && value.is_number()) return format_value(value.get<double>(), "s");
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string format_case_param(const CaseResult& record, const std::string& name) {
  if (!record.params.contains(name)) return "-";
  const auto kind = record.param_kinds.find(name);
  return format_param(record.params[name], kind == record.param_kinds.end() ? "" : kind->second);
}

std::string format_percent(double fraction) {
  if (!std::isfinite(fraction)) return "-";
  return fmt::format(FMT_COMPILE("{:+.1f}%"), fraction * 100.0);
}

std::vector<std::string> varying_params(std::span<const CaseResult* const> cases) {
  std::set<std::string> names;
  for (const CaseResult* record : cases)
    for (const auto& [name, value] : record->params.items()) names.insert(name);
  std::vector<std::string> varying;
  static const nlohmann::json kAbsent;
  for (const std::string& name : names) {
    const auto value_of = [&](const CaseResult* record) -> const nlohmann::json& {  // no copy: 100,000 cases
      const auto it = record->params.find(name);
      return it == record->params.end() ? kAbsent : *it;
    };
    const nlohmann::json& first = value_of(cases.front());
    if (std::any_of(cases.begin(), cases.end(), [&](const CaseResult* r) { return value_of(r) != first; }))
      varying.push_back(name);
  }
  // In the order the case names give them ("suite/collective:.../bytes:..."), which is the
  // suite's own order; params objects are sorted by name.
  if (!cases.empty()) {
    const std::string& example = cases.front()->name;
    const auto position = [&](const std::string& name) { return example.find("/" + name + ":"); };
    std::stable_sort(varying.begin(), varying.end(),
                     [&](const std::string& a, const std::string& b) { return position(a) < position(b); });
  }
  return varying;
}

}  // namespace sciperf::reports
