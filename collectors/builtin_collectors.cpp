// Every collector this build has. A new collector adds one line here.
#include "collectors/host/host_collector.h"
#include "collectors/network/mpi_t_collector.h"
#include "collectors/network/network_collector.h"
#include "collectors/nvml/nvml_collector.h"
#include "harness/collector.h"

namespace sciperf {

std::vector<std::unique_ptr<Collector>> make_builtin_collectors() {
  std::vector<std::unique_ptr<Collector>> collectors;
  collectors.push_back(make_host_collector());
  collectors.push_back(make_energy_collector());
  collectors.push_back(collectors::make_network_collector());
  collectors.push_back(collectors::make_mpi_t_collector());
  collectors.push_back(collectors::make_nvml_collector());
  return collectors;
}

std::vector<std::string> builtin_collector_names() { return {"host", "energy", "network", "mpi_t", "nvml"}; }

}  // namespace sciperf
