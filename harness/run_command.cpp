#include "harness/run_command.h"

#include "harness/bundle.h"
#include "harness/config.h"
#include "harness/inventory.h"
#include "harness/launcher.h"
#include "harness/rank_sync.h"
#include "harness/runner.h"
#include "harness/suite.h"
#include "harness/summary.h"
#include "harness/sweep.h"

#include <fmt/format.h>
#include <mpi.h>

#include <ctime>
#include <fstream>
#include <set>
#include <system_error>

#include <unistd.h>

namespace sciperf {
namespace {

namespace fs = std::filesystem;

fs::path self_executable() {
  std::error_code error;
  fs::path path = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path("sciperf") : path;
}

std::string default_output_dir(const Config& config) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
  const std::string name = config.name.empty() ? fs::path(config.source).stem().string() : config.name;
  return (fs::path(config.output_dir) / fmt::format("{}-{}", name, stamp)).string();
}

// Creates the output directory; returns why it cannot hold a new bundle, if it cannot.
std::optional<std::string> prepare_output_dir(const fs::path& dir) {
  std::error_code error;
  if (fs::exists(dir / "results.json", error))
    return fmt::format("{}: already holds a result bundle (results.json); choose another -o", dir.string());
  fs::create_directories(dir / ".ranks", error);
  if (error) return fmt::format("{}: cannot create the output directory: {}", dir.string(), error.message());
  const fs::path probe = dir / ".write-test";
  if (!std::ofstream(probe).put('\n')) return fmt::format("{}: the output directory is not writable", dir.string());
  fs::remove(probe, error);
  return std::nullopt;
}

struct Selection {
  Config config;
  std::vector<CaseSpec> cases;
};

// Loads, validates, expands and selects; prints the problem and returns nullopt on bad input.
std::optional<Selection> select(const RunOptions& options, const SuiteRegistry& registry, bool speak) {
  try {
    Selection selection{load_config(options.config_path, registry), {}};
    auto all = expand_cases(selection.config, registry);
    if (options.suite && !registry.find(*options.suite)) {
      if (speak) fmt::print(stderr, "error: --suite '{}' is not a suite (see `sciperf list`)\n", *options.suite);
      return std::nullopt;
    }
    selection.cases = select_cases(all, options.filter, options.suite);
    if (selection.cases.empty()) {
      if (speak)
        fmt::print(stderr, "error: no case matches{}{} ({} cases in {})\n",
                   options.suite ? fmt::format(" --suite '{}'", *options.suite) : "",
                   options.filter.empty() ? "" : fmt::format(" --filter '{}'", options.filter), all.size(),
                   options.config_path);
      return std::nullopt;
    }
    return selection;
  } catch (const ConfigError& error) {
    if (speak) fmt::print(stderr, "error: invalid config\n{}\n", error.what());
  } catch (const std::invalid_argument& error) {
    if (speak) fmt::print(stderr, "error: {}\n", error.what());
  }
  return std::nullopt;
}

std::vector<std::string> rank_command(const RunOptions& options, const fs::path& output_dir, const std::string& progress) {
  std::vector<std::string> command{self_executable().string(), "run", "-c", fs::absolute(options.config_path).string(),
                                   "-o", fs::absolute(output_dir).string(), "--progress", progress};
  if (options.suite) command.insert(command.end(), {"--suite", *options.suite});
  if (!options.filter.empty()) command.insert(command.end(), {"--filter", options.filter});
  command.insert(command.end(), options.benchmark_args.begin(), options.benchmark_args.end());
  return command;
}

int dry_run(const Selection& selection, const LaunchPlan& plan) {
  const SystemConfig& system = selection.config.system;
  // Skip reasons depend only on parameters and the cluster shape, not on MPI.
  const CaseContext context{MPI_COMM_NULL, 0, system.ranks(), system.ranks_per_node, system.threads_per_rank,
                           system.devices_per_rank};
  fmt::print("{} cases from {}:\n", selection.cases.size(), selection.config.source);
  for (const CaseSpec& spec : selection.cases) {
    auto skip = spec.suite->skip_reason(spec.params, context);
    fmt::print("  {}{}\n", spec.name, skip ? fmt::format("  (skipped: {})", *skip) : "");
  }
  fmt::print("launch ({} rank{} on {} node{}):\n  {}\n", system.ranks(), system.ranks() == 1 ? "" : "s", system.nodes,
             system.nodes == 1 ? "" : "s", render_command(plan));
  return kExitOk;
}

// Records in the bundle how an aborted run ended; completed cases stay as they are.
void record_abort(const fs::path& output_dir, const Selection& selection, const std::string& reason) {
  const fs::path file = output_dir / "results.json";
  if (!fs::exists(file)) return;
  ResultBundle bundle = ResultBundle::open(output_dir);
  const std::string interrupted = interrupted_case(output_dir, selection.config.system.ranks());
  std::set<std::string> recorded;
  for (const auto& record : bundle.document()["sciperf"]["cases"]) recorded.insert(record.value("name", ""));
  for (const CaseSpec& spec : selection.cases)
    if (spec.name == interrupted && !recorded.count(spec.name))
      bundle.add_case({{"name", spec.name},
                       {"suite", spec.suite->name()},
                       {"params", spec.params.to_json()},
                       {"status", "failed"},
                       {"reason", reason},
                       {"headline", spec.suite->headline_metrics()}},
                      nullptr);
  bundle.finish("failed", reason);
  bundle.write();
}

int launch(const RunOptions& options, const Selection& selection, const fs::path& output_dir, const LaunchPlan& plan) {
  fmt::print(stderr, "sciperf: launching {} ranks: {}\n", selection.config.system.ranks(), render_command(plan));
  const LaunchOutcome outcome = execute(plan);
  if (outcome.exit_code == kExitOk) return kExitOk;
  const fs::path file = output_dir / "results.json";
  if (outcome.exit_code == kExitCaseFailed && fs::exists(file) &&
      ResultBundle::open(output_dir).document()["sciperf"]["run"].value("status", "") == "complete")
    return kExitCaseFailed;
  const std::string reason = explain_failure(outcome, output_dir, selection.config.system.ranks());
  try {
    record_abort(output_dir, selection, reason);
  } catch (const std::exception& error) {
    fmt::print(stderr, "sciperf: could not record the failure in the bundle: {}\n", error.what());
  }
  fmt::print(stderr, "error: the run was aborted: {}\n", reason);
  if (fs::exists(file)) fmt::print(stderr, "completed cases are in {}\n", file.string());
  (void)options;
  return kExitRunAborted;
}

nlohmann::json gather_inventory(MPI_Comm comm, nlohmann::json& cluster) {
  const nlohmann::json host = collect_host_inventory();
  const auto hosts = gather_to_root(host.dump(), comm);
  nlohmann::json nodes = nlohmann::json::array();
  nlohmann::json rank_hosts = nlohmann::json::array();
  std::set<std::string> seen;
  for (const std::string& text : hosts) {
    nlohmann::json node = nlohmann::json::parse(text);
    const std::string name = node.value("hostname", "?");
    rank_hosts.push_back(name);
    if (seen.insert(name).second) nodes.push_back(std::move(node));
  }
  cluster["hosts"] = rank_hosts;
  cluster["node_count"] = seen.size();
  return {{"nodes", nodes}, {"build", collect_build_inventory()}};
}

class MpiSession {
 public:
  MpiSession() {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  }
  ~MpiSession() { MPI_Finalize(); }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

int run_as_rank(const RunOptions& options, const SuiteRegistry& registry) {
  MpiSession session;
  MPI_Comm comm = MPI_COMM_WORLD;
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  auto selection = select(options, registry, rank == 0);
  if (!selection) return kExitUsage;
  const SystemConfig& system = selection->config.system;
  if (rank == 0 && size != system.ranks())
    fmt::print(stderr, "warning: the config asks for {} ranks, the job has {}; running with {}\n", system.ranks(), size, size);
  std::string output = options.output_dir;
  if (output.empty()) output = broadcast_from_root(rank == 0 ? default_output_dir(selection->config) : "", comm);
  const fs::path output_dir(output);
  std::optional<std::string> problem = rank == 0 ? prepare_output_dir(output_dir) : std::nullopt;
  if (auto reason = agree_reason(problem, comm)) {
    if (rank == 0) fmt::print(stderr, "error: {}\n", *reason);
    return kExitUsage;
  }
  nlohmann::json cluster{{"ranks", size}, {"configured_nodes", system.nodes}, {"ranks_per_node", system.ranks_per_node},
                         {"devices_per_rank", system.devices_per_rank}, {"threads_per_rank", system.threads_per_rank}};
  nlohmann::json inventory = gather_inventory(comm, cluster);
  std::optional<ResultBundle> bundle;
  if (rank == 0) {
    nlohmann::json run{{"sciperf_version", inventory["build"].value("sciperf_version", "")},
                       {"config_file", fs::absolute(options.config_path).string()},
                       {"filter", options.filter},
                       {"suite", options.suite.value_or("")}};
    bundle.emplace(output_dir, run, selection->config.resolved, inventory, cluster);
    bundle->write();
  }
  const RunRequest request{&selection->config, selection->cases, output_dir, progress_style(options.progress, stderr)};
  const int code = run_cases(request, comm, bundle ? &*bundle : nullptr);
  if (rank == 0) {
    fmt::print("{}\nresults: {}\n", render_summary(bundle->document()["sciperf"]["cases"]), bundle->file().string());
    std::fflush(stdout);
  }
  return code;
}

}  // namespace

std::string default_config_path() {
  const fs::path exe_dir = self_executable().parent_path();
  for (const fs::path& candidate : {exe_dir / "../share/sciperf/configs/local.yaml", fs::path(SCIPERF_SOURCE_DIR) / "configs/local.yaml"})
    if (fs::exists(candidate)) return fs::weakly_canonical(candidate).string();
  return "configs/local.yaml";
}

int run_command(const RunOptions& options, const SuiteRegistry& registry) {
  if (launched_as_rank()) return run_as_rank(options, registry);
  auto selection = select(options, registry, true);
  if (!selection) return kExitUsage;
  const SystemConfig& system = selection->config.system;
  const fs::path output_dir = options.output_dir.empty() ? default_output_dir(selection->config) : options.output_dir;
  const std::string progress = options.progress == "auto" ? (::isatty(STDERR_FILENO) ? "bar" : "plain") : options.progress;
  const LaunchPlan plan = plan_launch(system, rank_command(options, output_dir, progress));
  if (options.dry_run) return dry_run(*selection, plan);
  const bool in_process = system.ranks() == 1 && system.launcher.type != LauncherType::srun;
  if (in_process) {
    RunOptions local = options;
    local.output_dir = output_dir.string();
    local.progress = progress;
    return run_as_rank(local, registry);
  }
  if (auto problem = prepare_output_dir(output_dir)) {
    fmt::print(stderr, "error: {}\n", *problem);
    return kExitUsage;
  }
  return launch(options, *selection, output_dir, plan);
}

}  // namespace sciperf
