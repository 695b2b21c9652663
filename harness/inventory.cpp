#include "harness/inventory.h"

#include "harness/units.h"

#include <fmt/format.h>
#include <mpi.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

// The harness CMake target defines these; the fallbacks let this file build on its own.
#ifndef SCIPERF_VERSION
#define SCIPERF_VERSION "unknown"
#endif
#ifndef SCIPERF_COMPILER
#define SCIPERF_COMPILER "unknown"
#endif
#ifndef SCIPERF_BUILD_TYPE
#define SCIPERF_BUILD_TYPE "unknown"
#endif
#ifndef SCIPERF_CXX_FLAGS
#define SCIPERF_CXX_FLAGS "unknown"
#endif

namespace sciperf {

// Generated at build time by cmake/WriteGitRevision.cmake.
const char* git_revision();

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Notes = std::vector<std::string>;
using Fields = std::map<std::string, std::string, std::less<>>;

constexpr std::string_view kWhitespace = " \t\r\n";

// ---------------------------------------------------------------------------------------
// Reading and parsing kernel text

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kWhitespace) - first + 1);
}

// Views into `text`, which must outlive them.
std::vector<std::string_view> split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + separator.size();
  }
}

// The trimmed content of a small text file; nullopt when it cannot be opened or holds
// nothing. sysfs answers some reads with an error rather than a value (a down link's
// speed: EINVAL), which the stream reports as no content.
std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  std::string text(trim(content.str()));
  if (text.empty()) return std::nullopt;
  return text;
}

// A whole file for line-by-line parsing; "" (and a note) when it cannot be read.
std::string read_or_note(const fs::path& path, Notes& notes) {
  auto text = read_text(path);
  if (!text) notes.push_back(fmt::format("could not read {}", path.string()));
  return text.value_or("");
}

