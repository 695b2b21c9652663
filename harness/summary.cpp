#include "harness/summary.h"

#include "harness/units.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

namespace sciperf {

std::string format_metric(double value, const std::string& unit) {
  if (unit == "s") return format_duration(value);
  return unit.empty() ? fmt::format("{:.4g}", value) : fmt::format("{:.4g} {}", value, unit);
}

std::string headline_text(const nlohmann::json& record) {
  std::string text;
  const auto& metrics = record.value("metrics", nlohmann::json::object());
  for (const auto& name : record.value("headline", nlohmann::json::array())) {
    const std::string key = name.get<std::string>();
    if (!metrics.contains(key) || !metrics[key]["value"].is_number()) continue;
    text += fmt::format("{}{} {}", text.empty() ? "" : "  ", key,
                        format_metric(metrics[key]["value"].get<double>(), metrics[key].value("unit", "")));
  }
  return text;
}

namespace {

std::string cell(const nlohmann::json& record, const std::string& metric) {
  const auto& metrics = record.value("metrics", nlohmann::json::object());
  if (!metrics.contains(metric) || !metrics[metric]["value"].is_number()) return "-";
  return format_metric(metrics[metric]["value"].get<double>(), metrics[metric].value("unit", ""));
}

std::string render_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], row[c].size());
    }
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      out += fmt::format("{}{:<{}}", c ? "  " : "", rows[r][c], c + 1 == rows[r].size() ? 0 : widths[c]);
    out += "\n";
    if (r == 0) {
      std::size_t total = 0;
      for (std::size_t w : widths) total += w + 2;
      out += std::string(total - 2, '-') + "\n";
    }
  }
  return out;
}

}  // namespace

namespace {

// The parameters whose values differ between the records: the only ones worth a column.
std::vector<std::string> varying_params(const std::vector<const nlohmann::json*>& records) {
  std::vector<std::string> names;
  if (records.empty()) return names;
  const nlohmann::json first = records.front()->value("params", nlohmann::json::object());
  for (const auto& item : first.items()) {
    // Plain references, not structured bindings: clang before 16 cannot capture those in a lambda.
    const std::string& name = item.key();
    const nlohmann::json& value = item.value();
    const bool varies = std::any_of(records.begin(), records.end(), [&](const nlohmann::json* r) {
      return r->value("params", nlohmann::json::object()).value(name, nlohmann::json()) != value;
    });
    if (varies) names.push_back(name);
  }
  return names;
}

std::string param_cell(const nlohmann::json& record, const std::string& name) {
  const nlohmann::json value = record.value("params", nlohmann::json::object()).value(name, nlohmann::json());
  const std::string kind = record.value("param_kinds", nlohmann::json::object()).value(name, "");
  if (kind == "size" && value.is_number_integer()) {
    std::string text = format_size(value.get<std::uint64_t>());
    std::erase(text, ' ');
    return text;
  }
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string render_suite(const std::string& suite, const std::vector<const nlohmann::json*>& records) {
  std::vector<const nlohmann::json*> shown;
  std::map<std::string, int> counts, skipped_reasons;
  for (const auto* record : records) {
    const std::string status = record->value("status", "?");
    ++counts[status];
    if (status == "skipped") ++skipped_reasons[record->value("reason", "")];
    else shown.push_back(record);
  }
  const std::vector<std::string> params = varying_params(shown);
  std::vector<std::string> metrics;
  for (const auto* record : shown)
    for (const auto& name : record->value("headline", nlohmann::json::array()))
      if (std::find(metrics.begin(), metrics.end(), name.get<std::string>()) == metrics.end())
        metrics.push_back(name.get<std::string>());
  std::vector<std::vector<std::string>> rows{params};
  if (params.empty()) rows.front().push_back("case");
  rows.front().push_back("status");
  rows.front().insert(rows.front().end(), metrics.begin(), metrics.end());
  for (const auto* record : shown) {
    std::vector<std::string> row;
    for (const auto& name : params) row.push_back(param_cell(*record, name));
    if (params.empty()) row.push_back(record->value("name", "?"));
    row.push_back(record->value("status", "?"));
    for (const auto& metric : metrics) row.push_back(cell(*record, metric));
    if (record->value("status", "") != "ok") row.push_back(record->value("reason", ""));
    rows.push_back(std::move(row));
  }
  std::string tally;
  for (const auto& [status, count] : counts) tally += fmt::format("{}{} {}", tally.empty() ? "" : ", ", count, status);
  std::string out = fmt::format("\n{} ({})\n", suite, tally);
  if (!shown.empty()) out += render_table(rows);
  for (const auto& [reason, count] : skipped_reasons) out += fmt::format("skipped x{}: {}\n", count, reason);
  return out;
}

}  // namespace

std::string render_summary(const nlohmann::json& records) {
  std::map<std::string, std::vector<const nlohmann::json*>> by_suite;
  for (const auto& record : records) by_suite[record.value("suite", "?")].push_back(&record);
  std::string out;
  for (const auto& [suite, cases] : by_suite) out += render_suite(suite, cases);
  return out;
}

}  // namespace sciperf
