#include "harness/plan.h"

#include "harness/file_names.h"
#include "harness/launcher.h"

#include <fmt/format.h>

#include <stdexcept>

namespace sciperf {
namespace {

std::string sbatch_line(const std::string& option) {
  if (option.find_first_of("\r\n") != std::string::npos)
    throw std::invalid_argument(fmt::format("batch argument '{}' contains a line break", option));
  return fmt::format("#SBATCH {}\n", option);
}

std::string slurm_script(const Config& config, const SystemConfig& system, const std::string& job, const PlanPaths& paths) {
  const std::string cluster = cluster_name(system);
  std::string text = fmt::format(
      "#!/bin/bash\n"
      "# Written by `sciperf plan --emit slurm` from {}: cluster configuration {}\n"
      "# ({} node(s) x {} rank(s) per node, {} GPU(s) and {} thread(s) per rank).\n",
      config.source, cluster, system.nodes, system.ranks_per_node, system.devices_per_rank, system.threads_per_rank);
  text += sbatch_line(fmt::format("--job-name={}", job));
  text += sbatch_line(fmt::format("--nodes={}", system.nodes));
  text += sbatch_line(fmt::format("--ntasks-per-node={}", system.ranks_per_node));
  text += sbatch_line(fmt::format("--cpus-per-task={}", system.threads_per_rank));
  if (system.devices_per_rank > 0) text += sbatch_line(fmt::format("--gpus-per-task={}", system.devices_per_rank));
  for (const std::string& option : system.launcher.batch_args) text += sbatch_line(option);
  text += sbatch_line(fmt::format("--output={}/{}-%j.out", paths.results_dir, job));
  text += "set -euo pipefail\n";
  // sciperf starts the ranks itself (srun, or mpiexec inside the allocation).
  text += fmt::format("exec {} run -c {} --cluster {} -o {}/{}-\"${{SLURM_JOB_ID}}\" --progress plain\n",
                      shell_quote(paths.sciperf), shell_quote(paths.config), cluster, shell_quote(paths.results_dir), job);
  return text;
}

}  // namespace

std::vector<BatchScript> slurm_scripts(const Config& config, const PlanPaths& paths) {
  const std::string base = file_safe_name(config.name);
  std::vector<BatchScript> scripts;
  std::string submit = "#!/bin/bash\n# Submits every cluster configuration of " + config.source + "\nset -euo pipefail\n"
                       "cd \"$(dirname \"$0\")\"\n";
  for (const SystemConfig& system : config.clusters) {
    const std::string job = fmt::format("{}-{}", base, cluster_name(system));
    scripts.push_back({job + ".sbatch", slurm_script(config, system, job, paths)});
    submit += fmt::format("sbatch {}\n", shell_quote(scripts.back().file_name));
  }
  scripts.push_back({"submit-all.sh", submit});
  return scripts;
}

}  // namespace sciperf
