#include "reports/render.h"

#include "reports/escape.h"
#include "reports/format.h"
#include "reports/html.h"
#include "reports/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace sciperf::reports {

using nlohmann::json;

const CaseResult& CaseRow::any() const {
  return **std::find_if(records.begin(), records.end(), [](const CaseResult* r) { return r != nullptr; });
}

std::vector<SuiteRows> rows_by_suite(const std::vector<Bundle>& bundles) {
  std::vector<SuiteRows> suites;
  std::map<std::string, std::pair<std::size_t, std::size_t>> where;  // case name → (suite, row)
  for (std::size_t b = 0; b < bundles.size(); ++b)
    for (const CaseResult& record : bundles[b].cases) {
      auto it = where.find(record.name);
      if (it == where.end()) {
        auto suite = std::find_if(suites.begin(), suites.end(), [&](const SuiteRows& s) { return s.suite == record.suite; });
        if (suite == suites.end()) suite = suites.insert(suites.end(), SuiteRows{record.suite, {}});
        suite->rows.push_back(CaseRow{std::vector<const CaseResult*>(bundles.size(), nullptr)});
        it = where.emplace(record.name, std::pair(suite - suites.begin(), suite->rows.size() - 1)).first;
      }
      suites[it->second.first].rows[it->second.second].records[b] = &record;
    }
  return suites;
}

std::string tagged(const std::vector<Bundle>& bundles, std::size_t b, const std::string& text) {
  return bundles.size() == 1 ? text : fmt::format("[{}] {}", b + 1, text);
}

std::string status_tally(const Bundle& bundle) {
  std::map<std::string, int> counts;
  for (const CaseResult& record : bundle.cases) ++counts[record.status];
  std::string tally;
  for (const auto& [status, count] : counts) tally += fmt::format("{}{} {}", tally.empty() ? "" : ", ", count, status);
  return tally;
}

namespace {

std::string describe(const Bundle& bundle) {
  const std::string tally = status_tally(bundle);
  std::string text = fmt::format("{}: {} on {}, started {}, {} cases", bundle.label, bundle.run.config_name, bundle.system,
                                 bundle.run.started, bundle.cases.size());
  if (!tally.empty()) text += fmt::format(" ({})", tally);
  if (bundle.run.status != "complete") text += fmt::format("; run {}", bundle.run.status);
  return text;
}

std::string metric_cell(const CaseResult* record, const std::string& name) {
  if (record == nullptr) return "-";
  const auto metric = record->metrics.find(name);
  if (metric == record->metrics.end() || !metric->second.value) return "-";
  return format_value(*metric->second.value, metric->second.unit);
}

// "ok" when every bundle agrees, else each bundle's status in turn: "ok/failed", "ok/-".
std::string status_cell(const CaseRow& row) {
  const auto status = [](const CaseResult* record) { return record ? record->status : std::string("-"); };
  const bool same = std::all_of(row.records.begin(), row.records.end(),
                                [&](const CaseResult* record) { return status(record) == status(row.records[0]); });
  if (same) return status(row.records[0]);
  std::string cell;
  for (const CaseResult* record : row.records) cell += (cell.empty() ? "" : "/") + status(record);
  return cell;
}

// Why a case is not ok: once when every bundle gives the same reason, else tagged per bundle.
std::string notes_cell(const std::vector<Bundle>& bundles, const CaseRow& row) {
  std::vector<std::string> reasons;
  for (const CaseResult* record : row.records) reasons.push_back(record ? record->reason : "");
  if (std::all_of(reasons.begin(), reasons.end(), [&](const std::string& r) { return r == reasons[0]; })) return reasons[0];
  std::string cell;
  for (std::size_t b = 0; b < reasons.size(); ++b)
    if (!reasons[b].empty()) cell += fmt::format("{}{}", cell.empty() ? "" : "; ", tagged(bundles, b, reasons[b]));
  return cell;
}

}  // namespace

Table suite_table(const std::vector<Bundle>& bundles, const SuiteRows& suite) {
  std::vector<const CaseResult*> records;
  std::vector<std::string> metrics;
  bool any_reason = false;
  for (const CaseRow& row : suite.rows)
    for (const CaseResult* record : row.records) {
      if (record == nullptr) continue;
      records.push_back(record);
      any_reason = any_reason || !record->reason.empty();
      for (const std::string& name : record->headline)
        if (std::find(metrics.begin(), metrics.end(), name) == metrics.end()) metrics.push_back(name);
    }
  const std::vector<std::string> params = varying_params(records);

  // A metric's columns sit together, bundle after bundle, so the numbers to compare are adjacent.
  Table table;
  table.header = params.empty() ? std::vector<std::string>{"case"} : params;
  table.header.push_back("status");
  for (const std::string& metric : metrics)
    for (std::size_t b = 0; b < bundles.size(); ++b) table.header.push_back(bundles.size() == 1 ? metric : fmt::format("{} [{}]", metric, b + 1));
  if (any_reason) table.header.push_back("notes");

  for (const CaseRow& row : suite.rows) {
    std::vector<std::string> cells;
    if (params.empty()) cells.push_back(row.any().name);
    for (const std::string& name : params) cells.push_back(format_case_param(row.any(), name));
    cells.push_back(status_cell(row));
    for (const std::string& metric : metrics)
      for (const CaseResult* record : row.records) cells.push_back(metric_cell(record, metric));
    if (any_reason) cells.push_back(notes_cell(bundles, row));
    table.rows.push_back(std::move(cells));
  }
  return table;
}