template <typename Number>
std::optional<Number> parse_number(std::string_view text) {
  text = trim(text);
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Reads `path` and parses its content; nullopt when either step fails.
template <typename Parse>
auto read_as(const fs::path& path, Parse parse) -> decltype(parse(std::string_view{})) {
  const auto text = read_text(path);
  if (!text) return std::nullopt;
  return parse(*text);
}

// Kernel sizes count in binary units whatever the spelling: cache "size" ("32K", "16M")
// and meminfo ("24684092 kB").
std::optional<std::uint64_t> parse_kernel_size(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, int>, 5> kShifts{
      {{"", 0}, {"K", 10}, {"kB", 10}, {"M", 20}, {"G", 30}}};
  text = trim(text);
  const auto digits_end = std::min(text.find_first_not_of("0123456789"), text.size());
  const auto count = parse_number<std::uint64_t>(text.substr(0, digits_end));
  if (!count) return std::nullopt;
  const auto suffix = trim(text.substr(digits_end));
  for (const auto& [name, shift] : kShifts)
    if (suffix == name) return *count << shift;
  return std::nullopt;
}

// The number of CPUs in a kernel cpu list such as "0-3,8-11".
std::optional<int> count_cpu_list(std::string_view list) {
  int count = 0;
  for (const std::string_view range : split(list, ",")) {
    const auto dash = range.find('-');
    const auto first = parse_number<int>(range.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : parse_number<int>(range.substr(dash + 1));
    if (!first || !last || *last < *first) return std::nullopt;
    count += *last - *first + 1;
  }
  return count;
}

// "key<separator>value" lines (cpuinfo, meminfo, os-release) into a map, both sides trimmed.
Fields parse_fields(std::string_view text, char separator) {
  Fields fields;
  for (const std::string_view line : split(text, "\n")) {
    const auto at = line.find(separator);
    if (at != std::string_view::npos)
      fields.emplace(trim(line.substr(0, at)), trim(line.substr(at + 1)));
  }
  return fields;
}

// The value of the first of `keys` present; "" when none is.
std::string_view field(const Fields& fields, std::initializer_list<std::string_view> keys) {
  for (const std::string_view key : keys)
    if (const auto it = fields.find(key); it != fields.end()) return it->second;
  return {};
}

// os-release may quote values with either quote character.
std::string_view unquote(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front())
    return text.substr(1, text.size() - 2);
  return text;
}

// Subdirectories of `dir`, sorted by name; none when it cannot be listed. Only directories:
// sysfs puts plain files such as net/bonding_masters beside the entries we want.
std::vector<fs::path> subdirectories(const fs::path& dir) {
  std::vector<fs::path> entries;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    std::error_code ignored;
    if (it->is_directory(ignored)) entries.push_back(it->path());
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

// Subdirectories named `prefix` followed by digits: "cpu12" but not "cpufreq".
std::vector<fs::path> numbered_subdirectories(const fs::path& dir, std::string_view prefix) {
  std::vector<fs::path> entries = subdirectories(dir);
  std::erase_if(entries, [prefix](const fs::path& entry) {
    const std::string name = entry.filename().string();
    return name.size() <= prefix.size() || !name.starts_with(prefix) ||
           name.find_first_not_of("0123456789", prefix.size()) != std::string::npos;
  });
  return entries;
}

template <typename Value>
json or_null(const std::optional<Value>& value) {
  return value ? json(*value) : json();
}

json text_or_null(std::string_view text) { return text.empty() ? json() : json(text); }

// ---------------------------------------------------------------------------------------
// CPU

// Cores are (package, core) pairs: core ids repeat across sockets.
struct CpuTopology {
  int logical_cpus = 0;
  std::set<std::pair<long, long>> cores;
  std::set<long> packages;

  void add(std::optional<long> package, std::optional<long> core) {
    if (!package || !core) return;
    cores.emplace(*package, *core);
    packages.insert(*package);
  }
};

// One field map per logical CPU; cpuinfo separates them with blank lines, and Arm adds a
// trailing block without "processor" that describes the board.
std::vector<Fields> parse_cpuinfo(std::string_view text) {
  std::vector<Fields> processors;
  for (const std::string_view block : split(text, "\n\n"))
    if (Fields fields = parse_fields(block, ':'); fields.contains("processor"))
      processors.push_back(std::move(fields));
  return processors;
}

CpuTopology topology_from_cpuinfo(const std::vector<Fields>& processors) {
  CpuTopology topology;
  topology.logical_cpus = static_cast<int>(processors.size());
  for (const Fields& cpu : processors)
    topology.add(parse_number<long>(field(cpu, {"physical id"})), parse_number<long>(field(cpu, {"core id"})));
  return topology;
}

CpuTopology topology_from_sysfs(const fs::path& cpu_dir) {
  CpuTopology topology;
  for (const fs::path& cpu : numbered_subdirectories(cpu_dir, "cpu")) {
    ++topology.logical_cpus;
    topology.add(read_as(cpu / "topology/physical_package_id", parse_number<long>),
                 read_as(cpu / "topology/core_id", parse_number<long>));
  }
  return topology;
}

// x86 cpuinfo names each CPU's package and core; Arm's and some hypervisors' do not, and
// then sysfs topology is the source.
CpuTopology read_topology(const std::vector<Fields>& processors, const InventoryRoots& roots) {
  const CpuTopology from_cpuinfo = topology_from_cpuinfo(processors);
  if (!from_cpuinfo.cores.empty()) return from_cpuinfo;
  CpuTopology topology = topology_from_sysfs(roots.sys / "devices/system/cpu");
  // cpuinfo lists the online CPUs; sysfs lists offline ones too.
  if (from_cpuinfo.logical_cpus > 0) topology.logical_cpus = from_cpuinfo.logical_cpus;
  return topology;
}

// The vector and matrix extensions that decide which kernels run fast, in rising order.
// Arm calls NEON "asimd" on 64-bit kernels and "neon" on 32-bit ones.
constexpr std::array<std::string_view, 16> kIsaFlags{
    "sse4_2",   "avx",         "avx2",     "fma",      "avx512f",  "avx512bw", "avx512vl", "avx512_vnni",
    "avx_vnni", "avx512_bf16", "amx_bf16", "amx_int8", "amx_tile", "sve",      "neon",     "asimd"};

json isa_flags(std::string_view flags) {
  if (flags.empty()) return nullptr;
  const std::vector<std::string_view> listed = split(flags, " ");
  const std::set<std::string_view> present(listed.begin(), listed.end());
  json isa = json::array();
  for (const std::string_view flag : kIsaFlags)
    if (present.contains(flag)) isa.push_back(flag);
  return isa;
}

json collect_cpu(const InventoryRoots& roots, Notes& notes) {
  const std::vector<Fields> processors = parse_cpuinfo(read_or_note(roots.proc / "cpuinfo", notes));
  const Fields first = processors.empty() ? Fields{} : processors.front();
  const CpuTopology topology = read_topology(processors, roots);
  if (topology.cores.empty()) notes.push_back("no core topology in cpuinfo or sysfs");
  return {
      {"model", text_or_null(field(first, {"model name"}))},
      {"vendor", text_or_null(field(first, {"vendor_id", "CPU implementer"}))},
      {"logical_cpus", topology.logical_cpus > 0 ? json(topology.logical_cpus) : json()},
      {"physical_cores", topology.cores.empty() ? json() : json(topology.cores.size())},
      {"sockets", topology.packages.empty() ? json() : json(topology.packages.size())},
      {"mhz", or_null(parse_number<double>(field(first, {"cpu MHz"})))},
      {"isa", isa_flags(field(first, {"flags", "Features"}))},
  };
}

json collect_caches(const InventoryRoots& roots, Notes& notes) {
  const fs::path cache_dir = roots.sys / "devices/system/cpu/cpu0/cache";
  json caches = json::array();
  for (const fs::path& index : numbered_subdirectories(cache_dir, "index")) {
    caches.push_back({
        {"level", or_null(read_as(index / "level", parse_number<int>))},
        {"type", or_null(read_text(index / "type"))},
        {"size_bytes", or_null(read_as(index / "size", parse_kernel_size))},
        {"shared_by_cpus", or_null(read_as(index / "shared_cpu_list", count_cpu_list))},
    });
  }
  if (caches.empty()) notes.push_back(fmt::format("no cache levels under {}", cache_dir.string()));
  return caches;
}

// ---------------------------------------------------------------------------------------
// Memory, OS, load

json collect_memory(const InventoryRoots& roots, Notes& notes) {
  const Fields meminfo = parse_fields(read_or_note(roots.proc / "meminfo", notes), ':');
  return {
      {"total_bytes", or_null(parse_kernel_size(field(meminfo, {"MemTotal"})))},
      // MemAvailable appeared in Linux 3.14; older kernels leave this null.
      {"available_bytes", or_null(parse_kernel_size(field(meminfo, {"MemAvailable"})))},
  };
}

json count_numa_nodes(const InventoryRoots& roots, Notes& notes) {
  const fs::path node_dir = roots.sys / "devices/system/node";
  const std::size_t nodes = numbered_subdirectories(node_dir, "node").size();
  if (nodes > 0) return nodes;
  notes.push_back(fmt::format("no NUMA nodes under {}", node_dir.string()));
  return nullptr;
}

json collect_os(const InventoryRoots& roots, Notes& notes) {
  const Fields release = parse_fields(read_or_note(roots.etc / "os-release", notes), '=');
  utsname system{};
  const bool have_uname = uname(&system) == 0;
  return {
      {"pretty_name", text_or_null(unquote(field(release, {"PRETTY_NAME"})))},
      {"id", text_or_null(unquote(field(release, {"ID"})))},
      {"version_id", text_or_null(unquote(field(release, {"VERSION_ID"})))},
      {"kernel", have_uname ? json(system.release) : json()},
      {"machine", have_uname ? json(system.machine) : json()},
  };
}

json collect_load_average(const InventoryRoots& roots, Notes& notes) {
  const std::string loadavg = read_or_note(roots.proc / "loadavg", notes);
  const std::vector<std::string_view> loads = split(loadavg, " ");
  if (loads.size() < 3) return nullptr;
  return {
      {"1min", or_null(parse_number<double>(loads[0]))},
      {"5min", or_null(parse_number<double>(loads[1]))},
      {"15min", or_null(parse_number<double>(loads[2]))},
  };
}

json read_hostname() {
  std::array<char, 256> name{};  // HOST_NAME_MAX is 64 on Linux
  if (gethostname(name.data(), name.size() - 1) != 0) return nullptr;
  return std::string(name.data());
}

// ---------------------------------------------------------------------------------------
// Network

// ARPHRD_* values from <linux/if_arp.h>, as sysfs "type" shows them.
json link_kind(std::optional<int> type) {
  if (!type) return nullptr;
  switch (*type) {
    case 772: return "loopback";
    case 1: return "ethernet";
    case 32: return "infiniband";
    default: return "other";
  }
}

json collect_network(const InventoryRoots& roots, Notes& notes) {
  const fs::path net_dir = roots.sys / "class/net";
  json links = json::array();
  for (const fs::path& link : subdirectories(net_dir)) {
    const auto speed = read_as(link / "speed", parse_number<long>);
    links.push_back({
        {"name", link.filename().string()},
        {"kind", link_kind(read_as(link / "type", parse_number<int>))},
        {"operstate", or_null(read_text(link / "operstate"))},
        {"mtu", or_null(read_as(link / "mtu", parse_number<long>))},
        // Down and virtual links report -1 or refuse the read: they have no speed to state.
        {"speed_mbps", speed && *speed > 0 ? json(*speed) : json()},
        {"address", or_null(read_text(link / "address"))},
    });
  }
  if (links.empty()) notes.push_back(fmt::format("no network interfaces under {}", net_dir.string()));
  return links;
}

// "400 Gb/sec (4X NDR)" -> 400.
std::optional<double> rate_gbps(std::string_view rate) { return parse_number<double>(rate.substr(0, rate.find(' '))); }

// "4: ACTIVE" -> "ACTIVE".
std::optional<std::string> port_state(std::string_view state) {
  return std::string(trim(state.substr(state.find(':') + 1)));
}

// One entry per port of every HCA; hosts without InfiniBand have none, which is no fault.
json collect_infiniband(const InventoryRoots& roots) {
  json ports = json::array();
  for (const fs::path& device : subdirectories(roots.sys / "class/infiniband")) {
    for (const fs::path& port : subdirectories(device / "ports")) {
      const auto rate = read_text(port / "rate");
      ports.push_back({
          {"device", device.filename().string()},
          {"port", or_null(parse_number<int>(port.filename().string()))},
          {"rate", or_null(rate)},
          {"rate_gbps", or_null(rate ? rate_gbps(*rate) : std::nullopt)},
          {"state", or_null(read_as(port / "state", port_state))},
          {"link_layer", or_null(read_text(port / "link_layer"))},
      });
    }
  }
  return ports;
}

// ---------------------------------------------------------------------------------------
// Build

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  for (const char c : trim(text)) {
    const bool space = kWhitespace.find(c) != std::string_view::npos;
    if (!space) out += c;
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  return out;
}

// MPICH spreads its report over many tab-padded lines ("MPICH Version:\t4.0.2\n
// MPICH Release date: ..."); the first line names library and version.
json mpi_library_version() {
  std::array<char, MPI_MAX_LIBRARY_VERSION_STRING> text{};
  int length = 0;
  if (MPI_Get_library_version(text.data(), &length) != MPI_SUCCESS) return nullptr;
  const std::string_view report = trim(text.data());
  return collapse_whitespace(report.substr(0, report.find('\n')));
}

json mpi_standard_version() {
  int major = 0;
  int minor = 0;
  if (MPI_Get_version(&major, &minor) != MPI_SUCCESS) return nullptr;
  return fmt::format("{}.{}", major, minor);
}

// yaml-cpp 0.7 exposes no version macro, so it is left out rather than guessed.
// The versions this build was compiled against; CUDA and NCCL only when the build has them.
json library_versions() {
  json versions{
      {"fmt", fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100)},
      {"nlohmann_json", fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR,
                                    NLOHMANN_JSON_VERSION_PATCH)},
  };
#ifdef SCIPERF_CUDA_VERSION
  versions["cuda_toolkit"] = SCIPERF_CUDA_VERSION;
#endif
#ifdef SCIPERF_NCCL_VERSION
  versions["nccl"] = SCIPERF_NCCL_VERSION;
#endif
  return versions;
}

