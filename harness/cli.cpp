#include "harness/cli.h"

#include "harness/bundle.h"
#include "harness/collector.h"
#include "harness/config.h"
#include "harness/file_names.h"
#include "harness/inventory.h"
#include "harness/plan.h"
#include "harness/run_command.h"
#include "harness/suite.h"
#include "harness/sweep.h"
#include "reports/commands.h"
#include "reports/history_commands.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
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

int list_collectors(bool as_json) {
  nlohmann::json all = nlohmann::json::array();
  for (const auto& collector : make_builtin_collectors()) {
    const auto reason = collector->unavailable_reason();
    all.push_back({{"name", collector->name()}, {"available", !reason}, {"reason", reason.value_or("")},
                   {"details", collector->describe()}});
  }
  if (as_json) {
    fmt::print("{}\n", all.dump(2));
    return kExitOk;
  }
  for (const auto& c : all) {
    fmt::print("{:<10} {}\n", c["name"].get<std::string>(),
               c["available"].get<bool>() ? "available" : "unavailable: " + c["reason"].get<std::string>());
    for (const auto& [key, value] : c["details"].items())
      if (key != "control_variables") fmt::print("  {}: {}\n", key, value.dump());
      else fmt::print("  control_variables: {} recorded in the inventory\n", value.size());
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

struct PlanOptions {
  std::string config_path;
  std::string format = "slurm";
  std::string output_dir;
  std::string results_dir;
};

int write_plan(const PlanOptions& options, const SuiteRegistry& registry) {
  namespace fs = std::filesystem;
  try {
    const Config config = load_config(options.config_path, registry);
    expand_cases(config, registry);
    const fs::path dir =
        options.output_dir.empty() ? fs::path("plans") / file_safe_name(config.name) : fs::path(options.output_dir);
    const PlanPaths paths{fs::read_symlink("/proc/self/exe").string(), fs::absolute(options.config_path).string(),
                          fs::absolute(options.results_dir.empty() ? config.output_dir : options.results_dir).string()};
    const auto scripts = slurm_scripts(config, paths);
    fs::create_directories(dir);
    for (const BatchScript& script : scripts) {
      write_file_atomically(dir / script.file_name, script.text);
      fs::permissions(dir / script.file_name, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
      fmt::print("{}\n", (dir / script.file_name).string());
    }
    return kExitOk;
  } catch (const ConfigError& error) {
    fmt::print(stderr, "{}\n", error.what());
  } catch (const std::exception& error) {
    fmt::print(stderr, "error: {}\n", error.what());
  }
  return kExitUsage;
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
  run_cmd->add_option("--cluster", run.cluster, "The cluster configuration to run (e.g. n2-r8-g1-t8) when the config sweeps several");
  run_cmd->add_option("--filter", run.filter, "Only cases whose name matches this regular expression");
  auto* output = run_cmd->add_option("-o,--output", run.output_dir,
                                     "Output directory (default: <config output>/<name>-<UTC time>)");
  std::string resume_dir;
  run_cmd->add_option("--resume", resume_dir, "Continue the interrupted run in this directory, skipping finished cases")
      ->excludes(output);
  run_cmd->add_flag("--dry-run", run.dry_run, "Print the cases and the launch command, run nothing");
  run_cmd->add_option("--progress", run.progress, "auto, bar, plain or none")->capture_default_str();

  PlanOptions plan;
  auto* plan_cmd = app.add_subcommand("plan", "Write batch scripts for every cluster configuration of a config");
  plan_cmd->add_option("-c,--config", plan.config_path, "Config file")->required();
  plan_cmd->add_option("--emit", plan.format, "Script kind")->check(CLI::IsMember({"slurm"}))->capture_default_str();
  plan_cmd->add_option("-o,--output", plan.output_dir, "Directory for the scripts (default: plans/<config name>)");
  plan_cmd->add_option("--results", plan.results_dir, "Where the jobs write their bundles (default: <config output>)");

  auto* list_cmd = app.add_subcommand("list", "List suites, their parameters, defaults and units");
  bool collectors_json = false;
  auto* collectors_cmd = app.add_subcommand("collectors", "List the counter collectors, and why any is unavailable here");
  collectors_cmd->add_flag("--json", collectors_json, "As JSON");
  bool as_json = false;
  auto* sysinfo_cmd = app.add_subcommand("sysinfo", "Print this machine's inventory");
  sysinfo_cmd->add_flag("--json", as_json, "As JSON");
  std::string validate_path;
  auto* validate_cmd = app.add_subcommand("validate", "Check a config without running it");
  validate_cmd->add_option("config", validate_path, "Config file")->required();
  const reports::ReportCommands report_commands(app);  // compare, report
  const reports::HistoryCommands history_commands(app);

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
  if (*plan_cmd) return write_plan(plan, registry);
  if (*list_cmd) return list_suites(registry);
  if (*collectors_cmd) return list_collectors(collectors_json);
  if (*sysinfo_cmd) return show_sysinfo(as_json);
  if (*validate_cmd) return validate(validate_path, registry);
  if (auto code = report_commands.run()) return *code;
  if (auto code = history_commands.run()) return *code;
  return kExitUsage;
}

}  // namespace sciperf
