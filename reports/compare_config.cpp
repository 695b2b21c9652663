#include "reports/compare_config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace sciperf::reports {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// "12.5 GB/s" → 12.5 and "GB/s"; nullopt when it does not start with a finite number.
std::optional<std::pair<double, std::string_view>> split_number(std::string_view text) {
  text = trim(text);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data() || !std::isfinite(value)) return std::nullopt;
  return std::pair(value, trim(text.substr(static_cast<std::size_t>(end - text.data()))));
}

std::string join_path(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

// Reads one compare section, every problem naming the source and the key.
class SectionReader {
 public:
  // `marks`: whether the YAML's line and column mean anything (not for a bundle's JSON).
  SectionReader(std::string source, bool marks) : source_(std::move(source)), marks_(marks) {}

  CompareConfig read(const YAML::Node& section, const std::string& path) {
    CompareConfig config;
    config.source = source_;
    if (!section || section.IsNull()) return config;
    check_keys(section, path, {"alpha", "threshold", "noise_floor", "metrics", "suites"});
    if (const auto alpha = section["alpha"]) config.alpha = probability(alpha, join_path(path, "alpha"));
    if (const auto threshold = section["threshold"]) config.threshold = percent(threshold, join_path(path, "threshold"));
    if (const auto floor = section["noise_floor"]) read_noise_floor(floor, join_path(path, "noise_floor"), config);
    if (const auto metrics = section["metrics"]) read_metrics(metrics, join_path(path, "metrics"), "*", config);
    if (const auto suites = section["suites"]) read_suites(suites, join_path(path, "suites"), config);
    return config;
  }

 private:
  [[noreturn]] void fail(const YAML::Node& node, std::string_view path, std::string_view what) const {
    const YAML::Mark mark = node.Mark();
    const std::string where = marks_ && !mark.is_null() ? fmt::format("{}:{}:{}", source_, mark.line + 1, mark.column + 1)
                                                        : source_;
    throw CompareConfigError(fmt::format("{}: {}: {}", where, path.empty() ? "(top level)" : path, what));
  }

  void check_map(const YAML::Node& node, std::string_view path) const {
    if (!node.IsMap()) fail(node, path, "expected a mapping");
  }

  void check_keys(const YAML::Node& node, std::string_view path, const std::vector<std::string_view>& allowed) const {
    check_map(node, path);
    for (const auto& member : node) {
      const std::string key = member.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(member.first, join_path(path, key), fmt::format("unknown key (expected one of: {})", fmt::join(allowed, ", ")));
    }
  }

  std::string scalar(const YAML::Node& node, std::string_view path, std::string_view expected) const {
    if (!node.IsScalar()) fail(node, path, fmt::format("expected {}", expected));
    return node.Scalar();
  }

  // The scalar at `node` as `parse` reads it; else "expected WHAT, got \"TEXT\"".
  template <typename Parse>
  auto value(const YAML::Node& node, std::string_view path, std::string_view what, Parse parse) const {
    const std::string text = scalar(node, path, what);
    const auto parsed = parse(text);
    if (!parsed) fail(node, path, fmt::format("expected {}, got \"{}\"", what, text));
    return *parsed;
  }

  double percent(const YAML::Node& node, std::string_view path) const {
    return value(node, path, "a percentage such as 5%", parse_percentage);
  }

  double probability(const YAML::Node& node, std::string_view path) const {
    return value(node, path, "a probability between 0 and 1", [](std::string_view text) -> std::optional<double> {
      const auto number = split_number(text);
      if (!number || !number->second.empty() || !(number->first > 0 && number->first < 1)) return std::nullopt;
      return number->first;
    });
  }

  AbsoluteFloor absolute(const YAML::Node& node, std::string_view path) const {
    return value(node, path, "a value with the unit of the metrics it is for, such as 1us or 0.1GB/s", parse_absolute_floor);
  }

  void read_noise_floor(const YAML::Node& node, const std::string& path, CompareConfig& config) const {
    check_keys(node, path, {"relative", "absolute"});
    if (const auto relative = node["relative"]) config.noise_floor = percent(relative, join_path(path, "relative"));
    const auto absolute = node["absolute"];
    if (!absolute) return;
    const std::string where = join_path(path, "absolute");
    if (!absolute.IsSequence()) {
      config.absolute_floors.push_back(this->absolute(absolute, where));
      return;
    }
    for (std::size_t i = 0; i < absolute.size(); ++i)
      config.absolute_floors.push_back(this->absolute(absolute[i], fmt::format("{}[{}]", where, i)));
  }

  // metric → {threshold: P%}, for `suite` ("*": any).
  void read_metrics(const YAML::Node& node, const std::string& path, const std::string& suite, CompareConfig& config) const {
    check_map(node, path);
    for (const auto& member : node) {
      const std::string metric = member.first.Scalar();
      const std::string where = join_path(path, metric);
      check_keys(member.second, where, {"threshold"});
      if (const auto threshold = member.second["threshold"])
        config.thresholds.push_back({suite, metric, percent(threshold, join_path(where, "threshold"))});
    }
  }

  void read_suites(const YAML::Node& node, const std::string& path, CompareConfig& config) const {
    check_map(node, path);
    for (const auto& member : node) {
      const std::string suite = member.first.Scalar();
      const std::string where = join_path(path, suite);
      check_keys(member.second, where, {"threshold", "metrics"});
      if (const auto threshold = member.second["threshold"])
        config.thresholds.push_back({suite, "*", percent(threshold, join_path(where, "threshold"))});
      if (const auto metrics = member.second["metrics"]) read_metrics(metrics, join_path(where, "metrics"), suite, config);
    }
  }

  std::string source_;
  bool marks_;
};

}  // namespace