namespace {

std::string render_tables(const std::vector<Bundle>& bundles, bool markdown) {
  std::string out;
  for (std::size_t b = 0; b < bundles.size(); ++b) {
    const std::string line = tagged(bundles, b, describe(bundles[b]));
    out += markdown ? "- " + escape_markdown(line) + "\n" : escape_terminal(line) + "\n";
  }
  for (const SuiteRows& suite : rows_by_suite(bundles)) {
    const Table table = suite_table(bundles, suite);
    out += markdown ? fmt::format("\n### {}\n\n{}", escape_markdown(suite.suite), render_markdown(table))
                    : fmt::format("\n{}\n{}", escape_terminal(suite.suite), render_text(table));
  }
  return out;
}

// The flat rows: every metric of every case in every bundle; a case without metrics has one
// row with none, so that failures and skips are there too.
template <typename Emit>
void for_each_flat_row(const std::vector<Bundle>& bundles, Emit emit) {
  for (const Bundle& bundle : bundles)
    for (const CaseResult& record : bundle.cases) {
      if (record.metrics.empty()) emit(bundle, record, nullptr, nullptr);
      for (const auto& [name, metric] : record.metrics) emit(bundle, record, &name, &metric);
    }
}

std::string number_text(const std::optional<double>& value) { return value ? fmt::format("{}", *value) : ""; }

std::string render_csv_rows(const std::vector<Bundle>& bundles) {
  std::set<std::string> params;
  for (const Bundle& bundle : bundles)
    for (const CaseResult& record : bundle.cases)
      for (const auto& [name, value] : record.params.items()) params.insert(name);
  Table table;
  table.header = {"bundle", "system", "case", "suite"};
  for (const std::string& name : params) table.header.push_back("params." + name);
  for (const char* column : {"status", "metric", "value", "unit", "direction", "reason"}) table.header.push_back(column);
  for_each_flat_row(bundles, [&](const Bundle& bundle, const CaseResult& record, const std::string* name,
                                 const Metric* metric) {
    std::vector<std::string> row{bundle.label, bundle.system, record.name, record.suite};
    for (const std::string& param : params) {
      const json value = record.params.value(param, json());
      row.push_back(value.is_null() ? "" : value.is_string() ? value.get<std::string>() : value.dump());
    }
    row.push_back(record.status);
    row.push_back(name ? *name : "");
    row.push_back(metric ? number_text(metric->value) : "");
    row.push_back(metric ? metric->unit : "");
    row.push_back(metric ? std::string(to_string(metric->direction)) : "");
    row.push_back(record.reason);
    table.rows.push_back(std::move(row));
  });
  return render_csv(table);
}

std::string render_json_rows(const std::vector<Bundle>& bundles) {
  json rows = json::array();
  for_each_flat_row(bundles, [&](const Bundle& bundle, const CaseResult& record, const std::string* name,
                                 const Metric* metric) {
    json row = {{"bundle", bundle.label}, {"system", bundle.system}, {"case", record.name},   {"suite", record.suite},
                {"params", record.params}, {"status", record.status}, {"metric", nullptr}, {"value", nullptr},
                {"unit", nullptr},         {"direction", nullptr}};
    if (metric) {
      row["metric"] = *name;
      row["value"] = metric->value ? json(*metric->value) : json();
      row["unit"] = metric->unit;
      row["direction"] = to_string(metric->direction);
    }
    if (!record.reason.empty()) row["reason"] = record.reason;
    rows.push_back(std::move(row));
  });
  return rows.dump(2) + "\n";
}

}  // namespace

std::string render_report(const std::vector<Bundle>& bundles, ReportFormat format) {
  switch (format) {
    case ReportFormat::table: return render_tables(bundles, false);
    case ReportFormat::markdown: return render_tables(bundles, true);
    case ReportFormat::csv: return render_csv_rows(bundles);
    case ReportFormat::json: return render_json_rows(bundles);
    case ReportFormat::html: return render_html(bundles);
  }
  return "";
}

}  // namespace sciperf::reports
