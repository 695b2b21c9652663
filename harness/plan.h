// `sciperf plan`: batch scripts for every cluster configuration a config sweeps over, so a
// scaling study is one `sbatch` per shape.
#pragma once

#include "harness/config.h"

#include <string>
#include <vector>

namespace sciperf {

struct BatchScript {
  std::string file_name;  // e.g. "local-n2-r8-g1-t8.sbatch"
  std::string text;
};

struct PlanPaths {
  std::string sciperf;      // the sciperf executable the jobs run
  std::string config;       // the config file, absolute
  std::string results_dir;  // where the jobs write their bundles and Slurm logs
};

// One Slurm batch script per cluster configuration, then "submit-all.sh". Throws
// std::invalid_argument when a batch argument holds a line break (it would end the
// #SBATCH line and start a command).
std::vector<BatchScript> slurm_scripts(const Config& config, const PlanPaths& paths);

}  // namespace sciperf
