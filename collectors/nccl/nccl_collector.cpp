#include "collectors/nccl/nccl_collector.h"

#include "collectors/nccl/nccl_profiler_api.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <dlfcn.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <system_error>

#ifndef SCIPERF_NCCL_PROFILER_BUILD_PATH
#error "SCIPERF_NCCL_PROFILER_BUILD_PATH names the built plugin (collectors/nccl/CMakeLists.txt)"
#endif

namespace sciperf::collectors {

namespace {

namespace fs = std::filesystem;

constexpr const char* kPluginVariable = "NCCL_PROFILER_PLUGIN";

// A counter name's part from a NCCL name: lower-case letters and digits ("NVLSTree" ->
// "nvlstree", "LL128" -> "ll128"), anything else '_'; "unknown" for an empty name.
std::string name_part(const char* text) {
  std::string part;
  for (const char* c = text; *c; ++c)
    part += std::isalnum(static_cast<unsigned char>(*c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(*c))) : '_';
  return part.empty() ? "unknown" : part;
}

// NCCL_VERSION_CODE as ncclGetVersion gives it: X*10000+Y*100+Z since 2.9, X*1000+Y*100+Z before.
std::string version_text(int code) {
  if (code >= 10000) return fmt::format("{}.{}.{}", code / 10000, code % 10000 / 100, code % 100);
  return fmt::format("{}.{}.{}", code / 1000, code % 1000 / 100, code % 100);
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  return a == b || fs::equivalent(a, b, error);
}

// The plugin's counts, summed over the paths whose counter names coincide.
struct PathCounts {
  std::uint64_t ops = 0;
  std::uint64_t bytes = 0;
  std::uint64_t unsized_ops = 0;
  std::uint32_t channels_min = 0;  // 0: no op gave a channel count
  std::uint32_t channels_max = 0;

  void add(const sciperf_nccl_path& path) {
    ops += path.ops;
    bytes += path.bytes;
    unsized_ops += path.unsized_ops;
    if (path.channels_min > 0) channels_min = channels_min == 0 ? path.channels_min : std::min(channels_min, path.channels_min);
    channels_max = std::max(channels_max, path.channels_max);
  }
  void report(std::vector<Counter>& counters, const std::string& prefix, bool with_bytes) const {
    counters.push_back({prefix + ".ops", static_cast<double>(ops), "count"});
    if (with_bytes && unsized_ops == 0) counters.push_back({prefix + ".bytes", static_cast<double>(bytes), "bytes"});
    if (channels_max > 0) {
      counters.push_back({prefix + ".channels_min", static_cast<double>(channels_min), "count"});
      counters.push_back({prefix + ".channels_max", static_cast<double>(channels_max), "count"});
    }
  }
};

class NcclCollector final : public Collector {
 public:
  explicit NcclCollector(const NcclOptions& options) {
    details_ = nlohmann::json::object();
    reason_ = set_up(options);
  }

  ~NcclCollector() override {
    // Only what this collector set, and only while it is still ours.
    if (owns_variable_) {
      const char* value = std::getenv(kPluginVariable);
      if (value && plugin_path_ == value) ::unsetenv(kPluginVariable);
    }
    if (plugin_) ::dlclose(plugin_);
  }

  NcclCollector(const NcclCollector&) = delete;
  NcclCollector& operator=(const NcclCollector&) = delete;

  std::string_view name() const override { return "nccl"; }
  std::optional<std::string> unavailable_reason() const override { return reason_; }
  nlohmann::json describe() const override { return details_; }

  void begin() override { reset_(); }

  std::vector<Counter> end() override {
    std::vector<sciperf_nccl_path> paths(kSciperfNcclProfilerMaxPaths);
    sciperf_nccl_totals totals{};
    const std::size_t count = std::min(snapshot_(paths.data(), paths.size(), &totals), paths.size());
    std::vector<Counter> counters;
    if (totals.ops == 0 && totals.communicators == 0) return counters;  // no NCCL in this case
    std::map<std::string, PathCounts> by_name;
    PathCounts all;
    for (std::size_t i = 0; i < count; ++i) {
      const sciperf_nccl_path& path = paths[i];
      by_name[fmt::format("nccl.{}.{}.{}", name_part(path.collective), name_part(path.algorithm), name_part(path.protocol))].add(path);
      all.add(path);
    }
    for (const auto& [prefix, counts] : by_name) counts.report(counters, prefix, true);
    all.ops = totals.ops;  // the dropped ones included
    all.report(counters, "nccl", false);
    counters.push_back({"nccl.communicators", static_cast<double>(totals.communicators), "count"});
    if (totals.dropped_ops > 0) counters.push_back({"nccl.dropped_ops", static_cast<double>(totals.dropped_ops), "count"});
    return counters;
  }

