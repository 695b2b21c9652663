#include "reports/commands.h"

#include "reports/bundle_reader.h"
#include "reports/compare_render.h"
#include "reports/history_commands.h"
#include "reports/history_query.h"
#include "reports/render.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <utility>

namespace sciperf::reports {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// "12.5 GB/s" → 12.5 and "GB/s"; nullopt when it does not start with a number.
std::optional<std::pair<double, std::string_view>> split_number(std::string_view text) {
  text = trim(text);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data() || !std::isfinite(value)) return std::nullopt;
  return std::pair(value, trim(text.substr(static_cast<std::size_t>(end - text.data()))));
}

// "5%" → 0.05. A percent sign is required: "5" could mean 5% or 500%. `option` names what
// was given in the error, e.g. "--noise 5".
double parse_percent(std::string_view text, std::string_view option) {
  const auto number = split_number(text);
  if (!number || number->second != "%" || number->first < 0)
    throw std::invalid_argument(fmt::format("{}: expected a percentage such as 5%", option));
  return number->first / 100.0;
}

Threshold parse_threshold(std::string_view text) {
  const auto equals = text.rfind('=');
  if (equals == std::string_view::npos)
    throw std::invalid_argument(fmt::format("--threshold {}: expected SUITE.METRIC=P% or SUITE=P%", text));
  const std::string_view key = text.substr(0, equals);
  const auto dot = key.find('.');
  Threshold threshold{std::string(key.substr(0, dot)), dot == std::string_view::npos ? "*" : std::string(key.substr(dot + 1)),
                      parse_percent(text.substr(equals + 1), fmt::format("--threshold {}", text))};
  if (threshold.suite.empty() || threshold.metric.empty())
    throw std::invalid_argument(fmt::format("--threshold {}: expected SUITE.METRIC=P% or SUITE=P% (* for any)", text));
  return threshold;
}

// Time floors may be written in any time unit; metrics keep seconds.
AbsoluteFloor parse_absolute_floor(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, double>, 4> kTimeUnits{
      {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0}}};
  const auto number = split_number(text);
  if (!number || number->second.empty() || number->first < 0)
    throw std::invalid_argument(fmt::format(
        "--noise-abs {}: expected a value with the unit of the metrics it is for, such as 50ns or 0.1GB/s", text));
  for (const auto& [unit, scale] : kTimeUnits)
    if (number->second == unit) return {"s", number->first * scale};
  return {std::string(number->second), number->first};
}

void print_all(std::string_view command, const std::vector<std::string>& lines, std::string_view prefix) {
  for (const std::string& line : lines) fmt::print(stderr, "sciperf {}: {}{}\n", command, prefix, line);
}

CompareFormat compare_format(const std::string& name) {
  if (name == "markdown") return CompareFormat::markdown;
  if (name == "json") return CompareFormat::json;
  return CompareFormat::table;
}

ReportFormat report_format(const std::string& name) {
  if (name == "markdown") return ReportFormat::markdown;
  if (name == "csv") return ReportFormat::csv;
  if (name == "json") return ReportFormat::json;
  if (name == "html") return ReportFormat::html;
  return ReportFormat::table;
}

}  // namespace

