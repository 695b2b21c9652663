#include "reports/scorecard_render.h"

#include "reports/escape.h"
#include "reports/html.h"
#include "reports/table.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <string>

namespace sciperf::reports {
namespace {

using nlohmann::json;

std::string run_name(const Scorecard& scorecard, std::size_t i) {
  return fmt::format("[{}] {}", i + 1, scorecard.systems[i].bundle->system);
}

std::string score_cell(const Score* score) {
  if (score == nullptr) return "-";
  if (!score->interval) return fmt::format("{:.3g}", score->value);
  return fmt::format("{:.3g} [{:.3g}, {:.3g}]", score->value, score->interval->low, score->interval->high);
}

const Score* find_score(const SystemScore& system, Basis basis, const std::string* suite) {
  if (suite == nullptr) {
    const auto it = system.overall.find(basis);
    return it == system.overall.end() ? nullptr : &it->second;
  }
  const auto scores = system.suites.find(basis);
  if (scores == system.suites.end()) return nullptr;
  const auto it = scores->second.find(*suite);
  return it == scores->second.end() ? nullptr : &it->second;
}

Table scores_table(const Scorecard& scorecard) {
  Table table;
  table.header = {"run", "basis", "overall"};
  table.header.insert(table.header.end(), scorecard.suites.begin(), scorecard.suites.end());
  for (std::size_t i = 0; i < scorecard.systems.size(); ++i)
    for (Basis basis : kBases) {
      const SystemScore& system = scorecard.systems[i];
      std::vector<std::string> row{run_name(scorecard, i), std::string(to_string(basis)), score_cell(find_score(system, basis, nullptr))};
      for (const std::string& suite : scorecard.suites) row.push_back(score_cell(find_score(system, basis, &suite)));
      table.rows.push_back(std::move(row));
    }
  return table;
}

// The lines above the table: the reference, the runs, what the numbers are.
std::vector<std::string> preamble(const Scorecard& scorecard) {
  const Bundle& reference = *scorecard.reference;
  std::vector<std::string> lines{fmt::format("reference: {} ({}, {} cases)", reference.label, reference.system, reference.cases.size())};
  for (std::size_t i = 0; i < scorecard.systems.size(); ++i) {
    const SystemScore& system = scorecard.systems[i];
    lines.push_back(fmt::format("{}: {}, {} cases ok in both", run_name(scorecard, i), system.bundle->label, system.matched_cases));
  }
  lines.push_back(fmt::format(
      "scores: geometric mean of each headline figure over the reference's (above 1 is better, whatever the metric's "
      "direction); overall: geometric mean of the suites'; [{:g}% interval from {} bootstrap resamples of the repetitions]",
      scorecard.settings.confidence * 100.0, scorecard.settings.resamples));
  return lines;
}

std::vector<std::string> notes(const Scorecard& scorecard) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < scorecard.systems.size(); ++i)
    for (const std::string& note : scorecard.systems[i].notes) lines.push_back(fmt::format("{}: {}", run_name(scorecard, i), note));
  return lines;
}

std::string scorecard_text(const Scorecard& scorecard, bool markdown) {
  const auto escape = [&](const std::string& line) { return markdown ? escape_markdown(line) : escape_terminal(line); };
  std::string out = markdown ? "## sciperf scorecard\n\n" : "";
  for (const std::string& line : preamble(scorecard)) out += (markdown ? "- " : "") + escape(line) + "\n";
  const Table table = scores_table(scorecard);
  out += "\n" + (markdown ? render_markdown(table) : render_text(table));
  const auto lines = notes(scorecard);
  if (!lines.empty()) out += markdown ? "\n### Notes\n\n" : "\nnotes:\n";
  for (const std::string& line : lines) out += (markdown ? "- " : "  ") + escape(line) + "\n";
  return out;
}

// Twelve significant digits, more than any measurement has: the last bits of log and exp
// may differ between C libraries, and the output should not.
double rounded(double value) { return std::stod(fmt::format("{:.12g}", value)); }

json score_json(const Score* score) {
  if (score == nullptr) return nullptr;
  json out = {{"value", rounded(score->value)}, {"interval", nullptr}, {"figures", score->figures}};
  if (score->interval) out["interval"] = {rounded(score->interval->low), rounded(score->interval->high)};
  return out;
}

std::string scorecard_json(const Scorecard& scorecard) {
  json systems = json::array();
  for (const SystemScore& system : scorecard.systems) {
    json scores = json::object();
    for (Basis basis : kBases) {
      json suites = json::object();
      for (const std::string& suite : scorecard.suites) suites[suite] = score_json(find_score(system, basis, &suite));
      scores[std::string(json_key(basis))] = {{"overall", score_json(find_score(system, basis, nullptr))}, {"suites", suites}};
    }
    systems.push_back({{"bundle", system.bundle->label},
                       {"system", system.bundle->system},
                       {"matched_cases", system.matched_cases},
                       {"scores", scores},
                       {"notes", system.notes}});
  }
  const Bundle& reference = *scorecard.reference;
  const json document = {
      {"reference", {{"bundle", reference.label}, {"system", reference.system}, {"cases", reference.cases.size()}}},
      {"settings",
       {{"confidence", scorecard.settings.confidence}, {"resamples", scorecard.settings.resamples}, {"prices", scorecard.settings.prices}}},
      {"suites", scorecard.suites},
      {"systems", systems}};
  return document.dump(2) + "\n";
}

}  // namespace

std::string render_scorecard(const Scorecard& scorecard, ScorecardFormat format) {
  switch (format) {
    case ScorecardFormat::table: return scorecard_text(scorecard, false);
    case ScorecardFormat::markdown: return scorecard_text(scorecard, true);
    case ScorecardFormat::json: return scorecard_json(scorecard);
  }
  return "";
}

std::string scorecard_html(const Scorecard& scorecard) {
  std::string out = "<section id=\"scorecard\">\n<h2>Scorecard</h2>\n<ul>";
  for (const std::string& line : preamble(scorecard)) out += "<li>" + escape_xml(line) + "</li>";
  out += "</ul>\n" + html_table(scores_table(scorecard));
  const auto lines = notes(scorecard);
  if (!lines.empty()) out += "<ul class=\"notes\">";
  for (const std::string& line : lines) out += "<li>" + escape_xml(line) + "</li>";
  if (!lines.empty()) out += "</ul>\n";
  return out + "</section>\n";
}

}  // namespace sciperf::reports
