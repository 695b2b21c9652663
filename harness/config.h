// The config model: what a YAML config says about the system, the timing policy and the
// parameter sweeps of each suite. Everything is checked before anything runs; problems are
// reported together, each as file:line:column, key path and what was expected.
#pragma once

#include "harness/collector.h"
#include "harness/params.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sciperf {

class SuiteRegistry;

enum class TimingMode { pipelined, isolated };
enum class LauncherType { local, mpiexec, srun, command_template };
std::string_view to_string(TimingMode mode);
std::string_view to_string(LauncherType type);
std::string_view to_string(CollectorMode mode);

struct TimingConfig {
  // pipelined: back-to-back operations, time / iterations (nccl-tests). isolated: a barrier
  // before each operation and per-operation times (OSU, IMB).
  TimingMode mode = TimingMode::pipelined;
  std::int64_t warmup_iterations = 3;
  double min_time = 0.05;  // seconds each repetition should last; sets the iteration count
  int repetitions = 3;
  std::int64_t max_iterations = 100'000'000;
  double timeout = 600;  // seconds a case may take before it counts as hung
};

struct LauncherConfig {
  LauncherType type = LauncherType::mpiexec;
  std::string command;  // empty: the launcher's usual program (mpiexec.mpich, srun)
  std::vector<std::string> args;
  std::map<std::string, std::string> env;
  std::vector<std::string> hosts;
  std::string hostfile;
  std::vector<std::string> batch_args;  // extra #SBATCH lines for `sciperf plan --emit slurm`
  // type "template": the launcher's argument vector with {nodes}, {ranks},
  // {ranks_per_node}, {devices_per_rank}, {threads_per_rank} filled in (flux run, PBS, ...)
  std::vector<std::string> command_template;
};


struct SystemConfig {
  std::string name;
  int nodes = 1;
  int ranks_per_node = 1;
  int devices_per_rank = 0;
  int threads_per_rank = 1;
  // What the system costs, in any currency the compared systems share: the procurement
  // scorecard's per-unit-cost basis (sciperf report --scorecard).
  std::optional<double> price;
  LauncherConfig launcher;
  int ranks() const { return nodes * ranks_per_node; }
};

// The placeholders a launcher template may use, and their values for a system.
std::vector<std::pair<std::string, int>> template_values(const SystemConfig& system);

struct SourceLocation {
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
};

struct SweepAxis {
  std::string name;
  ParamKind kind;
  std::vector<ParamValue> values;
  SourceLocation where;
};

struct Sweep {
  std::string suite;
  TimingConfig timing;
  std::vector<SweepAxis> axes;                // only the parameters the config sets
  std::vector<std::vector<std::string>> zip;  // parameters that advance together
  SourceLocation where;
};

struct Config {
  std::string source;  // the file name errors refer to
  std::string name;
  std::string description;
  SystemConfig system;                 // the cluster configuration this run uses
  std::vector<SystemConfig> clusters;  // every one the config sweeps over (system is one of them)
  TimingConfig timing;
  std::string output_dir = "results";
  std::vector<Sweep> sweeps;
  std::map<std::string, CollectorMode> collectors;  // named ones only; the rest are enabled
  double collector_sample_interval = 0;  // seconds between gauge samples in a measured region; 0: none
  int collector_profile_operations = 10;  // operations a collector's profiling pass runs (collector.h)
  std::map<std::string, nlohmann::json> collector_options;  // a collector's own keys (scalars as strings)
  // The `compare:` section as written (scalars as strings), passed through to the bundle for
  // `sciperf compare`, which checks it (reports/compare_config.h); null when absent.
  nlohmann::json compare;
  nlohmann::json resolved;  // the config as understood, for the result bundle
};

class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

Config load_config(const std::filesystem::path& path, const SuiteRegistry& registry);

// "n2-r8-g1-t8": nodes, ranks per node, GPUs per rank, threads per rank.
std::string cluster_name(const SystemConfig& system);
// Makes the named cluster configuration the one the config runs; ConfigError when absent.
void select_cluster(Config& config, const std::string& name);
nlohmann::json resolve_config(const Config& config);
Config parse_config(const std::string& yaml_text, const std::string& source, const SuiteRegistry& registry);

}  // namespace sciperf
