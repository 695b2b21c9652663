// Every collector this build has. A new collector adds one line here.
#include "collectors/cupti/cupti_collector.h"
#include "collectors/cupti/options.h"
#include "collectors/host/host_collector.h"
#include "collectors/network/mpi_t_collector.h"
#include "collectors/network/network_collector.h"
#include "collectors/nccl/nccl_collector.h"
#include "collectors/nvml/nvml_collector.h"
#include "harness/collector.h"

#include <fmt/format.h>

namespace sciperf {

std::vector<std::unique_ptr<Collector>> make_builtin_collectors() {
  std::vector<std::unique_ptr<Collector>> collectors;
  collectors.push_back(make_host_collector());
  collectors.push_back(make_energy_collector());
  collectors.push_back(collectors::make_network_collector());
  collectors.push_back(collectors::make_mpi_t_collector());
  collectors.push_back(collectors::make_nvml_collector());
  collectors.push_back(collectors::make_nccl_collector());
  collectors.push_back(collectors::make_cupti_collector());
  return collectors;
}

std::vector<std::string> builtin_collector_names() { return {"host", "energy", "network", "mpi_t", "nvml", "nccl", "cupti"}; }

std::vector<OptionProblem> check_collector_options(std::string_view name, const nlohmann::json& options) {
  std::vector<OptionProblem> problems;
  if (name == "cupti") collectors::cupti::read_options(options, problems);
  else
    for (const auto& [key, value] : options.items()) problems.push_back({key, fmt::format("unknown key: collector '{}' has only a mode", name)});
  return problems;
}

}  // namespace sciperf