// ---------------------------------------------------------------------------------------
// Text rendering

const json& member(const json& object, const char* key) {
  static const json kAbsent;
  if (!object.is_object()) return kAbsent;
  const auto it = object.find(key);
  return it == object.end() ? kAbsent : *it;
}

std::string show(const json& value) {
  if (value.is_null()) return "?";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::string show_size(const json& bytes) {
  return bytes.is_number_unsigned() ? format_size(bytes.get<std::uint64_t>()) : "?";
}

std::string join(const json& values, std::string_view separator) {
  if (!values.is_array() || values.empty()) return "?";
  std::string out;
  for (const json& value : values) out += (out.empty() ? "" : std::string(separator)) + show(value);
  return out;
}

// A labelled section: the label on the first row only, "none" when there are no rows.
void append_rows(std::string& out, std::string_view label, const std::vector<std::string>& rows) {
  if (rows.empty()) out += fmt::format("{:<11}none\n", label);
  for (std::size_t i = 0; i < rows.size(); ++i) out += fmt::format("{:<11}{}\n", i == 0 ? label : "", rows[i]);
}

template <typename Format>
std::vector<std::string> rows_of(const json& entries, Format format) {
  std::vector<std::string> rows;
  if (entries.is_array())
    for (const json& entry : entries) rows.push_back(format(entry));
  return rows;
}

std::string render_host(const json& host) {
  const json& cpu = member(host, "cpu");
  const json& memory = member(host, "memory");
  const json& os = member(host, "os");
  const json& load = member(host, "load_average");
  std::string out;
  append_rows(out, "Host", {show(member(host, "hostname"))});
  append_rows(out, "CPU", {fmt::format("{} ({}): sockets={} cores={} threads={} mhz={}", show(member(cpu, "model")),
                                       show(member(cpu, "vendor")), show(member(cpu, "sockets")),
                                       show(member(cpu, "physical_cores")), show(member(cpu, "logical_cpus")),
                                       show(member(cpu, "mhz")))});
  append_rows(out, "ISA", {join(member(cpu, "isa"), " ")});
  append_rows(out, "Caches", rows_of(member(host, "caches"), [](const json& cache) {
                return fmt::format("L{} {:<12} {:>9}  shared by {} CPUs", show(member(cache, "level")),
                                   show(member(cache, "type")), show_size(member(cache, "size_bytes")),
                                   show(member(cache, "shared_by_cpus")));
              }));
  append_rows(out, "Memory", {fmt::format("{} total, {} available", show_size(member(memory, "total_bytes")),
                                          show_size(member(memory, "available_bytes")))});
  append_rows(out, "NUMA nodes", {show(member(host, "numa_nodes"))});
  append_rows(out, "OS", {fmt::format("{} (id={} version={}), kernel {}, {}", show(member(os, "pretty_name")),
                                      show(member(os, "id")), show(member(os, "version_id")),
                                      show(member(os, "kernel")), show(member(os, "machine")))});
  append_rows(out, "Load", {fmt::format("{} {} {}", show(member(load, "1min")), show(member(load, "5min")),
                                        show(member(load, "15min")))});
  append_rows(out, "Network", rows_of(member(host, "network"), [](const json& link) {
                const json& speed = member(link, "speed_mbps");
                return fmt::format("{:<12} {:<10} {:<8} mtu {:<6} {:<12} {}", show(member(link, "name")),
                                   show(member(link, "kind")), show(member(link, "operstate")),
                                   show(member(link, "mtu")), speed.is_null() ? "-" : show(speed) + " Mb/s",
                                   show(member(link, "address")));
              }));
  append_rows(out, "InfiniBand", rows_of(member(host, "infiniband"), [](const json& port) {
                return fmt::format("{} port {}: {}, {}, {}", show(member(port, "device")), show(member(port, "port")),
                                   show(member(port, "rate")), show(member(port, "state")),
                                   show(member(port, "link_layer")));
              }));
  const auto notes = rows_of(member(host, "notes"), show);
  if (!notes.empty()) append_rows(out, "Notes", notes);
  return out;
}

std::string render_build(const json& build) {
  const json& libraries = member(build, "libraries");
  json library_list = json::array();
  if (libraries.is_object())
    for (const auto& [name, version] : libraries.items()) library_list.push_back(name + " " + show(version));
  std::string out;
  append_rows(out, "sciperf", {fmt::format("{} (git {}), build type {}", show(member(build, "sciperf_version")),
                                           show(member(build, "git_revision")), show(member(build, "build_type")))});
  append_rows(out, "Compiler", {show(member(build, "compiler"))});
  append_rows(out, "Flags", {show(member(build, "cxx_flags"))});
  append_rows(out, "MPI", {fmt::format("{} (MPI {})", show(member(build, "mpi_library")),
                                       show(member(build, "mpi_version")))});
  append_rows(out, "Libraries", {join(library_list, ", ")});
  return out;
}

}  // namespace