 private:
  std::optional<std::string> set_up(const NcclOptions& options) {
    details_["profiler_abi"] = "ncclProfiler_v5 (ncclProfiler_v4 for NCCL before 2.28)";
    if (options.profiler_plugin_env) details_[kPluginVariable] = *options.profiler_plugin_env;
    if (auto reason = find_plugin(options.plugin_candidates)) return reason;
    if (options.profiler_plugin_env) {
      const std::string& value = *options.profiler_plugin_env;
      if (::strcasecmp(value.c_str(), "none") == 0)
        return fmt::format("{}=none turns NCCL's profiler plugins off", kPluginVariable);
      if (!same_file(value, plugin_path_))
        return fmt::format("{} is set to '{}', another profiler plugin (left as it is)", kPluginVariable, value);
    }
    if (auto reason = load_plugin()) return reason;
    if (auto reason = load_nccl(options.nccl_library)) return reason;
    if (!options.profiler_plugin_env) {
      ::setenv(kPluginVariable, plugin_path_.c_str(), 1);
      owns_variable_ = true;
    }
    return std::nullopt;
  }

  std::optional<std::string> find_plugin(const std::vector<std::string>& candidates) {
    for (const std::string& candidate : candidates) {
      std::error_code error;
      if (!fs::is_regular_file(candidate, error)) continue;
      const fs::path absolute = fs::weakly_canonical(fs::absolute(candidate), error);
      plugin_path_ = error ? fs::absolute(candidate).string() : absolute.string();
      details_["plugin"] = plugin_path_;
      return std::nullopt;
    }
    details_["plugin_looked_in"] = candidates;
    return fmt::format("sciperf's NCCL profiler plugin was not found (looked in: {})", fmt::join(candidates, ", "));
  }

  std::optional<std::string> load_plugin() {
    plugin_ = ::dlopen(plugin_path_.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!plugin_) {
      const char* why = ::dlerror();
      return fmt::format("{} cannot be loaded: {}", plugin_path_, why ? why : "dlopen failed");
    }
    const auto version = reinterpret_cast<int (*)()>(::dlsym(plugin_, "sciperf_nccl_profiler_api_version"));
    reset_ = reinterpret_cast<void (*)()>(::dlsym(plugin_, "sciperf_nccl_profiler_reset"));
    snapshot_ = reinterpret_cast<decltype(snapshot_)>(::dlsym(plugin_, "sciperf_nccl_profiler_snapshot"));
    if (!version || !reset_ || !snapshot_ || !::dlsym(plugin_, "ncclProfiler_v5"))
      return fmt::format("{} is not sciperf's NCCL profiler plugin", plugin_path_);
    if (version() != kSciperfNcclProfilerApiVersion)
      return fmt::format("{} is of another sciperf build (interface {}, this sciperf needs {})", plugin_path_, version(),
                         kSciperfNcclProfilerApiVersion);
    return std::nullopt;
  }

  // Kept loaded: the NCCL suites load it anyway, and NCCL is not made to be unloaded.
  std::optional<std::string> load_nccl(const std::string& library) {
    details_["nccl_library"] = library;
    void* nccl = ::dlopen(library.c_str(), RTLD_LAZY | RTLD_LOCAL);
    if (!nccl) {
      const char* why = ::dlerror();
      return fmt::format("{} not found: {}", library, why ? why : "dlopen failed");
    }
    int code = 0;
    if (const auto get_version = reinterpret_cast<int (*)(int*)>(::dlsym(nccl, "ncclGetVersion"));
        get_version && get_version(&code) == 0)
      details_["nccl_version"] = version_text(code);
    return std::nullopt;
  }

  std::optional<std::string> reason_;
  nlohmann::json details_;
  std::string plugin_path_;
  void* plugin_ = nullptr;
  void (*reset_)() = nullptr;
  std::size_t (*snapshot_)(sciperf_nccl_path*, std::size_t, sciperf_nccl_totals*) = nullptr;
  bool owns_variable_ = false;
};

fs::path self_executable() {
  std::error_code error;
  return fs::read_symlink("/proc/self/exe", error);
}

}  // namespace

NcclOptions nccl_options_from_environment() {
  NcclOptions options;
  if (const fs::path exe = self_executable(); !exe.empty())
    options.plugin_candidates.push_back((exe.parent_path() / SCIPERF_NCCL_PROFILER_FROM_BINDIR).lexically_normal().string());
  if (options.plugin_candidates.empty() || !same_file(options.plugin_candidates.front(), SCIPERF_NCCL_PROFILER_BUILD_PATH))
    options.plugin_candidates.push_back(SCIPERF_NCCL_PROFILER_BUILD_PATH);
  // Empty, NCCL reads it as unset.
  if (const char* value = std::getenv(kPluginVariable); value && *value) options.profiler_plugin_env = value;
  return options;
}

std::unique_ptr<Collector> make_nccl_collector(const NcclOptions& options) {
  return std::make_unique<NcclCollector>(options);
}

}  // namespace sciperf::collectors
