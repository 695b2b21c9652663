#include "reports/html.h"

#include "reports/chart_spec.h"
#include "reports/escape.h"
#include "reports/render.h"
#include "reports/svg_chart.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string_view>
#include <utility>

namespace sciperf::reports {
namespace {

// Written as XML would want it (no '<', '>' or '&'), so that the whole page stays well formed.
constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; color: #222; margin: 1.5em auto; max-width: 1240px; padding: 0 1em; }
h1 { font-size: 1.6em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
.runs { display: flex; flex-wrap: wrap; gap: 1em; }
.run { border: 1px solid #ccc; border-left: 6px solid #2a7; border-radius: 4px; padding: 0.5em 1em; }
.run.incomplete { border-left-color: #d70; }
.run h3 { margin: 0.2em 0 0.5em; font-size: 1.05em; overflow-wrap: anywhere; }
.run dl { display: grid; grid-template-columns: auto 1fr; gap: 0.15em 1em; margin: 0; }
.run dt { color: #666; }
.run dd { margin: 0; overflow-wrap: anywhere; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0; flex: 1 1 560px; min-width: 0; max-width: 760px; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #555; }
.table-wrap { overflow-x: auto; margin-top: 1em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.2em 0.6em; text-align: left; font-variant-numeric: tabular-nums; }
td { white-space: nowrap; }
td.notes { white-space: normal; min-width: 20em; }
th { background: #f3f3f3; }
tr.not-ok td { background: #fdecea; }
)";

std::string text(std::string_view value) { return escape_xml(value); }

std::string or_dash(const std::string& value) { return value.empty() ? "-" : value; }

std::string count(std::int64_t number, std::string_view noun) {
  return fmt::format("{} {}{}", number, noun, number == 1 ? "" : "s");
}

std::vector<std::pair<std::string, std::string>> run_facts(const Bundle& bundle) {
  const RunInfo& run = bundle.run;
  const Platform& platform = bundle.platform;
  const std::string version = run.git_revision.empty() ? run.sciperf_version
                                                       : fmt::format("{} ({})", run.sciperf_version, run.git_revision);
  const std::string status = run.reason.empty() ? run.status : fmt::format("{}: {}", run.status, run.reason);
  const std::string tally = status_tally(bundle);
  return {
      {"system", bundle.system},
      {"config", run.config_name},
      {"CPU", fmt::format("{}", fmt::join(platform.cpu_models, "; "))},
      {"nodes, ranks", platform.ranks == 0 ? "" : fmt::format("{}, {}", count(platform.node_count, "node"), count(platform.ranks, "rank"))},
      {"MPI", platform.mpi_library},
      {"sciperf", version},
      {"status", status},
      {"date", run.finished.empty() ? run.started : fmt::format("{} to {}", run.started, run.finished)},
      {"cases", tally.empty() ? "none" : fmt::format("{}: {}", bundle.cases.size(), tally)},
  };
}

std::string run_header(const std::vector<Bundle>& bundles, std::size_t b) {
  const Bundle& bundle = bundles[b];
  std::string out = fmt::format("<article class=\"run{}\"><h3>{}</h3><dl>", bundle.run.status == "complete" ? "" : " incomplete",
                                text(tagged(bundles, b, bundle.label)));
  for (const auto& [name, value] : run_facts(bundle)) out += fmt::format("<dt>{}</dt><dd>{}</dd>", text(name), text(or_dash(value)));
  return out + "</dl></article>\n";
}

// Failed and skipped cases shaded: suite_table's rows are the suite's rows in order.
std::vector<bool> not_ok_rows(const SuiteRows& suite) {
  std::vector<bool> shaded;
  for (const CaseRow& row : suite.rows)
    shaded.push_back(std::any_of(row.records.begin(), row.records.end(),
                                 [](const CaseResult* r) { return r != nullptr && r->status != "ok"; }));
  return shaded;
}

// Chart ids run through the page so that each <svg>'s title and description ids are unique.
std::string charts_html(const std::vector<Bundle>& bundles, const SuiteRows& suite, std::size_t& next_chart) {
  std::string out;
  for (const LineChart& chart : suite_charts(bundles, suite))
    out += fmt::format("<figure>{}<figcaption>{}</figcaption></figure>\n", render_svg(chart, fmt::format("chart-{}", ++next_chart)),
                       text(chart.description));
  return out.empty() ? "" : "<div class=\"charts\">\n" + out + "</div>\n";
}

std::string contents(const std::vector<SuiteRows>& suites) {
  std::string out = "<nav><h2>Suites</h2><ul>";
  for (std::size_t s = 0; s < suites.size(); ++s)
    out += fmt::format("<li><a href=\"#suite-{}\">{}</a></li>", s + 1, text(suites[s].suite));
  return out + "</ul></nav>\n";
}

}  // namespace

std::string html_table(const Table& table, const std::vector<bool>& shaded) {
  std::string out = "<div class=\"table-wrap\"><table><thead><tr>";
  for (const std::string& cell : table.header) out += fmt::format("<th scope=\"col\">{}</th>", text(cell));
  out += "</tr></thead><tbody>\n";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    out += r < shaded.size() && shaded[r] ? "<tr class=\"not-ok\">" : "<tr>";
    for (std::size_t c = 0; c < table.rows[r].size(); ++c)
      out += fmt::format("<td{}>{}</td>", c < table.header.size() && table.header[c] == "notes" ? " class=\"notes\"" : "",
                         text(table.rows[r][c]));
    out += "</tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

std::string render_html(const std::vector<Bundle>& bundles, const std::string& scorecard) {
  std::vector<std::string> labels;
  for (const Bundle& bundle : bundles) labels.push_back(bundle.label);
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
      "<title>sciperf report: {}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>sciperf report</h1>\n",
      text(fmt::format("{}", fmt::join(labels, ", "))), kStyle);
  out += "<h2>Runs</h2>\n<div class=\"runs\">\n";
  for (std::size_t b = 0; b < bundles.size(); ++b) out += run_header(bundles, b);
  out += "</div>\n" + scorecard;
  const std::vector<SuiteRows> suites = rows_by_suite(bundles);
  if (suites.size() > 1) out += contents(suites);
  std::size_t next_chart = 0;
  for (std::size_t s = 0; s < suites.size(); ++s)
    out += fmt::format("<section id=\"suite-{}\">\n<h2>{}</h2>\n{}{}</section>\n", s + 1, text(suites[s].suite),
                       charts_html(bundles, suites[s], next_chart),
                       html_table(suite_table(bundles, suites[s]), not_ok_rows(suites[s])));
  return out + "</body>\n</html>\n";
}

}  // namespace sciperf::reports
