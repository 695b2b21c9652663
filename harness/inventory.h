// The system inventory: the facts about a node and a build that every result bundle carries,
// so a number can be read without asking "on what machine, built how?".
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace sciperf {

// Where the file-based facts are read from; tests point these at a fake tree.
struct InventoryRoots {
  std::filesystem::path proc = "/proc";
  std::filesystem::path sys = "/sys";
  std::filesystem::path etc = "/etc";
};

// Facts about this host. Hostname, kernel release and machine come from system calls; all
// else is read under `roots`. Never throws on a missing or unreadable file: that field is
// null (or its list empty) and "notes" says what could not be read.
nlohmann::json collect_host_inventory(const InventoryRoots& roots = {});

// MemAvailable from meminfo (what can be allocated without swapping), when the kernel says.
std::optional<std::uint64_t> available_memory_bytes(const InventoryRoots& roots = {});

// Facts about this build: sciperf version, git revision, compiler, flags, build type, MPI
// library and standard version, versions of the libraries compiled against. Safe before
// MPI_Init.
nlohmann::json collect_build_inventory();

// Human-readable multi-line rendering of {"host": ..., "build": ...}, for `sciperf sysinfo`.
// Either part may be absent; unknown values print as "?".
std::string render_inventory_text(const nlohmann::json& inventory);

}  // namespace sciperf
