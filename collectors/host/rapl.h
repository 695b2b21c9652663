// RAPL energy through powercap's intel-rapl zones (AMD's RAPL shows there too): each zone's
// energy_uj is a counter that wraps to 0 past max_energy_range_uj.
#pragma once

#include "harness/collector.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sciperf::host {

// Microjoules between two readings of a counter that wraps past `max_range`. Two wraps look
// like one: a package counter wraps after about 262 kJ, which at 300 W is some 15 minutes,
// longer than a case's measured region should last.
std::uint64_t energy_change_uj(std::uint64_t begin, std::uint64_t end, std::uint64_t max_range);

class Rapl {
 public:
  // Finds the zones under `sys`/class/powercap once; a zone is named by its "name" file,
  // a subzone after its parent ("package-0.dram") since subzone names repeat per package.
  explicit Rapl(const std::filesystem::path& sys);

  void begin();
  // host.energy.<zone> (J) for every zone read at both ends.
  void end(std::vector<Counter>& counters) const;
  // "available (package-0, package-0.dram)" or "unavailable (why)".
  std::string describe() const;

 private:
  struct Zone {
    std::string name;
    std::filesystem::path energy;
    std::uint64_t max_range = 0;
    std::optional<std::uint64_t> at_begin{};
  };

  std::vector<Zone> zones_;
  std::string unavailable_;  // why there is no zone; empty when there are some
};

}  // namespace sciperf::host
