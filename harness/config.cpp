#include "harness/config.h"

#include "harness/edit_distance.h"
#include "harness/suite.h"
#include "harness/units.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace sciperf {

std::string_view to_string(TimingMode mode) { return mode == TimingMode::isolated ? "isolated" : "pipelined"; }

std::string_view to_string(CollectorMode mode) {
  switch (mode) {
    case CollectorMode::enabled: return "enabled";
    case CollectorMode::disabled: return "disabled";
    case CollectorMode::required: return "required";
  }
  return "?";
}

std::string_view to_string(LauncherType type) {
  switch (type) {
    case LauncherType::local: return "local";
    case LauncherType::mpiexec: return "mpiexec";
    case LauncherType::srun: return "srun";
    case LauncherType::command_template: return "template";
  }
  return "?";
}

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(fmt::format("{}", fmt::join(problems, "\n"))), problems_(std::move(problems)) {}

namespace {

constexpr std::size_t kMaxRangeValues = 10'000;
constexpr std::int64_t kMaxRanks = 1 << 24;
constexpr std::size_t kMaxSweepValues = 100'000;  // parameter values in all the sweeps together
constexpr std::size_t kMaxClusters = 4096;  // cluster configurations one system block may describe
constexpr const char* kSampleInterval = "sample_interval";  // the one `collectors:` key that is not a collector
constexpr double kMinSampleInterval = 1e-3;
constexpr const char* kProfileOperations = "profile_operations";  // operations in a profiling pass

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 3;  // farther than two edits is not a typo
  for (const std::string& candidate : candidates) {
    // The distance is at least the difference in length: a long word costs nothing.
    const std::size_t shortest = std::min(word.size(), candidate.size());
    if (std::max(word.size(), candidate.size()) - shortest >= best_distance) continue;
    std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best.empty() ? "" : fmt::format("; did you mean '{}'?", best);
}

// Where `text` stops being valid UTF-8, by the rules the result bundle's JSON writer applies
// (no overlong forms, surrogates or code points past U+10FFFF); npos when it is valid.
std::size_t invalid_utf8_at(std::string_view text) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = byte(i);
    std::size_t length = 1;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead < 0x80) length = 1;
    else if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) length = 3, low = lead == 0xE0 ? 0xA0 : 0x80, high = lead == 0xED ? 0x9F : 0xBF;
    else if (lead >= 0xF0 && lead <= 0xF4) length = 4, low = lead == 0xF0 ? 0x90 : 0x80, high = lead == 0xF4 ? 0x8F : 0xBF;
    else return i;
    if (length > 1) {
      if (text.size() - i < length || byte(i + 1) < low || byte(i + 1) > high) return i;
      for (std::size_t k = 2; k < length; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

bool valid_env_name(std::string_view name) {
  auto word = [](char c) { return c == '_' || std::isalnum(static_cast<unsigned char>(c)); };
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) && std::all_of(name.begin(), name.end(), word);
}

// YAML as JSON, every scalar a string: a section the harness keeps for another command to read.
nlohmann::json yaml_as_json(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  nlohmann::json out = node.IsSequence() ? nlohmann::json::array() : node.IsMap() ? nlohmann::json::object() : nlohmann::json();
  for (const auto& item : node) {
    if (node.IsSequence()) out.push_back(yaml_as_json(item));
    else out[item.first.Scalar()] = yaml_as_json(item.second);
  }
  return out;
}

nlohmann::json timing_json(const TimingConfig& timing) {
  return {{"mode", to_string(timing.mode)},     {"warmup", timing.warmup_iterations},
          {"min_time_s", timing.min_time},      {"repetitions", timing.repetitions},
          {"max_iterations", timing.max_iterations}, {"timeout_s", timing.timeout}};
}

// Reads one YAML document into the config model, collecting every problem on the way.
class ConfigReader {
 public:
  ConfigReader(std::string source, const SuiteRegistry& registry) : source_(std::move(source)), registry_(registry) {}

  Config read(const YAML::Node& root) {
    Config config;
    config.source = source_;
    if (!root.IsMap()) {
      problem(root, "", "expected a mapping with keys name, system, timing, suites");
      throw ConfigError(problems_);
    }
    check_keys(root, "", {"name", "description", "system", "timing", "output", "collectors", "suites", "compare"});
    config.name = text(root["name"], "name", "");
    config.description = text(root["description"], "description", "");
    config.output_dir = text(root["output"], "output", config.output_dir);
    config.clusters = root["system"] ? read_clusters(root["system"], "system") : std::vector<SystemConfig>{SystemConfig{}};
    config.system = config.clusters.front();
    if (root["timing"]) config.timing = read_timing(root["timing"], "timing", config.timing);
    if (root["collectors"]) read_collectors(root["collectors"], "collectors", config);
    if (root["compare"]) config.compare = yaml_as_json(root["compare"]);
    read_sweeps(root["suites"], "suites", config);
    if (!problems_.empty()) throw ConfigError(problems_);
    config.resolved = resolve_config(config);
    return config;
  }

  void problem(const YAML::Node& node, std::string_view path, std::string_view message) {
    problems_.push_back(fmt::format("{}: {}{}", locate(node), path.empty() ? "" : fmt::format("{}: ", path), message));
  }

  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::string locate(const YAML::Node& node) const {
    YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
    if (mark.is_null()) return source_;
    return fmt::format("{}:{}:{}", source_, mark.line + 1, mark.column + 1);
  }

  static SourceLocation where(const YAML::Node& node) {
    YAML::Mark mark = node.Mark();
    if (mark.is_null()) return {};
    return {mark.line + 1, mark.column + 1};
  }

  static std::string join_path(std::string_view parent, std::string_view key) {
    return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
  }

  void check_keys(const YAML::Node& map, std::string_view path, const std::vector<std::string>& allowed) {
    for (const auto& item : map) {
      std::string key = item.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      problem(item.first, join_path(path, key),
              fmt::format("unknown key (expected one of: {}){}", fmt::join(allowed, ", "), did_you_mean(key, allowed)));
    }
  }

  bool expect_scalar(const YAML::Node& node, std::string_view path, std::string_view what) {
    if (node.IsScalar()) return true;
    problem(node, path, fmt::format("expected {}, got a {}", what, node.IsSequence() ? "list" : "mapping"));
    return false;
  }

  std::string text(const YAML::Node& node, std::string_view path, std::string fallback) {
    if (!node) return fallback;
    if (!expect_scalar(node, path, "a string")) return fallback;
    return node.Scalar();
  }

  std::optional<std::int64_t> integer(const YAML::Node& node, std::string_view path, std::int64_t min, std::int64_t max) {
    if (!expect_scalar(node, path, "an integer")) return std::nullopt;
    std::int64_t value = 0;
    if (!YAML::convert<std::int64_t>::decode(node, value)) {
      problem(node, path, fmt::format("expected an integer, got '{}'", node.Scalar()));
      return std::nullopt;
    }
    if (value < min || value > max) {
      problem(node, path, fmt::format("{} is out of range (expected {} to {})", value, min, max));
      return std::nullopt;
    }
    return value;
  }

  template <typename T>
  void set_integer(const YAML::Node& map, const std::string& key, std::string_view parent, T& target, std::int64_t min,
                   std::int64_t max) {
    if (!map[key]) return;
    if (auto value = integer(map[key], join_path(parent, key), min, max)) target = static_cast<T>(*value);
  }

  std::optional<double> positive_number(const YAML::Node& node, std::string_view path) {
    if (!expect_scalar(node, path, "a number")) return std::nullopt;
    double value = 0;
    if (!YAML::convert<double>::decode(node, value) || !std::isfinite(value) || value <= 0) {
      problem(node, path, fmt::format("expected a positive number, got '{}'", node.Scalar()));
      return std::nullopt;
    }
    return value;
  }

  std::optional<double> duration(const YAML::Node& node, std::string_view path) {
    if (!expect_scalar(node, path, "a duration")) return std::nullopt;
    auto seconds = parse_duration(node.Scalar());
    if (!seconds) problem(node, path, fmt::format("expected a duration like 10s or 250ms, got '{}'", node.Scalar()));
    return seconds;
  }

  void set_positive_duration(const YAML::Node& map, const std::string& key, std::string_view parent, double& target) {
    if (!map[key]) return;
    auto seconds = duration(map[key], join_path(parent, key));
    if (!seconds) return;
    if (*seconds <= 0) problem(map[key], join_path(parent, key), "must be greater than zero");
    else target = *seconds;
  }

  std::vector<std::string> string_list(const YAML::Node& node, std::string_view path) {
    std::vector<std::string> out;
    if (!node) return out;
    if (!node.IsSequence()) {
      problem(node, path, "expected a list of strings");
      return out;
    }
    for (std::size_t i = 0; i < node.size(); ++i)
      if (expect_scalar(node[i], fmt::format("{}[{}]", path, i), "a string")) out.push_back(node[i].Scalar());
    return out;
  }

  TimingConfig read_timing(const YAML::Node& node, std::string_view path, TimingConfig timing) {
    if (!node.IsMap()) {
      problem(node, path, "expected a mapping (mode, warmup, min_time, repetitions, max_iterations, timeout)");
      return timing;
    }
    check_keys(node, path, {"mode", "warmup", "min_time", "repetitions", "max_iterations", "timeout"});
    if (node["mode"]) {
      std::string mode = text(node["mode"], join_path(path, "mode"), "");
      if (mode == "pipelined") timing.mode = TimingMode::pipelined;
      else if (mode == "isolated") timing.mode = TimingMode::isolated;
      else problem(node["mode"], join_path(path, "mode"), fmt::format("expected pipelined or isolated, got '{}'", mode));
    }
    set_integer(node, "warmup", path, timing.warmup_iterations, 0, 1'000'000);
    set_integer(node, "repetitions", path, timing.repetitions, 1, 1000);
    // Isolated mode keeps every operation's time: the cap bounds that memory too.
    set_integer(node, "max_iterations", path, timing.max_iterations, 1, 1'000'000'000);
    set_positive_duration(node, "min_time", path, timing.min_time);
    set_positive_duration(node, "timeout", path, timing.timeout);
    return timing;
  }

  LauncherConfig read_launcher(const YAML::Node& node, std::string_view path) {
    LauncherConfig launcher;
    if (!node.IsMap()) {
      problem(node, path, "expected a mapping (type, command, args, env, hosts, hostfile, batch_args)");
      return launcher;
    }
    check_keys(node, path, {"type", "command", "args", "env", "hosts", "hostfile", "batch_args", "template"});
    if (node["type"]) {
      std::string type = text(node["type"], join_path(path, "type"), "");
      if (type == "local") launcher.type = LauncherType::local;
      else if (type == "mpiexec") launcher.type = LauncherType::mpiexec;
      else if (type == "srun") launcher.type = LauncherType::srun;
      else if (type == "template") launcher.type = LauncherType::command_template;
      else
        problem(node["type"], join_path(path, "type"), fmt::format("expected local, mpiexec, srun or template, got '{}'", type));
    }
    launcher.command = text(node["command"], join_path(path, "command"), "");
    launcher.args = string_list(node["args"], join_path(path, "args"));
    launcher.hosts = string_list(node["hosts"], join_path(path, "hosts"));
    launcher.batch_args = string_list(node["batch_args"], join_path(path, "batch_args"));
    launcher.command_template = string_list(node["template"], join_path(path, "template"));
    check_template(launcher, node, join_path(path, "template"));
    launcher.hostfile = text(node["hostfile"], join_path(path, "hostfile"), "");
    if (const YAML::Node env = node["env"]) {
      if (!env.IsMap()) problem(env, join_path(path, "env"), "expected a mapping of variable names to values");
      else
        for (const auto& item : env) {
          const std::string name = item.first.Scalar();
          const std::string item_path = join_path(join_path(path, "env"), name);
          if (!valid_env_name(name)) problem(item.first, item_path, "not a valid environment variable name");
          else if (expect_scalar(item.second, item_path, "a string")) launcher.env[name] = item.second.Scalar();
        }
    }
    return launcher;
  }

  // Collector names with their modes, and `sample_interval` (how often gauges are sampled
  // during a measured region; absent: read at case boundaries only).
  void read_collectors(const YAML::Node& node, std::string_view path, Config& config) {
    if (!node.IsMap()) {
      problem(node, path, "expected a mapping of collector names to enabled, disabled or required");
      return;
    }
    std::vector<std::string> keys = builtin_collector_names();
    keys.push_back(kSampleInterval);
    keys.push_back(kProfileOperations);
    check_keys(node, path, keys);
    for (const auto& item : node) {
      const std::string name = item.first.Scalar();
      if (name == kSampleInterval || name == kProfileOperations) continue;
      const std::string item_path = join_path(path, name);
      if (item.second.IsMap()) read_collector_options(name, item.second, item_path, config);
      else read_collector_mode(name, item.second, item_path, config);
    }
    set_positive_duration(node, kSampleInterval, path, config.collector_sample_interval);
    set_integer(node, kProfileOperations, path, config.collector_profile_operations, 1, 1'000'000);
    // Finer than this, the sampling thread competes with the case it measures.
    if (config.collector_sample_interval > 0 && config.collector_sample_interval < kMinSampleInterval)
      problem(node[kSampleInterval], join_path(path, kSampleInterval), "must be at least 1ms");
  }

  void read_collector_mode(const std::string& name, const YAML::Node& node, const std::string& path, Config& config) {
    const std::string mode = text(node, path, "");
    if (mode == "enabled") config.collectors[name] = CollectorMode::enabled;
    else if (mode == "disabled") config.collectors[name] = CollectorMode::disabled;
    else if (mode == "required") config.collectors[name] = CollectorMode::required;
    else problem(node, path, fmt::format("expected enabled, disabled or required, got '{}'", mode));
  }

  // `name: {mode: ..., <the collector's own keys>}`: the collector checks its keys, and the
  // problems are located at the key they name.
  void read_collector_options(const std::string& name, const YAML::Node& node, const std::string& path, Config& config) {
    nlohmann::json options = nlohmann::json::object();
    for (const auto& item : node) {
      const std::string key = item.first.Scalar();
      if (key == "mode") read_collector_mode(name, item.second, join_path(path, key), config);
      else options[key] = yaml_as_json(item.second);
    }
    for (const OptionProblem& issue : check_collector_options(name, options)) {
      const std::string key = issue.key.substr(0, issue.key.find('['));
      problem(node[key] ? node[key] : node, join_path(path, issue.key), issue.message);
    }
    if (!options.empty()) config.collector_options[name] = std::move(options);
  }

  // One integer or a list of them (a sweep over cluster configurations).
  std::vector<int> integer_choices(const YAML::Node& map, const std::string& key, std::string_view parent, int fallback,
                                   std::int64_t min, std::int64_t max) {
    const YAML::Node node = map[key];
    if (!node) return {fallback};
    const std::string path = join_path(parent, key);
    std::vector<int> values;
    if (node.IsSequence()) {
      if (node.size() == 0) problem(node, path, "an empty list leaves no cluster configuration");
      for (std::size_t i = 0; i < node.size(); ++i)
        if (auto value = integer(node[i], fmt::format("{}[{}]", path, i), min, max)) values.push_back(static_cast<int>(*value));
    } else if (auto value = integer(node, path, min, max)) {
      values.push_back(static_cast<int>(*value));
    }
    return values.empty() ? std::vector<int>{fallback} : values;
  }

  // The cluster configurations a `system` block describes: one, or the cartesian product of
  // its listed shape values (nodes x ranks_per_node x devices_per_rank x threads_per_rank).
  std::vector<SystemConfig> read_clusters(const YAML::Node& node, std::string_view path) {
    SystemConfig base;
    if (!node.IsMap()) {
      problem(node, path, "expected a mapping (name, nodes, ranks_per_node, devices_per_rank, threads_per_rank, price, launcher)");
      return {base};
    }
    check_keys(node, path, {"name", "nodes", "ranks_per_node", "devices_per_rank", "threads_per_rank", "price", "launcher"});
    base.name = text(node["name"], join_path(path, "name"), "");
    if (node["price"]) base.price = positive_number(node["price"], join_path(path, "price"));
    if (node["launcher"]) base.launcher = read_launcher(node["launcher"], join_path(path, "launcher"));
    // Each list read once (its problems reported once), and the product bounded before it is built.
    const std::vector<int> node_counts = integer_choices(node, "nodes", path, base.nodes, 1, 1'000'000);
    const std::vector<int> rank_counts = integer_choices(node, "ranks_per_node", path, base.ranks_per_node, 1, 4096);
    const std::vector<int> device_counts = integer_choices(node, "devices_per_rank", path, base.devices_per_rank, 0, 64);
    const std::vector<int> thread_counts = integer_choices(node, "threads_per_rank", path, base.threads_per_rank, 1, 4096);
    const double combinations = static_cast<double>(node_counts.size()) * static_cast<double>(rank_counts.size()) *
                                static_cast<double>(device_counts.size()) * static_cast<double>(thread_counts.size());
    if (combinations > kMaxClusters) {
      problem(node, path, fmt::format("the lists describe {:.0f} cluster configurations; at most {}", combinations, kMaxClusters));
      return {base};
    }
    std::vector<SystemConfig> clusters;
    for (int nodes : node_counts)
      for (int ranks_per_node : rank_counts)
        for (int devices : device_counts)
          for (int threads : thread_counts) {
            SystemConfig system = base;
            system.nodes = nodes;
            system.ranks_per_node = ranks_per_node;
            system.devices_per_rank = devices;
            system.threads_per_rank = threads;
            if (check_shape(system, node, path)) clusters.push_back(system);
          }
    return clusters.empty() ? std::vector<SystemConfig>{base} : clusters;
  }

  void check_template(const LauncherConfig& launcher, const YAML::Node& node, const std::string& path) {
    const bool wanted = launcher.type == LauncherType::command_template;
    if (wanted && launcher.command_template.empty()) {
      problem(node, path, "launcher type 'template' needs a template: the launcher's arguments, e.g. [flux, run, -N, '{nodes}', -n, '{ranks}']");
      return;
    }
    if (!wanted && !launcher.command_template.empty()) problem(node["template"], path, "only used with launcher type 'template'");
    std::vector<std::string> known;
    for (const auto& [name, value] : template_values(SystemConfig{})) known.push_back("{" + name + "}");
    for (std::size_t i = 0; i < launcher.command_template.size(); ++i) {
      const std::string& word = launcher.command_template[i];
      for (std::size_t open = word.find('{'); open != std::string::npos; open = word.find('{', open + 1)) {
        const std::size_t close = word.find('}', open);
        const std::string placeholder = word.substr(open, close == std::string::npos ? std::string::npos : close - open + 1);
        if (std::find(known.begin(), known.end(), placeholder) == known.end())
          problem(node["template"][i], fmt::format("{}[{}]", path, i),
                  fmt::format("unknown placeholder '{}' (known: {})", placeholder, fmt::join(known, ", ")));
      }
    }
  }

  bool check_shape(const SystemConfig& system, const YAML::Node& node, std::string_view path) {
    if (static_cast<std::int64_t>(system.nodes) * system.ranks_per_node > kMaxRanks) {
      problem(node, path, fmt::format("nodes x ranks_per_node exceeds {} ranks", kMaxRanks));
      return false;
    }
    if (system.launcher.type == LauncherType::local && system.ranks() > 1) {
      problem(node, path,
              fmt::format("launcher 'local' runs one rank, but nodes x ranks_per_node = {}; use mpiexec or srun",
                          system.ranks()));
      return false;
    }
    return true;
  }

  std::optional<ParamValue> scalar_value(const ParamSpec& spec, const YAML::Node& node, std::string_view path) {
    if (!expect_scalar(node, path, fmt::format("a {}", to_string(spec.kind)))) return std::nullopt;
    const std::string& raw = node.Scalar();
    std::optional<ParamValue> value;
    double numeric = 0;
    switch (spec.kind) {
      case ParamKind::integer: {
        std::int64_t v = 0;
        if (YAML::convert<std::int64_t>::decode(node, v)) value = v, numeric = static_cast<double>(v);
        break;
      }
      case ParamKind::size:
        if (auto v = parse_size(raw); v && *v <= static_cast<std::uint64_t>(INT64_MAX))
          value = static_cast<std::int64_t>(*v), numeric = static_cast<double>(*v);
        break;
      case ParamKind::real: {
        double v = 0;
        if (YAML::convert<double>::decode(node, v) && std::isfinite(v)) value = v, numeric = v;
        break;
      }
      case ParamKind::duration:
        if (auto v = parse_duration(raw)) value = *v, numeric = *v;
        break;
      case ParamKind::boolean: {
        bool v = false;
        if (raw == "true" || raw == "false") v = raw == "true", value = v;
        break;
      }
      case ParamKind::text:
        if (spec.choices.empty() || std::find(spec.choices.begin(), spec.choices.end(), raw) != spec.choices.end())
          value = raw;
        else {
          problem(node, path,
                  fmt::format("'{}' is not one of: {}{}", raw, fmt::join(spec.choices, ", "), did_you_mean(raw, spec.choices)));
          return std::nullopt;
        }
        break;
    }
    if (!value) {
      problem(node, path, fmt::format("expected a {}{}, got '{}'", to_string(spec.kind), example_of(spec.kind), raw));
      return std::nullopt;
    }
    if ((spec.min && numeric < *spec.min) || (spec.max && numeric > *spec.max)) {
      problem(node, path, fmt::format("{} is out of range ({})", raw, bounds_of(spec)));
      return std::nullopt;
    }
    return value;
  }

  static std::string example_of(ParamKind kind) {
    switch (kind) {
      case ParamKind::size: return " like 8, 64KiB or 1.5GB";
      case ParamKind::duration: return " like 10s or 250ms";
      case ParamKind::boolean: return " (true or false)";
      default: return "";
    }
  }

  static std::string bounds_of(const ParamSpec& spec) {
    auto show = [&](double v) {
      return format_param(spec.kind, spec.kind == ParamKind::real || spec.kind == ParamKind::duration
                                         ? ParamValue(v)
                                         : ParamValue(static_cast<std::int64_t>(v)));
    };
    if (spec.min && spec.max) return fmt::format("expected {} to {}", show(*spec.min), show(*spec.max));
    if (spec.min) return fmt::format("expected at least {}", show(*spec.min));
    return fmt::format("expected at most {}", show(*spec.max));
  }

  static double as_number(const ParamValue& value) {
    if (auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
    return std::get<double>(value);
  }

  static ParamValue from_number(ParamKind kind, double v) {
    if (kind == ParamKind::integer || kind == ParamKind::size) return static_cast<std::int64_t>(std::llround(v));
    return v;
  }

  // {from, to, factor} (geometric) or {from, to, step} (arithmetic), both ends inclusive.
  std::vector<ParamValue> range_values(const ParamSpec& spec, const YAML::Node& node, std::string_view path) {
    check_keys(node, path, {"from", "to", "factor", "step"});
    if (spec.kind == ParamKind::text || spec.kind == ParamKind::boolean) {
      problem(node, path, fmt::format("a range needs a numeric parameter; '{}' is a {}", spec.name, to_string(spec.kind)));
      return {};
    }
    if (!node["from"] || !node["to"] || (node["factor"].IsDefined() == node["step"].IsDefined())) {
      problem(node, path, "a range needs from, to, and exactly one of factor or step");
      return {};
    }
    auto from = scalar_value(spec, node["from"], join_path(path, "from"));
    auto to = scalar_value(spec, node["to"], join_path(path, "to"));
    const bool geometric = node["factor"].IsDefined();
    ParamSpec number_spec{"", geometric ? ParamKind::real : spec.kind, 0.0, "", {}, {}, {}};
    std::string stride_key = geometric ? "factor" : "step";
    auto stride = scalar_value(number_spec, node[stride_key], join_path(path, stride_key));
    if (!from || !to || !stride) return {};
    const double first = as_number(*from), last = as_number(*to), by = as_number(*stride);
    if (first > last) {
      problem(node, path, "from must not exceed to");
      return {};
    }
    if ((geometric && (by <= 1 || first <= 0)) || (!geometric && by <= 0)) {
      problem(node[stride_key], join_path(path, stride_key),
              geometric ? "factor must be greater than 1 (and from positive)" : "step must be greater than zero");
      return {};
    }
    std::vector<ParamValue> values;
    for (double v = first; v <= last * (1 + 1e-12); v = geometric ? v * by : v + by) {
      if (values.size() == kMaxRangeValues) {
        problem(node, path, fmt::format("range yields more than {} values", kMaxRangeValues));
        return {};
      }
      values.push_back(from_number(spec.kind, v));
    }
    return values;
  }

  std::optional<SweepAxis> read_axis(const ParamSpec& spec, const YAML::Node& node, std::string_view path) {
    SweepAxis axis{spec.name, spec.kind, {}, where(node)};
    if (node.IsMap()) {
      axis.values = range_values(spec, node, path);
    } else if (node.IsSequence()) {
      if (node.size() == 0) problem(node, path, "an empty list leaves nothing to run");
      for (std::size_t i = 0; i < node.size(); ++i)
        if (auto value = scalar_value(spec, node[i], fmt::format("{}[{}]", path, i))) axis.values.push_back(*value);
    } else if (auto value = scalar_value(spec, node, path)) {
      axis.values.push_back(*value);
    }
    if (axis.values.empty()) return std::nullopt;
    return axis;
  }

  void read_zip(const YAML::Node& node, std::string_view path, Sweep& sweep) {
    if (!node.IsSequence()) {
      problem(node, path, "expected a list of parameter groups, e.g. [[bytes, dtype]]");
      return;
    }
    std::set<std::string> zipped;
    for (std::size_t g = 0; g < node.size(); ++g) {
      std::string group_path = fmt::format("{}[{}]", path, g);
      std::vector<std::string> group = string_list(node[g], group_path);
      std::optional<std::size_t> length;
      for (const std::string& name : group) {
        auto axis = std::find_if(sweep.axes.begin(), sweep.axes.end(), [&](const SweepAxis& a) { return a.name == name; });
        if (axis == sweep.axes.end()) {
          problem(node[g], group_path, fmt::format("'{}' is not a parameter set in params", name));
          continue;
        }
        if (!zipped.insert(name).second) problem(node[g], group_path, fmt::format("'{}' is zipped twice", name));
        if (length && *length != axis->values.size())
          problem(node[g], group_path,
                  fmt::format("zipped parameters need lists of equal length; '{}' has {} values, expected {}", name,
                              axis->values.size(), *length));
        length = axis->values.size();
      }
      if (group.size() < 2) problem(node[g], group_path, "a zip group needs at least two parameters");
      sweep.zip.push_back(std::move(group));
    }
  }

  void read_sweeps(const YAML::Node& node, std::string_view path, Config& config) {
    if (!node || !node.IsSequence() || node.size() == 0) {
      problem(node, path, "expected a non-empty list of sweeps, each '- suite: NAME' with params");
      return;
    }
    std::size_t values = 0;
    for (std::size_t i = 0; i < node.size(); ++i) {
      const YAML::Node entry = node[i];
      std::string entry_path = fmt::format("{}[{}]", path, i);
      if (!entry.IsMap()) {
        problem(entry, entry_path, "expected a mapping with keys suite, params, zip, timing");
        continue;
      }
      check_keys(entry, entry_path, {"suite", "params", "zip", "timing"});
      Sweep sweep;
      sweep.where = where(entry);
      sweep.suite = text(entry["suite"], join_path(entry_path, "suite"), "");
      const Suite* suite = registry_.find(sweep.suite);
      if (!suite) {
        std::vector<std::string> names;
        for (const Suite* s : registry_.all()) names.emplace_back(s->name());
        problem(entry["suite"].IsDefined() ? entry["suite"] : entry, join_path(entry_path, "suite"),
                fmt::format("unknown suite '{}' (available: {}){}", sweep.suite, fmt::join(names, ", "),
                            did_you_mean(sweep.suite, names)));
        continue;
      }
      sweep.timing = entry["timing"] ? read_timing(entry["timing"], join_path(entry_path, "timing"), config.timing)
                                     : config.timing;
      read_params(*suite, entry["params"], join_path(entry_path, "params"), sweep);
      if (entry["zip"]) read_zip(entry["zip"], join_path(entry_path, "zip"), sweep);
      for (const SweepAxis& axis : sweep.axes) values += axis.values.size();
      config.sweeps.push_back(std::move(sweep));
      // YAML aliases repeat a sweep for free; each copy costs memory here.
      if (values > kMaxSweepValues) {
        problem(entry, entry_path, fmt::format("the sweeps set more than {} parameter values in all", kMaxSweepValues));
        return;
      }
    }
  }

  void read_params(const Suite& suite, const YAML::Node& node, std::string_view path, Sweep& sweep) {
    if (!node) return;
    if (!node.IsMap()) {
      problem(node, path, "expected a mapping of parameter names to values, lists or ranges");
      return;
    }
    std::vector<std::string> names;
    for (const ParamSpec& spec : suite.params()) names.push_back(spec.name);
    check_keys(node, path, names);
    for (const ParamSpec& spec : suite.params())
      if (const YAML::Node value = node[spec.name])
        if (auto axis = read_axis(spec, value, join_path(path, spec.name))) sweep.axes.push_back(std::move(*axis));
  }


  std::string source_;
  const SuiteRegistry& registry_;
  std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::pair<std::string, int>> template_values(const SystemConfig& system) {
  return {{"nodes", system.nodes},
          {"ranks", system.ranks()},
          {"ranks_per_node", system.ranks_per_node},
          {"devices_per_rank", system.devices_per_rank},
          {"threads_per_rank", system.threads_per_rank}};
}

std::string cluster_name(const SystemConfig& system) {
  return fmt::format("n{}-r{}-g{}-t{}", system.nodes, system.ranks_per_node, system.devices_per_rank,
                     system.threads_per_rank);
}

nlohmann::json resolve_config(const Config& config) {
  const SystemConfig& system = config.system;
  std::vector<std::string> cluster_names;
  for (const SystemConfig& cluster : config.clusters) cluster_names.push_back(cluster_name(cluster));
  nlohmann::json collector_modes = nlohmann::json::object();
  for (const auto& [name, mode] : config.collectors) collector_modes[name] = to_string(mode);
  if (config.collector_sample_interval > 0) collector_modes["sample_interval_s"] = config.collector_sample_interval;
  collector_modes[kProfileOperations] = config.collector_profile_operations;
  for (const auto& [name, options] : config.collector_options) {
    nlohmann::json entry = options;
    entry["mode"] = collector_modes.value(name, "enabled");
    collector_modes[name] = std::move(entry);
  }
  nlohmann::json sweeps = nlohmann::json::array();
  for (const Sweep& sweep : config.sweeps) {
    nlohmann::json params = nlohmann::json::object();
    for (const SweepAxis& axis : sweep.axes) {
      nlohmann::json values = nlohmann::json::array();
      for (const ParamValue& value : axis.values) values.push_back(param_to_json(value));
      params[axis.name] = values;
    }
    sweeps.push_back({{"suite", sweep.suite}, {"params", params}, {"zip", sweep.zip}, {"timing", timing_json(sweep.timing)}});
  }
  nlohmann::json resolved = {{"source", config.source},
          {"name", config.name},
          {"description", config.description},
          {"output", config.output_dir},
          {"system",
           {{"name", system.name},
            {"nodes", system.nodes},
            {"ranks_per_node", system.ranks_per_node},
            {"devices_per_rank", system.devices_per_rank},
            {"threads_per_rank", system.threads_per_rank},
            {"price", system.price ? nlohmann::json(*system.price) : nlohmann::json(nullptr)},
            {"launcher",
             {{"type", to_string(system.launcher.type)},
              {"command", system.launcher.command},
              {"args", system.launcher.args},
              {"env", system.launcher.env},
              {"hosts", system.launcher.hosts},
              {"hostfile", system.launcher.hostfile},
              {"batch_args", system.launcher.batch_args},
              {"template", system.launcher.command_template}}}}},
          {"cluster", cluster_name(system)},
          {"clusters", cluster_names},
          {"timing", timing_json(config.timing)},
          {"collectors", collector_modes},
          {"suites", sweeps}};
  if (!config.compare.is_null()) resolved["compare"] = config.compare;
  return resolved;
}


void select_cluster(Config& config, const std::string& name) {
  std::vector<std::string> names;
  for (const SystemConfig& cluster : config.clusters) {
    if (cluster_name(cluster) == name) {
      config.system = cluster;
      config.resolved = resolve_config(config);
      return;
    }
    names.push_back(cluster_name(cluster));
  }
  throw ConfigError({fmt::format("{}: no cluster configuration '{}' (the config has: {})", config.source, name,
                                 fmt::join(names, ", "))});
}

Config parse_config(const std::string& yaml_text, const std::string& source, const SuiteRegistry& registry) {
  // yaml-cpp passes bytes that are not UTF-8 through into strings, which the result bundle
  // (JSON) then cannot hold.
  if (const std::size_t bad = invalid_utf8_at(yaml_text); bad != std::string_view::npos) {
    const std::size_t line_start = bad == 0 ? std::string::npos : yaml_text.rfind('\n', bad - 1);
    const std::size_t column = line_start == std::string::npos ? bad + 1 : bad - line_start;
    throw ConfigError({fmt::format("{}:{}:{}: not valid UTF-8 (byte 0x{:02X}); a config is UTF-8 text", source,
                                   std::count(yaml_text.begin(), yaml_text.begin() + static_cast<std::ptrdiff_t>(bad), '\n') + 1,
                                   column, static_cast<unsigned char>(yaml_text[bad]))});
  }
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& error) {
    throw ConfigError({fmt::format("{}:{}:{}: YAML syntax error: {}", source, error.mark.line + 1, error.mark.column + 1,
                                   error.msg)});
  }
  return ConfigReader(source, registry).read(root);
}

Config load_config(const std::filesystem::path& path, const SuiteRegistry& registry) {
  std::ifstream in(path);
  if (!in) throw ConfigError({fmt::format("{}: cannot read the config file", path.string())});
  std::stringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path.string(), registry);
}

}  // namespace sciperf