bool write_output(const std::string& path, const std::string& text, std::string_view command) {
  if (path.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (out.flush()) return true;
  fmt::print(stderr, "sciperf {}: {}: cannot write: {}\n", command, path, std::strerror(errno));
  return false;
}

CompareSettings compare_settings(const CompareOptions& options) {
  CompareSettings settings;
  settings.metrics = options.metrics;
  if (!(options.alpha > 0 && options.alpha < 1))
    throw std::invalid_argument(fmt::format("--alpha {}: expected a probability between 0 and 1", options.alpha));
  settings.alpha = options.alpha;
  settings.noise = parse_percent(options.noise, fmt::format("--noise {}", options.noise));
  for (const std::string& floor : options.noise_abs) settings.absolute_floors.push_back(parse_absolute_floor(floor));
  for (const std::string& threshold : options.thresholds) settings.thresholds.push_back(parse_threshold(threshold));
  return settings;
}

int compare_command(const CompareOptions& options) {
  CompareSettings settings;
  try {
    settings = compare_settings(options);
  } catch (const std::invalid_argument& error) {
    fmt::print(stderr, "sciperf compare: {}\n", error.what());
    return kExitCouldNotCompare;
  }
  const LoadedBundles loaded = load_sides({options.baseline, options.candidate}, options.history_db);
  print_all("compare", loaded.warnings, "warning: ");
  if (!loaded.errors.empty()) {
    print_all("compare", loaded.errors, "could not compare: ");
    return kExitCouldNotCompare;
  }
  const Comparison comparison = compare_bundles(loaded.bundles[0], loaded.bundles[1], settings);
  if (!write_output(options.output_file, render_comparison(comparison, compare_format(options.format)), "compare") ||
      (!options.junit_file.empty() && !write_output(options.junit_file, render_junit(comparison), "compare")))
    return kExitCouldNotCompare;
  if (auto why = comparison.nothing_compared()) fmt::print(stderr, "sciperf compare: could not compare: {}\n", *why);
  print_all("compare", comparison.errors, "could not compare: ");
  return comparison.exit_code();
}

int report_command(const ReportOptions& options) {
  const LoadedBundles loaded = load_bundles(options.bundles);
  print_all("report", loaded.warnings, "warning: ");
  print_all("report", loaded.errors, "");
  if (loaded.bundles.empty()) return kExitReportIncomplete;
  if (!write_output(options.output_file, render_report(loaded.bundles, report_format(options.format)), "report"))
    return kExitReportIncomplete;
  return loaded.errors.empty() ? 0 : kExitReportIncomplete;
}

ReportCommands::ReportCommands(CLI::App& app) {
  compare_ = app.add_subcommand("compare", "Compare a candidate bundle with a baseline, metric by metric");
  compare_->add_option("baseline", compare_options_.baseline,
                       "Baseline bundle (directory or results.json), or history:KEY=VALUE,... (see README)")
      ->required();
  compare_->add_option("candidate", compare_options_.candidate, "Candidate bundle, or a history query")->required();
  add_history_db_option(*compare_, "--history-db", compare_options_.history_db);
  compare_->add_option("--metric", compare_options_.metrics, "Compare this metric (repeatable; default: headline metrics)")
      ->allow_extra_args(false);
  compare_->add_option("--alpha", compare_options_.alpha, "Significance level")->capture_default_str();
  compare_->add_option("--noise", compare_options_.noise, "Relative changes up to this are noise")->capture_default_str();
  compare_->add_option("--noise-abs", compare_options_.noise_abs,
                       "Changes up to this are noise for the metrics in its unit, e.g. 50ns, 0.1GB/s (repeatable)")
      ->allow_extra_args(false);
  compare_->add_option("--threshold", compare_options_.thresholds,
                       "SUITE.METRIC=P%, SUITE=P% or *.METRIC=P%: a larger floor there (repeatable)")
      ->allow_extra_args(false);
  compare_->add_option("--format", compare_options_.format, "table, markdown or json")
      ->check(CLI::IsMember({"table", "markdown", "json"}))
      ->capture_default_str();
  compare_->add_option("--junit", compare_options_.junit_file, "Also write JUnit XML to this file");
  compare_->add_option("-o,--output", compare_options_.output_file, "Write to this file instead of standard output");

  report_ = app.add_subcommand("report", "Render one or more bundles as a table, Markdown, CSV, JSON or an HTML page");
  report_->add_option("bundles", report_options_.bundles, "Bundles (directories or results.json files)")->required();
  report_->add_option("--format", report_options_.format, "table, markdown, csv, json or html (one self-contained page with charts)")
      ->check(CLI::IsMember({"table", "markdown", "csv", "json", "html"}))
      ->capture_default_str();
  report_->add_option("-o,--output", report_options_.output_file, "Write to this file instead of standard output");
}

std::optional<int> ReportCommands::run() const {
  if (*compare_) return compare_command(compare_options_);
  if (*report_) return report_command(report_options_);
  return std::nullopt;
}

}  // namespace sciperf::reports
