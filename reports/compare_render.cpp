#include "reports/compare_render.h"

#include "reports/escape.h"
#include "reports/format.h"
#include "reports/table.h"

#include <fmt/format.h>

#include <algorithm>

namespace sciperf::reports {
namespace {

using nlohmann::json;

struct SuiteGroup {
  std::string suite;
  std::vector<const CaseComparison*> cases;
};

// Matched cases by suite, suites in the order they first appear.
std::vector<SuiteGroup> by_suite(const Comparison& comparison) {
  std::vector<SuiteGroup> groups;
  for (const CaseComparison& c : comparison.cases) {
    auto group = std::find_if(groups.begin(), groups.end(), [&](const SuiteGroup& g) { return g.suite == c.baseline->suite; });
    if (group == groups.end()) group = groups.insert(groups.end(), SuiteGroup{c.baseline->suite, {}});
    group->cases.push_back(&c);
  }
  return groups;
}

std::string confidence_text(const Comparison& comparison) {
  return fmt::format("{:g}% CI", (1.0 - comparison.settings.alpha) * 100.0);
}

std::string percent(double fraction) { return fmt::format("{:g}%", fraction * 100.0); }

std::string settings_text(const Comparison& comparison) {
  const CompareSettings& s = comparison.settings;
  std::string text = fmt::format("alpha {:g}, threshold {}", s.alpha, percent(s.noise));
  for (const Threshold& threshold : s.thresholds)
    text += fmt::format(", {}.{} {}", threshold.suite, threshold.metric, percent(threshold.relative));
  if (s.noise_floor > 0) text += fmt::format(", noise floor {}", percent(s.noise_floor));
  for (const AbsoluteFloor& floor : s.absolute_floors)
    text += fmt::format(", at least {} for {}", format_value(floor.value, floor.unit), floor.unit);
  text += fmt::format(", {} from {} bootstrap resamples{}", confidence_text(comparison), s.resamples,
                      s.all_intervals ? "" : " where it decides");
  for (const std::string& source : s.sources) text += fmt::format("; thresholds from {}", source);
  return text;
}

std::string describe(const Bundle& bundle) {
  return fmt::format("{} ({} on {}, started {})", bundle.label, bundle.run.config_name, bundle.system, bundle.run.started);
}

std::string value_cell(const std::optional<double>& value, const std::string& unit) {
  return value ? format_value(*value, unit) : "-";
}

std::string p_cell(const std::optional<double>& p) {
  if (!p) return "-";
  return *p < 0.001 ? "<0.001" : fmt::format("{:.3f}", *p);
}

std::string interval_cell(const MetricComparison& m) {
  if (!m.ratio_interval) return "-";
  const Interval change = change_interval(*m.ratio_interval, m.direction);
  return fmt::format("{} .. {}", format_percent(change.low), format_percent(change.high));
}

Table suite_table(const Comparison& comparison, const SuiteGroup& group) {
  std::vector<const CaseResult*> records;
  bool any_note = false;
  for (const CaseComparison* c : group.cases) {
    records.push_back(c->baseline);
    any_note = any_note || !c->status_note.empty() ||
               std::any_of(c->metrics.begin(), c->metrics.end(), [](const MetricComparison& m) { return !m.note.empty(); });
  }
  const std::vector<std::string> params = varying_params(records);
  Table table;
  table.header = params.empty() ? std::vector<std::string>{"case"} : params;
  for (const char* column : {"metric", "baseline", "candidate", "change"}) table.header.push_back(column);
  table.header.push_back(confidence_text(comparison));
  table.header.push_back("p");
  table.header.push_back("verdict");
  if (any_note) table.header.push_back("note");

  for (const CaseComparison* c : group.cases) {
    std::vector<std::string> case_cells;
    if (params.empty()) case_cells.push_back(c->baseline->name);
    for (const std::string& name : params) case_cells.push_back(format_case_param(*c->baseline, name));
    if (c->status_verdict) {
      std::vector<std::string> row = case_cells;
      row.insert(row.end(), {"status", c->baseline->status, c->candidate->status, "-", "-", "-",
                             std::string(to_string(*c->status_verdict))});
      if (any_note) row.push_back(c->status_note);
      table.rows.push_back(std::move(row));
    }
    for (const MetricComparison& m : c->metrics) {
      std::vector<std::string> row = case_cells;
      row.insert(row.end(), {m.metric, value_cell(m.baseline, m.unit), value_cell(m.candidate, m.unit),
                             m.change ? format_percent(*m.change) : "-", interval_cell(m), p_cell(m.p_value),
                             std::string(to_string(m.verdict))});
      if (any_note) row.push_back(m.note);
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

std::string unmatched_text(const Comparison& comparison) {
  const std::size_t n = comparison.baseline_only.size() + comparison.candidate_only.size();
  return n == 0 ? "" : fmt::format("; {} unmatched", n);
}

// "only in the baseline" and "only in the candidate" lists, each line built by `line`.
template <typename Line>
std::string unmatched_lines(const Comparison& comparison, Line line) {
  std::string out;
  for (const CaseResult* record : comparison.baseline_only) out += line("only in the baseline", *record);
  for (const CaseResult* record : comparison.candidate_only) out += line("only in the candidate", *record);
  return out;
}

std::string comparison_text(const Comparison& comparison) {
  std::string out = fmt::format("baseline:  {}\ncandidate: {}\n{}\n", escape_terminal(describe(*comparison.baseline)),
                                escape_terminal(describe(*comparison.candidate)), escape_terminal(settings_text(comparison)));
  for (const SuiteGroup& group : by_suite(comparison))
    out += fmt::format("\n{}\n{}", escape_terminal(group.suite), render_text(suite_table(comparison, group)));
  const std::string unmatched = unmatched_lines(comparison, [](const char* where, const CaseResult& record) {
    return fmt::format("  {}: {}\n", where, escape_terminal(record.name));
  });
  if (!unmatched.empty()) out += "\nunmatched cases:\n" + unmatched;
  if (!comparison.errors.empty()) out += "\nerrors:\n";
  for (const std::string& error : comparison.errors) out += "  " + escape_terminal(error) + "\n";
  if (auto why = comparison.nothing_compared()) out += "\ncould not compare: " + *why + "\n";
  return out + fmt::format("\n{}{}\n", comparison.tally(), unmatched_text(comparison));
}

std::string comparison_markdown(const Comparison& comparison) {
  std::string out = fmt::format("## sciperf compare: {}{}\n\n", comparison.tally(), unmatched_text(comparison));
  Table bundles{{"", "bundle", "config", "system", "started"}, {}};
  for (const auto& [role, bundle] : {std::pair("baseline", comparison.baseline), std::pair("candidate", comparison.candidate)})
    bundles.rows.push_back({role, bundle->label, bundle->run.config_name, bundle->system, bundle->run.started});
  out += render_markdown(bundles) + "\n" + escape_markdown(settings_text(comparison)) + "\n";
  if (auto why = comparison.nothing_compared()) out += "\n**Could not compare:** " + escape_markdown(*why) + "\n";
  for (const SuiteGroup& group : by_suite(comparison))
    out += fmt::format("\n### {}\n\n{}", escape_markdown(group.suite), render_markdown(suite_table(comparison, group)));
  const std::string unmatched = unmatched_lines(comparison, [](const char* where, const CaseResult& record) {
    return fmt::format("- {}: {}\n", where, escape_markdown(record.name));
  });
  if (!unmatched.empty()) out += "\n### Unmatched cases\n\n" + unmatched;
  if (!comparison.errors.empty()) out += "\n### Errors\n\n";
  for (const std::string& error : comparison.errors) out += "- " + escape_markdown(error) + "\n";
  return out;
}

json optional_number(const std::optional<double>& value) { return value ? json(*value) : json(); }

json bundle_json(const Bundle& bundle) {
  return {{"bundle", bundle.label},
          {"config", bundle.run.config_name},
          {"system", bundle.system},
          {"started", bundle.run.started}};
}

json metric_json(const CaseComparison& c, const MetricComparison& m) {
  json row = {{"case", c.baseline->name},
              {"suite", c.baseline->suite},
              {"params", c.baseline->params},
              {"metric", m.metric},
              {"unit", m.unit},
              {"direction", to_string(m.direction)},
              {"baseline", optional_number(m.baseline)},
              {"candidate", optional_number(m.candidate)},
              {"ratio", optional_number(m.ratio)},
              {"change", optional_number(m.change)},
              {"p_value", optional_number(m.p_value)},
              {"ratio_interval", json()},
              {"baseline_samples", m.baseline_samples},
              {"candidate_samples", m.candidate_samples},
              {"floor", m.floor},
              {"verdict", to_string(m.verdict)}};
  if (m.ratio_interval) row["ratio_interval"] = {m.ratio_interval->low, m.ratio_interval->high};
  if (!m.note.empty()) row["note"] = m.note;
  return row;
}

std::string comparison_json(const Comparison& comparison) {
  const CompareSettings& s = comparison.settings;
  json settings = {{"alpha", s.alpha},
                   {"noise", s.noise},
                   {"noise_floor", s.noise_floor},
                   {"confidence", 1.0 - s.alpha},
                   {"resamples", s.resamples},
                   {"all_intervals", s.all_intervals},
                   {"thresholds", json::array()},
                   {"absolute_floors", json::array()},
                   {"metrics", s.metrics},
                   {"sources", s.sources}};
  for (const Threshold& t : s.thresholds)
    settings["thresholds"].push_back({{"suite", t.suite}, {"metric", t.metric}, {"relative", t.relative}});
  for (const AbsoluteFloor& f : s.absolute_floors)
    settings["absolute_floors"].push_back({{"unit", f.unit}, {"value", f.value}});

  json metrics = json::array(), statuses = json::array();
  for (const CaseComparison& c : comparison.cases) {
    if (c.status_verdict)
      statuses.push_back({{"case", c.baseline->name},
                          {"suite", c.baseline->suite},
                          {"baseline_status", c.baseline->status},
                          {"candidate_status", c.candidate->status},
                          {"verdict", to_string(*c.status_verdict)},
                          {"note", c.status_note}});
    for (const MetricComparison& m : c.metrics) metrics.push_back(metric_json(c, m));
  }
  json summary = json::object();
  for (Verdict verdict : kVerdicts)
    summary[std::string(to_string(verdict))] = comparison.count(verdict);
  json unmatched = {{"baseline_only", json::array()}, {"candidate_only", json::array()}};
  for (const CaseResult* record : comparison.baseline_only) unmatched["baseline_only"].push_back(record->name);
  for (const CaseResult* record : comparison.candidate_only) unmatched["candidate_only"].push_back(record->name);
  const auto why = comparison.nothing_compared();
  const json document = {{"baseline", bundle_json(*comparison.baseline)},
                         {"candidate", bundle_json(*comparison.candidate)},
                         {"settings", settings},
                         {"metrics", metrics},
                         {"statuses", statuses},
                         {"unmatched", unmatched},
                         {"errors", comparison.errors},
                         {"could_not_compare", why ? json(*why) : json()},
                         {"summary", summary},
                         {"exit_code", comparison.exit_code()}};
  return document.dump(2) + "\n";
}

// How a verdict reads in JUnit: regressions fail, inconsistent bundles are errors, unknowns
// are skipped, the rest pass.
struct Outcome {
  enum Kind { pass, failure, error, skipped } kind = pass;
  std::string message;
};

Outcome outcome_of(Verdict verdict, bool error, std::string message) {
  if (error) return {Outcome::error, std::move(message)};
  if (verdict == Verdict::regression) return {Outcome::failure, std::move(message)};
  if (verdict == Verdict::unknown) return {Outcome::skipped, std::move(message)};
  return {Outcome::pass, ""};
}

std::string metric_message(const Comparison& comparison, const MetricComparison& m) {
  if (!m.change) return m.note;
  std::string text = fmt::format("{} {}: {} -> {} ({})", to_string(m.verdict), m.metric, value_cell(m.baseline, m.unit),
                                 value_cell(m.candidate, m.unit), format_percent(*m.change));
  if (m.p_value) text += *m.p_value < 0.001 ? ", p < 0.001" : fmt::format(", p = {:.3f}", *m.p_value);
  if (m.ratio_interval) text += fmt::format(", {} {}", confidence_text(comparison), interval_cell(m));
  if (!m.note.empty()) text += "; " + m.note;
  return text;
}

struct JunitSuite {
  std::string name;
  std::string body;
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;

  void add(const std::string& test, const Outcome& outcome) {
    static constexpr const char* kElements[] = {"", "failure", "error", "skipped"};
    body += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", escape_xml(name), escape_xml(test));
    if (outcome.kind == Outcome::pass) body += "/>\n";
    else
      body += fmt::format(">\n      <{} message=\"{}\"/>\n    </testcase>\n", kElements[outcome.kind],
                          escape_xml(outcome.message));
    ++tests;
    failures += outcome.kind == Outcome::failure;
    errors += outcome.kind == Outcome::error;
    skipped += outcome.kind == Outcome::skipped;
  }
};

// Why the exit code is 2, as one message; empty when it is not.
std::string could_not_compare(const Comparison& comparison) {
  std::string message;
  if (auto why = comparison.nothing_compared()) message = *why;
  for (const std::string& error : comparison.errors) message += (message.empty() ? "" : "; ") + error;
  return message;
}

}  // namespace

std::string render_comparison(const Comparison& comparison, CompareFormat format) {
  switch (format) {
    case CompareFormat::table: return comparison_text(comparison);
    case CompareFormat::markdown: return comparison_markdown(comparison);
    case CompareFormat::json: return comparison_json(comparison);
  }
  return "";
}

std::string render_junit(const Comparison& comparison) {
  std::vector<JunitSuite> suites;
  const auto suite_named = [&](const std::string& name) -> JunitSuite& {
    auto it = std::find_if(suites.begin(), suites.end(), [&](const JunitSuite& s) { return s.name == name; });
    return it == suites.end() ? suites.emplace_back(JunitSuite{name, {}}) : *it;
  };
  // CI shows why the gate failed even when no single case is to blame.
  const std::string problem = could_not_compare(comparison);
  suite_named("sciperf compare").add("bundles comparable", {problem.empty() ? Outcome::pass : Outcome::error, problem});
  for (const CaseComparison& c : comparison.cases) {
    JunitSuite& suite = suite_named(c.baseline->suite);
    if (c.status_verdict) suite.add(c.baseline->name + " [status]", outcome_of(*c.status_verdict, false, c.status_note));
    for (const MetricComparison& m : c.metrics)
      suite.add(fmt::format("{} [{}]", c.baseline->name, m.metric),
                outcome_of(m.verdict, m.error, metric_message(comparison, m)));
  }
  for (const auto& [where, records] : {std::pair("only in the baseline", &comparison.baseline_only),
                                       std::pair("only in the candidate", &comparison.candidate_only)})
    for (const CaseResult* record : *records) suite_named(record->suite).add(record->name, {Outcome::skipped, where});

  JunitSuite total;
  std::string body;
  for (const JunitSuite& suite : suites) {
    body += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n{}  </testsuite>\n",
        escape_xml(suite.name), suite.tests, suite.failures, suite.errors, suite.skipped, suite.body);
    total.tests += suite.tests;
    total.failures += suite.failures;
    total.errors += suite.errors;
    total.skipped += suite.skipped;
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<testsuites name=\"sciperf compare\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n"
                     "{}</testsuites>\n",
                     total.tests, total.failures, total.errors, total.skipped, body);
}

}  // namespace sciperf::reports
