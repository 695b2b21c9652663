#include "reports/commands.h"

#include "reports/bundle_reader.h"
#include "reports/compare_render.h"
#include "reports/history_commands.h"
#include "reports/history_query.h"
#include "reports/html.h"
#include "reports/render.h"
#include "reports/scorecard.h"
#include "reports/scorecard_render.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>

namespace sciperf::reports {
namespace {

// "5%" → 0.05; `option` names what was given in the error, e.g. "--noise 5".
double parse_percent(std::string_view text, std::string_view option) {
  const auto value = parse_percentage(text);
  if (!value) throw std::invalid_argument(fmt::format("{}: expected a percentage such as 5%", option));
  return *value;
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

AbsoluteFloor parse_floor_option(std::string_view text) {
  const auto floor = parse_absolute_floor(text);
  if (!floor)
    throw std::invalid_argument(fmt::format(
        "--noise-abs {}: expected a value with the unit of the metrics it is for, such as 50ns or 0.1GB/s", text));
  return *floor;
}

// Freeing two 100,000-case bundles takes longer than comparing them (millions of small
// allocations); the command's answer need not wait for it. What is still being freed when
// the process ends is simply returned to the system with it.
template <typename... Values>
void free_in_background(Values&&... values) {
  std::thread([](std::decay_t<Values>...) {}, std::move(values)...).detach();
}

void print_all(std::string_view command, const std::vector<std::string>& lines, std::string_view prefix) {
  for (const std::string& line : lines) fmt::print(stderr, "sciperf {}: {}{}\n", command, prefix, line);
}

CompareFormat compare_format(const std::string& name) {
  if (name == "markdown") return CompareFormat::markdown;
  if (name == "json") return CompareFormat::json;
  return CompareFormat::table;
}

ScorecardFormat scorecard_format(const std::string& name) {
  if (name == "markdown") return ScorecardFormat::markdown;
  if (name == "json") return ScorecardFormat::json;
  return ScorecardFormat::table;
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

CompareSettings compare_settings(const CompareOptions& options, const std::optional<CompareConfig>& config) {
  CompareSettings settings;
  if (config) apply_compare_config(*config, settings);
  // The command line over the config: the same thing said in both, the command line's wins.
  CompareConfig given;
  given.alpha = options.alpha;
  if (options.alpha && !(*options.alpha > 0 && *options.alpha < 1))
    throw std::invalid_argument(fmt::format("--alpha {}: expected a probability between 0 and 1", *options.alpha));
  if (options.noise) given.threshold = parse_percent(*options.noise, fmt::format("--noise {}", *options.noise));
  if (options.noise_floor)
    given.noise_floor = parse_percent(*options.noise_floor, fmt::format("--noise-floor {}", *options.noise_floor));
  for (const std::string& floor : options.noise_abs) given.absolute_floors.push_back(parse_floor_option(floor));
  for (const std::string& threshold : options.thresholds) given.thresholds.push_back(parse_threshold(threshold));
  apply_compare_config(given, settings);
  settings.metrics = options.metrics;
  settings.all_intervals = options.all_intervals;
  return settings;
}

// The config the thresholds come from: --thresholds FILE, else the baseline bundle's compare section.
std::optional<CompareConfig> compare_config(const CompareOptions& options, const Bundle& baseline) {
  if (!options.thresholds_file.empty()) return load_compare_config(options.thresholds_file);
  return bundle_compare_config(baseline);
}

// False, with the problem printed, when an option or the --thresholds file is malformed:
// found before the bundles are read.
bool usable(const CompareOptions& options) {
  try {
    compare_settings(options);
    if (!options.thresholds_file.empty()) load_compare_config(options.thresholds_file);
    return true;
  } catch (const std::exception& error) {  // std::invalid_argument, CompareConfigError
    fmt::print(stderr, "sciperf compare: {}\n", error.what());
    return false;
  }
}

int compare_command(const CompareOptions& options) {
  if (!usable(options)) return kExitCouldNotCompare;
  LoadedBundles loaded = load_sides({options.baseline, options.candidate}, options.history_db);
  print_all("compare", loaded.warnings, "warning: ");
  if (!loaded.errors.empty()) {
    print_all("compare", loaded.errors, "could not compare: ");
    return kExitCouldNotCompare;
  }
  CompareSettings settings;
  try {
    settings = compare_settings(options, compare_config(options, loaded.bundles[0]));
  } catch (const CompareConfigError& error) {
    fmt::print(stderr, "sciperf compare: could not compare: {}\n", error.what());
    return kExitCouldNotCompare;
  }
  Comparison comparison = compare_bundles(loaded.bundles[0], loaded.bundles[1], settings);
  if (!write_output(options.output_file, render_comparison(comparison, compare_format(options.format)), "compare") ||
      (!options.junit_file.empty() && !write_output(options.junit_file, render_junit(comparison), "compare")))
    return kExitCouldNotCompare;
  if (auto why = comparison.nothing_compared()) fmt::print(stderr, "sciperf compare: could not compare: {}\n", *why);
  print_all("compare", comparison.errors, "could not compare: ");
  const int exit_code = comparison.exit_code();
  free_in_background(std::move(comparison), std::move(loaded));
  return exit_code;
}

// "lab-b=250000" → {"lab-b", 250000}.
std::pair<std::string, double> parse_price(std::string_view text) {
  const auto equals = text.rfind('=');
  double amount = 0;
  const std::string_view number = equals == std::string_view::npos ? std::string_view() : text.substr(equals + 1);
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), amount);
  if (equals == 0 || equals == std::string_view::npos || error != std::errc() || end != number.data() + number.size() ||
      !(amount > 0) || !std::isfinite(amount))
    throw std::invalid_argument(fmt::format("--price {}: expected SYSTEM=AMOUNT with a positive amount", text));
  return {std::string(text.substr(0, equals)), amount};
}

int scorecard_command(const ReportOptions& options) {
  if (options.format == "csv") {
    fmt::print(stderr, "sciperf report: --scorecard: no csv layout; use table, markdown, json or html\n");
    return kExitReportIncomplete;
  }
  ScorecardSettings settings;
  try {
    for (const std::string& price : options.prices) settings.prices.insert(parse_price(price));
  } catch (const std::invalid_argument& error) {
    fmt::print(stderr, "sciperf report: {}\n", error.what());
    return kExitReportIncomplete;
  }
  std::vector<std::string> paths{options.scorecard};
  paths.insert(paths.end(), options.bundles.begin(), options.bundles.end());
  const LoadedBundles loaded = load_bundles(paths);
  print_all("report", loaded.warnings, "warning: ");
  print_all("report", loaded.errors, "");
  if (loaded.bundles.empty() || loaded.bundles.front().label != options.scorecard || loaded.bundles.size() < 2) {
    fmt::print(stderr, "sciperf report: --scorecard: needs the reference and at least one other bundle\n");
    return kExitReportIncomplete;
  }
  const Scorecard scorecard = build_scorecard(loaded.bundles.front(), std::span(loaded.bundles).subspan(1), settings);
  const std::string text = options.format == "html" ? render_html(loaded.bundles, scorecard_html(scorecard))
                                                    : render_scorecard(scorecard, scorecard_format(options.format));
  if (!write_output(options.output_file, text, "report")) return kExitReportIncomplete;
  return loaded.errors.empty() ? 0 : kExitReportIncomplete;
}

int report_command(const ReportOptions& options) {
  if (!options.scorecard.empty()) return scorecard_command(options);
  LoadedBundles loaded = load_bundles(options.bundles);
  print_all("report", loaded.warnings, "warning: ");
  print_all("report", loaded.errors, "");
  if (loaded.bundles.empty()) return kExitReportIncomplete;
  if (!write_output(options.output_file, render_report(loaded.bundles, report_format(options.format)), "report"))
    return kExitReportIncomplete;
  const int exit_code = loaded.errors.empty() ? 0 : kExitReportIncomplete;
  free_in_background(std::move(loaded));
  return exit_code;
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
  compare_->add_option("--alpha", compare_options_.alpha, "Significance level (default 0.05)");
  compare_->add_option("--noise", compare_options_.noise,
                       "Relative changes up to this are noise, for every metric without a --threshold (default 5%)");
  compare_->add_option("--noise-floor", compare_options_.noise_floor,
                       "Relative changes up to this are noise whatever a threshold says (default 0%)");
  compare_->add_option("--noise-abs", compare_options_.noise_abs,
                       "Changes up to this are noise for the metrics in its unit, e.g. 50ns, 0.1GB/s (repeatable)")
      ->allow_extra_args(false);
  compare_->add_option("--threshold", compare_options_.thresholds,
                       "SUITE.METRIC=P%, SUITE=P% or *.METRIC=P%: the threshold there instead (repeatable)")
      ->allow_extra_args(false);
  compare_->add_option("--thresholds", compare_options_.thresholds_file,
                       "YAML file with a compare: section (or its keys alone) to use instead of the baseline bundle's");
  compare_->add_flag("--all-intervals", compare_options_.all_intervals,
                     "A bootstrap interval for every metric, not only where the verdict depends on it (slower)");
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
  report_->add_option("--scorecard", report_options_.scorecard,
                      "Reference bundle: score the bundles against it (as measured, per node, per GPU, per watt, "
                      "per unit cost; table, markdown, json, or a section of the html report)");
  report_->add_option("--price", report_options_.prices, "SYSTEM=AMOUNT: a system's price, for per unit cost (repeatable)")
      ->allow_extra_args(false);
}

std::optional<int> ReportCommands::run() const {
  if (*compare_) return compare_command(compare_options_);
  if (*report_) return report_command(report_options_);
  return std::nullopt;
}

}  // namespace sciperf::reports