json collect_host_inventory(const InventoryRoots& roots) {
  Notes notes;
  // Braced initialisers evaluate in order, so the notes come out in field order.
  json host{
      {"hostname", read_hostname()},
      {"cpu", collect_cpu(roots, notes)},
      {"caches", collect_caches(roots, notes)},
      {"memory", collect_memory(roots, notes)},
      {"numa_nodes", count_numa_nodes(roots, notes)},
      {"os", collect_os(roots, notes)},
      {"network", collect_network(roots, notes)},
      {"infiniband", collect_infiniband(roots)},
      {"load_average", collect_load_average(roots, notes)},
  };
  host["notes"] = notes;
  return host;
}

json collect_build_inventory() {
  return {
      {"sciperf_version", SCIPERF_VERSION},
      {"git_revision", git_revision()},
      {"compiler", SCIPERF_COMPILER},
      {"build_type", SCIPERF_BUILD_TYPE},
      {"cxx_flags", std::string(trim(SCIPERF_CXX_FLAGS))},
      {"mpi_library", mpi_library_version()},
      {"mpi_version", mpi_standard_version()},
      {"libraries", library_versions()},
  };
}

std::string render_inventory_text(const json& inventory) {
  std::string out;
  if (const json& host = member(inventory, "host"); host.is_object()) out += render_host(host);
  if (const json& build = member(inventory, "build"); build.is_object())
    out += (out.empty() ? "" : "\n") + render_build(build);
  return out;
}

std::optional<std::uint64_t> available_memory_bytes(const InventoryRoots& roots) {
  const auto text = read_text(roots.proc / "meminfo");
  if (!text) return std::nullopt;
  return parse_kernel_size(field(parse_fields(*text, ':'), {"MemAvailable"}));
}

}  // namespace sciperf
