#include "harness/run_command.h"

#include "harness/bundle.h"
#include "harness/collection.h"
#include "harness/config.h"
#include "harness/file_names.h"
#include "harness/inventory.h"
#include "harness/launcher.h"
#include "harness/rank_sync.h"
#include "harness/runner.h"
#include "harness/suite.h"
#include "harness/summary.h"
#include "harness/sweep.h"

#include <fmt/format.h>
#include <mpi.h>

#include <chrono>
#include <cstring>
#include <ctime>
#include <map>
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
  const std::string name = file_safe_name(config.name.empty() ? fs::path(config.source).stem().string() : config.name);
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
    Config& config = selection.config;
    if (!options.cluster.empty()) {
      select_cluster(config, options.cluster);
    } else if (config.clusters.size() > 1) {
      if (speak)
        fmt::print(stderr, "error: {} describes {} cluster configurations; run one with --cluster {} (or another), or "
                           "write batch scripts for all with `sciperf plan`\n",
                   options.config_path, config.clusters.size(), cluster_name(config.clusters.front()));
      return std::nullopt;
    }
    auto all = expand_cases(config, registry);
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

std::vector<std::string> rank_command(const RunOptions& options, const fs::path& output_dir, const std::string& progress,
                                      bool resume) {
  std::vector<std::string> command{self_executable().string(), "run", "-c", fs::absolute(options.config_path).string(),
                                   resume ? "--resume" : "-o", fs::absolute(output_dir).string(), "--progress", progress};
  if (options.suite) command.insert(command.end(), {"--suite", *options.suite});
  if (!options.cluster.empty()) command.insert(command.end(), {"--cluster", options.cluster});
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

const CaseSpec* find_case(const Selection& selection, const std::string& name) {
  for (const CaseSpec& spec : selection.cases)
    if (spec.name == name) return &spec;
  return nullptr;
}

// Records, from outside the ranks, how a case ended that its ranks could not record
// themselves (timed out, or a rank died in it). Cases already recorded stay as they are.
void record_case(const fs::path& output_dir, const CaseSpec& spec, const std::string& status, const std::string& reason,
                 const std::string& output_tail) {
  ResultBundle bundle = ResultBundle::open(output_dir);
  for (const auto& record : bundle.document()["sciperf"]["cases"])
    if (record.value("name", "") == spec.name) return;
  nlohmann::json record = case_record(spec);
  record["status"] = status;
  record["reason"] = reason;
  if (!output_tail.empty()) record["output_tail"] = output_tail;
  bundle.add_case(std::move(record), nullptr);
  bundle.write();
}

// Over the whole run, including cases recorded by earlier sets of ranks.
bool any_case_failed(const fs::path& output_dir) {
  const ResultBundle bundle = ResultBundle::open(output_dir);
  for (const auto& record : bundle.document()["sciperf"]["cases"])
    if (record.value("status", "") == "failed" || record.value("status", "") == "timeout") return true;
  return false;
}

void finish_bundle(const fs::path& output_dir, const std::string& status, const std::string& reason) {
  if (!fs::exists(output_dir / "results.json")) return;
  ResultBundle bundle = ResultBundle::open(output_dir);
  bundle.finish(status, reason);
  bundle.write();
}

std::string last_lines(const std::string& text, std::size_t count) {
  std::size_t position = text.size();
  for (std::size_t seen = 0; position > 0 && seen <= count; --position)
    if (text[position - 1] == '\n') ++seen;
  return text.substr(position == 0 ? 0 : position + 1);
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Starts the ranks, and keeps the run going when a case hangs or kills its ranks: that case
// is recorded (timeout, or failed with the output's tail) and a fresh set of ranks resumes
// with the next one. A signal to sciperf stops the job and leaves a resumable bundle.
int launch(const RunOptions& options, const Selection& selection, const fs::path& output_dir, const std::string& progress) {
  const SystemConfig& system = selection.config.system;
  const int ranks = system.ranks();
  std::map<std::string, double> timeouts;
  // Start-up and shut-down get the longest case timeout, and never less than two minutes:
  // MPI_Init on a large allocation can take that long.
  double idle_limit = std::max(120.0, selection.config.timing.timeout);
  for (const CaseSpec& spec : selection.cases) {
    timeouts[spec.name] = spec.timing.timeout;
    idle_limit = std::max(idle_limit, spec.timing.timeout);
  }
  const fs::path file = output_dir / "results.json";
  bool resume = options.resume;
  while (true) {
    const LaunchPlan plan = plan_launch(system, rank_command(options, output_dir, progress, resume));
    fmt::print(stderr, "sciperf: {} {} rank{}: {}\n", resume ? "resuming with" : "launching", ranks, ranks == 1 ? "" : "s",
               render_command(plan));
    clear_rank_states(output_dir, ranks);
    const double launched = unix_now();
    const LaunchOutcome outcome = execute(plan, [&]() -> std::optional<std::string> {
      if (auto overdue = overdue_case(output_dir, ranks, timeouts, unix_now())) return overdue;
      return idle_job(output_dir, ranks, launched, idle_limit, unix_now());
    });
    const bool complete = fs::exists(file) &&
                          ResultBundle::open(output_dir).document()["sciperf"]["run"].value("status", "") == "complete";
    if ((outcome.exit_code == kExitOk || outcome.exit_code == kExitCaseFailed) && complete && outcome.stop_reason.empty() &&
        !outcome.signal)
      return any_case_failed(output_dir) ? kExitCaseFailed : kExitOk;
    // The ranks refused to start (bad input they found, e.g. a required collector that is
    // unavailable) and said why; nothing was measured.
    if (outcome.exit_code == kExitUsage && outcome.stop_reason.empty() && !outcome.signal) return kExitUsage;
    if (outcome.signal) {
      const std::string reason = fmt::format("interrupted by {}; continue with: sciperf run --resume {}",
                                             strsignal(outcome.signal), output_dir.string());
      finish_bundle(output_dir, "interrupted", reason);
      fmt::print(stderr, "sciperf: {}\n", reason);
      return 128 + outcome.signal;
    }
    const std::string interrupted = interrupted_case(output_dir, ranks);
    const CaseSpec* spec = find_case(selection, interrupted);
    const bool timed_out = !outcome.stop_reason.empty();
    const std::string reason = timed_out ? outcome.stop_reason : explain_failure(outcome, output_dir, ranks);
    if (!spec || !fs::exists(file)) {
      // Nothing to skip past: the job failed outside any case (launch, start-up).
      finish_bundle(output_dir, "failed", reason);
      fmt::print(stderr, "error: the run was aborted: {}\n", reason);
      if (fs::exists(file)) fmt::print(stderr, "completed cases are in {}\n", file.string());
      return kExitRunAborted;
    }
    record_case(output_dir, *spec, timed_out ? "timeout" : "failed", reason, last_lines(outcome.output_tail, 40));
    fmt::print(stderr, "sciperf: {}: {}; continuing with the next case in a fresh set of ranks\n",
               timed_out ? "timeout" : "failed", reason);
    resume = true;
  }
}

nlohmann::json gather_inventory(MPI_Comm comm, const nlohmann::json& collectors, nlohmann::json& cluster) {
  nlohmann::json host = collect_host_inventory();
  host["collectors"] = collectors;
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

// The bundle of an interrupted run, ready to take the remaining cases; refuses when the
// config has changed since (a resumed bundle must equal one uninterrupted run).
ResultBundle reopen_for_resume(const fs::path& output_dir, const Config& config) {
  if (!fs::exists(output_dir / "results.json"))
    throw std::runtime_error(fmt::format("{}: no result bundle to resume", output_dir.string()));
  ResultBundle bundle = ResultBundle::open(output_dir);
  auto without_source = [](nlohmann::json resolved) {
    resolved.erase("source");
    return resolved;
  };
  if (without_source(bundle.document()["sciperf"]["config"]) != without_source(config.resolved))
    throw std::runtime_error(fmt::format("{}: the config differs from the one the run started with; resume needs the same",
                                         output_dir.string()));
  bundle.reopen();
  bundle.write();
  return bundle;
}

// The cases the bundle does not hold yet; rank 0 decides, every rank gets the same list.
std::vector<CaseSpec> without_recorded(std::vector<CaseSpec> cases, const ResultBundle* bundle, MPI_Comm comm) {
  std::string names;
  if (bundle)
    for (const auto& record : bundle->document()["sciperf"]["cases"]) names += record.value("name", "") + "\n";
  names = broadcast_from_root(names, comm);
  std::set<std::string> recorded;
  for (std::size_t start = 0, end; (end = names.find('\n', start)) != std::string::npos; start = end + 1)
    recorded.insert(names.substr(start, end - start));
  std::erase_if(cases, [&](const CaseSpec& spec) { return recorded.count(spec.name) > 0; });
  return cases;
}

// The first rank on each host reads the node-wide counters. Decided by host name, not by
// MPI's shared-memory domains: MPIR_CVAR_NOLOCAL (used to push traffic through the network
// stack) makes every rank look like a node of its own.
bool is_node_leader(MPI_Comm comm) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const auto hosts = gather_to_root(host, comm);
  std::string leaders;
  std::set<std::string> seen;
  for (const std::string& name : hosts) leaders += seen.insert(name).second ? '1' : '0';
  leaders = broadcast_from_root(leaders, comm);
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return leaders.at(static_cast<std::size_t>(rank)) == '1';
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
  std::optional<ResultBundle> bundle;
  std::optional<std::string> problem;
  if (rank == 0) {
    try {
      if (options.resume) bundle = reopen_for_resume(output_dir, selection->config);
      else problem = prepare_output_dir(output_dir);
    } catch (const std::exception& error) {
      problem = error.what();
    }
  }
  if (auto reason = agree_reason(problem, comm)) {
    if (rank == 0) fmt::print(stderr, "error: {}\n", *reason);
    return kExitUsage;
  }
  nlohmann::json cluster{{"ranks", size}, {"configured_nodes", system.nodes}, {"ranks_per_node", system.ranks_per_node},
                         {"devices_per_rank", system.devices_per_rank}, {"threads_per_rank", system.threads_per_rank}};
  CollectorSetup collectors = set_up_collectors(make_builtin_collectors(), selection->config, is_node_leader(comm));
  if (auto reason = agree_reason(collectors.required_missing, comm)) {
    if (rank == 0) fmt::print(stderr, "error: {}; nothing was measured\n", *reason);
    return kExitUsage;
  }
  nlohmann::json inventory = gather_inventory(comm, collectors.inventory, cluster);
  if (rank == 0 && !bundle) {
    nlohmann::json run{{"sciperf_version", inventory["build"].value("sciperf_version", "")},
                       {"config_file", fs::absolute(options.config_path).string()},
                       {"filter", options.filter},
                       {"suite", options.suite.value_or("")}};
    bundle.emplace(output_dir, run, selection->config.resolved, inventory, cluster);
    bundle->write();
  }
  std::vector<CaseSpec> remaining = without_recorded(selection->cases, bundle ? &*bundle : nullptr, comm);
  const RunRequest request{&selection->config, &collectors.active, std::move(remaining), output_dir,
                           progress_style(options.progress, stderr)};
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

int run_command(RunOptions options, const SuiteRegistry& registry) {
  if (launched_as_rank()) return run_as_rank(options, registry);
  if (options.resume) {
    // The config is the one the interrupted run used, unless given again.
    if (options.config_path.empty()) {
      try {
        options.config_path = ResultBundle::open(options.output_dir).document()["sciperf"]["run"].value("config_file", "");
      } catch (const std::exception& error) {
        fmt::print(stderr, "error: --resume: {}\n", error.what());
        return kExitUsage;
      }
    }
  } else if (options.config_path.empty()) {
    options.config_path = default_config_path();
  }
  auto selection = select(options, registry, true);
  if (!selection) return kExitUsage;
  const fs::path output_dir = options.output_dir.empty() ? default_output_dir(selection->config) : options.output_dir;
  const std::string progress = options.progress == "auto" ? (::isatty(STDERR_FILENO) ? "bar" : "plain") : options.progress;
  if (options.dry_run)
    return dry_run(*selection, plan_launch(selection->config.system, rank_command(options, output_dir, progress, options.resume)));
  if (!options.resume)
    if (auto problem = prepare_output_dir(output_dir)) {
      fmt::print(stderr, "error: {}\n", *problem);
      return kExitUsage;
    }
  try {
    return launch(options, *selection, output_dir, progress);
  } catch (const std::exception& error) {
    // The bundle on disk is still whole (it is only ever replaced atomically).
    fmt::print(stderr, "error: the run was aborted: {}\n", error.what());
    return kExitRunAborted;
  }
}

}  // namespace sciperf
