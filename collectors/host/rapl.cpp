#include "collectors/host/rapl.h"

#include "collectors/host/kernel_files.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <initializer_list>
#include <map>
#include <string_view>
#include <system_error>
#include <utility>

namespace sciperf::host {

namespace {

namespace fs = std::filesystem;

// "intel-rapl:0" (a package) or "intel-rapl:0:1" (its subzone). "intel-rapl" itself is the
// control type, not a zone, and "intel-rapl-mmio:0" reads a package again through MMIO.
bool is_zone(std::string_view directory) { return directory.starts_with("intel-rapl:"); }

std::optional<std::uint64_t> read_energy(const fs::path& file) {
  const auto energy = read_file_integer(file).value;
  if (!energy || *energy < 0) return std::nullopt;
  return static_cast<std::uint64_t>(*energy);
}

struct ZoneFile {
  std::string_view file;
  int error;  // 0 when it was read
};

// The first file of `zone` that could not be read, and why. Since Linux 5.10 energy_uj is
// readable by root only (it leaked secrets: CVE-2020-8694), the usual answer for a user.
std::optional<std::string> unreadable_reason(std::string_view zone,
                                             std::initializer_list<ZoneFile> files) {
  for (const ZoneFile& file : files) {
    if (file.error == 0) continue;
    return fmt::format("{}/{}: {}{}", zone, file.file, errno_name(file.error),
                       file.error == EACCES ? ", readable by root only" : "");
  }
  return std::nullopt;
}

}  // namespace

std::uint64_t energy_change_uj(std::uint64_t begin, std::uint64_t end, std::uint64_t max_range) {
  return end >= begin ? end - begin : max_range - begin + end;
}

Rapl::Rapl(const fs::path& sys) {
  const fs::path powercap = sys / "class/powercap";
  std::error_code error;
  if (!fs::is_directory(powercap, error)) {
    unavailable_ = fmt::format("no {}", powercap.string());
    return;
  }
  // Sorted, a zone comes before its subzones, so the parent's name is known when needed.
  std::vector<std::string> directories;
  for (const auto& entry : fs::directory_iterator(powercap, error)) {
    std::string directory = entry.path().filename();
    if (is_zone(directory)) directories.push_back(std::move(directory));
  }
  std::sort(directories.begin(), directories.end());

  std::map<std::string, std::string, std::less<>> names;
  std::vector<std::string> unreadable;
  for (const std::string& directory : directories) {
    const fs::path zone = powercap / directory;
    const auto name = read_file_text(zone / "name");
    const auto max_range = read_file_integer(zone / "max_energy_range_uj");
    const auto energy = read_file_integer(zone / "energy_uj");
    if (name.value) {
      const auto parent = names.find(std::string_view(directory).substr(0, directory.rfind(':')));
      names.emplace(directory, parent == names.end() ? *name.value : parent->second + "." + *name.value);
    }
    if (auto reason = unreadable_reason(directory, {{"name", name.error},
                                                    {"max_energy_range_uj", max_range.error},
                                                    {"energy_uj", energy.error}})) {
      unreadable.push_back(std::move(*reason));
      continue;
    }
    zones_.push_back({.name = names.at(directory),
                      .energy = zone / "energy_uj",
                      .max_range = static_cast<std::uint64_t>(*max_range.value)});
  }
  if (!zones_.empty()) return;
  unavailable_ = unreadable.empty() ? fmt::format("no intel-rapl zone in {}", powercap.string())
                                    : fmt::format("{}", fmt::join(unreadable, "; "));
}

void Rapl::begin() {
  for (Zone& zone : zones_) zone.at_begin = read_energy(zone.energy);
}

void Rapl::end(std::vector<Counter>& counters) const {
  for (const Zone& zone : zones_) {
    const auto at_end = read_energy(zone.energy);
    if (!zone.at_begin || !at_end) continue;
    const auto microjoules = energy_change_uj(*zone.at_begin, *at_end, zone.max_range);
    counters.push_back({"host.energy." + zone.name, static_cast<double>(microjoules) * 1e-6, "J"});
  }
}

std::string Rapl::describe() const {
  if (zones_.empty()) return fmt::format("unavailable ({})", unavailable_);
  std::vector<std::string_view> names;
  for (const Zone& zone : zones_) names.push_back(zone.name);
  return fmt::format("available ({})", fmt::join(names, ", "));
}

}  // namespace sciperf::host