std::optional<double> parse_percentage(std::string_view text) {
  const auto number = split_number(text);
  if (!number || number->second != "%" || number->first < 0) return std::nullopt;
  return number->first / 100.0;
}

std::optional<AbsoluteFloor> parse_absolute_floor(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, double>, 4> kTimeUnits{
      {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0}}};
  const auto number = split_number(text);
  if (!number || number->second.empty() || number->first < 0) return std::nullopt;
  for (const auto& [unit, scale] : kTimeUnits)
    if (number->second == unit) return AbsoluteFloor{"s", number->first * scale};
  return AbsoluteFloor{std::string(number->second), number->first};
}

CompareConfig load_compare_config(const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::BadFile&) {
    throw CompareConfigError(fmt::format("{}: cannot read", file));
  } catch (const YAML::Exception& error) {
    throw CompareConfigError(fmt::format("{}:{}:{}: not valid YAML: {}", file, error.mark.line + 1, error.mark.column + 1, error.msg));
  }
  SectionReader reader(file, true);
  const YAML::Node& document = root;  // looked into, never changed (a non-const [] may add a key)
  if (document.IsMap() && document["compare"]) return reader.read(document["compare"], "compare");
  if (document.IsMap() && (document["name"] || document["system"] || document["timing"]))  // no compare key of these
    throw CompareConfigError(fmt::format("{}: a run config without a compare: section; nothing to compare with", file));
  return reader.read(document, "");
}

std::optional<CompareConfig> bundle_compare_config(const Bundle& bundle) {
  const auto section = bundle.config.find("compare");
  if (section == bundle.config.end()) return std::nullopt;
  // JSON is YAML: one reader for both.
  CompareConfig config = SectionReader(bundle.file, false).read(YAML::Load(section->dump()), "sciperf.config.compare");
  config.source = fmt::format("{} (sciperf.config.compare)", bundle.file);
  return config;
}

void apply_compare_config(const CompareConfig& config, CompareSettings& settings) {
  if (config.alpha) settings.alpha = *config.alpha;
  if (config.threshold) settings.noise = *config.threshold;
  if (config.noise_floor) settings.noise_floor = *config.noise_floor;
  std::erase_if(settings.absolute_floors, [&](const AbsoluteFloor& f) {
    return std::any_of(config.absolute_floors.begin(), config.absolute_floors.end(),
                       [&](const AbsoluteFloor& given) { return given.unit == f.unit; });
  });
  settings.absolute_floors.insert(settings.absolute_floors.end(), config.absolute_floors.begin(), config.absolute_floors.end());
  std::erase_if(settings.thresholds, [&](const Threshold& t) {
    return std::any_of(config.thresholds.begin(), config.thresholds.end(),
                       [&](const Threshold& given) { return given.suite == t.suite && given.metric == t.metric; });
  });
  settings.thresholds.insert(settings.thresholds.end(), config.thresholds.begin(), config.thresholds.end());
  if (!config.source.empty()) settings.sources.push_back(config.source);
}

}  // namespace sciperf::reports
