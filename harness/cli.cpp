#include "harness/cli.h"

#include "harness/config.h"
#include "harness/inventory.h"
#include "harness/run_command.h"
#include "harness/suite.h"
#include "harness/sweep.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

namespace sciperf {
namespace {

std::string describe_default(const ParamSpec& spec) { return format_param(spec.kind, spec.default_value); }

int list_suites(const SuiteRegistry& registry) {
  for (const Suite* suite : registry.all()) {
    fmt::print("{}: {}\n", suite->name(), suite->description());
    for (const ParamSpec& spec : suite->params()) {
      std::string detail = fmt::format("{}, default {}", to_string(spec.kind), describe_default(spec));
      if (!unit_of(spec.kind).empty()) detail += fmt::format(", unit {}", unit_of(spec.kind));
      if (!spec.choices.empty()) detail += fmt::format(", one of: {}", fmt::join(spec.choices, " "));
      fmt::print("  {:<14} {} ({})\n", spec.name, spec.help, detail);
    }
    fmt::print("  metrics shown first: {}\n\n", fmt::join(suite->headline_metrics(), ", "));
  }
  return kExitOk;
}

int show_sysinfo(bool as_json) {
  const nlohmann::json inventory{{"host", collect_host_inventory()}, {"build", collect_build_inventory()}};
  if (as_json) fmt::print("{}\n", inventory.dump(2));
  else fmt::print("{}", render_inventory_text(inventory));
  return kExitOk;
}

int validate(const std::string& path, const SuiteRegistry& registry) {
  try {
    const Config config = load_config(path, registry);
    const auto cases = expand_cases(config, registry);
    std::map<std::string, std::size_t> per_suite;
    for (const CaseSpec& spec : cases) ++per_suite[std::string(spec.suite->name())];
    std::vector<std::string> counts;
    for (const auto& [suite, count] : per_suite) counts.push_back(fmt::format("{} {}", count, suite));
    fmt::print("{}: valid; {} cases ({}) on {} rank{}\n", path, cases.size(), fmt::join(counts, ", "),
               config.system.ranks(), config.system.ranks() == 1 ? "" : "s");
    return kExitOk;
  } catch (const ConfigError& error) {
    fmt::print(stderr, "{}\n", error.what());
    return kExitUsage;
  }
}

}  // namespace

int run_cli(int argc, char** argv, const SuiteRegistry& registry, std::vector<std::string> benchmark_args) {
  CLI::App app{"sciperf: benchmarks for AI-for-Science compute platforms"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(SCIPERF_VERSION));

  RunOptions run;
  run.benchmark_args = std::move(benchmark_args);
  std::string suite;
  auto* run_cmd = app.add_subcommand("run", "Run the cases of a config (launches the ranks it asks for)");
  run_cmd->add_option("-c,--config", run.config_path, "Config file (default: configs/local.yaml)");
  run_cmd->add_option("--suite", suite, "Only this suite's cases");
  run_cmd->add_option("--filter", run.filter, "Only cases whose name matches this regular expression");
  auto* output = run_cmd->add_option("-o,--output", run.output_dir,
                                     "Output directory (default: <config output>/<name>-<UTC time>)");
  std::string resume_dir;
  run_cmd->add_option("--resume", resume_dir, "Continue the interrupted run in this directory, skipping finished cases")
      ->excludes(output);
  run_cmd->add_flag("--dry-run", run.dry_run, "Print the cases and the launch command, run nothing");
  run_cmd->add_option("--progress", run.progress, "auto, bar, plain or none")->capture_default_str();

  auto* list_cmd = app.add_subcommand("list", "List suites, their parameters, defaults and units");
  bool as_json = false;
  auto* sysinfo_cmd = app.add_subcommand("sysinfo", "Print this machine's inventory");
  sysinfo_cmd->add_flag("--json", as_json, "As JSON");
  std::string validate_path;
  auto* validate_cmd = app.add_subcommand("validate", "Check a config without running it");
  validate_cmd->add_option("config", validate_path, "Config file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  if (*run_cmd) {
    if (!suite.empty()) run.suite = suite;
    if (!resume_dir.empty()) {
      run.resume = true;
      run.output_dir = resume_dir;
    }
    return run_command(run, registry);
  }
  if (*list_cmd) return list_suites(registry);
  if (*sysinfo_cmd) return show_sysinfo(as_json);
  if (*validate_cmd) return validate(validate_path, registry);
  return kExitUsage;
}

}  // namespace sciperf
