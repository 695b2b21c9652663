#include "reports/bundle_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sciperf::reports {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// One value of the document with its path ("sciperf.cases[3].metrics.busbw"), so that
// every complaint can say exactly where it is.
class Field {
 public:
  Field(const json& value, std::string path, const std::string& file)
      : value_(value), path_(std::move(path)), file_(file) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw BundleError(fmt::format("{}: {}: {}", file_, path_.empty() ? "(top level)" : path_, what));
  }

  const json& value() const { return value_; }
  const std::string& path() const { return path_; }

  std::optional<Field> find(std::string_view key) const {
    require(json::value_t::object, "an object");
    const auto it = value_.find(std::string(key));
    if (it == value_.end()) return std::nullopt;
    return Field(*it, path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key), file_);
  }
  Field operator[](std::string_view key) const {
    if (auto member = find(key)) return *member;
    Field(value_, path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key), file_).fail("missing");
  }

  std::vector<Field> elements() const {
    require(json::value_t::array, "an array");
    std::vector<Field> out;
    for (std::size_t i = 0; i < value_.size(); ++i) out.emplace_back(value_[i], fmt::format("{}[{}]", path_, i), file_);
    return out;
  }
  std::vector<std::pair<std::string, Field>> members() const {
    require(json::value_t::object, "an object");
    std::vector<std::pair<std::string, Field>> out;
    for (const auto& [key, member] : value_.items())
      out.emplace_back(key, Field(member, fmt::format("{}.{}", path_, key), file_));
    return out;
  }

  std::string string() const {
    require(json::value_t::string, "a string");
    return value_.get<std::string>();
  }
  std::optional<double> nullable_number() const {
    if (value_.is_null()) return std::nullopt;
    if (!value_.is_number()) fail(fmt::format("expected a number or null, got {}", value_.type_name()));
    return value_.get<double>();
  }

 private:
  void require(json::value_t type, std::string_view what) const {
    // Integers come in as signed or unsigned, both of which are numbers here.
    if (value_.type() != type) fail(fmt::format("expected {}, got {}", what, value_.type_name()));
  }

  const json& value_;
  std::string path_;
  const std::string& file_;
};

std::string optional_string(const Field& parent, std::string_view key) {
  const auto member = parent.find(key);
  return member ? member->string() : std::string();
}

// Checked first: a newer bundle may differ in any other field.
void check_schema_version(const Field& sciperf) {
  const Field version = sciperf["schema_version"];
  if (!version.value().is_number_integer()) version.fail(fmt::format("expected an integer, got {}", version.value().dump()));
  const auto number = version.value().get<std::int64_t>();
  if (number > kReadableSchemaVersion)
    version.fail(fmt::format("{}: written by a newer sciperf (this one reads schema version {}); update sciperf to read it",
                             number, kReadableSchemaVersion));
  if (number < 1) version.fail(fmt::format("{}: not a schema version (they start at 1)", number));
}

Direction read_direction(const Field& field) {
  const std::string text = field.string();
  if (text == "higher_is_better") return Direction::higher_is_better;
  if (text == "lower_is_better") return Direction::lower_is_better;
  field.fail(fmt::format("\"{}\": expected higher_is_better or lower_is_better", text));
}

Metric read_metric(const Field& field) {
  return {field["value"].nullable_number(), field["unit"].string(), read_direction(field["direction"])};
}

std::vector<double> read_samples(const Field& field) {
  std::vector<double> samples;
  for (const Field& sample : field.elements())
    if (auto value = sample.nullable_number()) samples.push_back(*value);
  return samples;
}

CaseResult read_case(const Field& field, std::size_t index) {
  CaseResult record;
  record.index = index;
  record.name = field["name"].string();
  record.suite = field["suite"].string();
  for (const auto& [name, value] : field["params"].members()) {
    if (!value.value().is_primitive() || value.value().is_null())
      value.fail(fmt::format("expected a string, number or boolean, got {}", value.value().type_name()));
    record.params[name] = value.value();
  }
  if (auto kinds = field.find("param_kinds"))
    for (const auto& [name, kind] : kinds->members()) record.param_kinds[name] = kind.string();
  const Field status = field["status"];
  record.status = status.string();
  if (record.status != "ok" && record.status != "failed" && record.status != "skipped" && record.status != "timeout")
    status.fail(fmt::format("\"{}\": expected ok, failed, skipped or timeout", record.status));
  record.reason = optional_string(field, "reason");
  for (const Field& name : field["headline"].elements()) record.headline.push_back(name.string());
  // An ok case must carry its numbers: a report without them would look like a bug of ours.
  const auto metrics = record.status == "ok" ? std::optional(field["metrics"]) : field.find("metrics");
  if (metrics)
    for (const auto& [name, metric] : metrics->members()) record.metrics.emplace(name, read_metric(metric));
  if (auto samples = field.find("samples"))
    for (const auto& [name, values] : samples->members()) record.samples.emplace(name, read_samples(values));
  return record;
}

RunInfo read_run(const Field& sciperf) {
  const Field run = sciperf["run"];
  RunInfo info;
  info.status = run["status"].string();
  info.reason = optional_string(run, "reason");
  info.started = run["started"].string();
  info.finished = optional_string(run, "finished");
  info.sciperf_version = optional_string(run, "sciperf_version");
  info.config_name = sciperf["config"]["name"].string();
  if (auto build = sciperf["inventory"].find("build")) info.git_revision = optional_string(*build, "git_revision");
  return info;
}

std::string read_system(const Field& sciperf) {
  if (auto name = sciperf["config"]["system"].find("name"); name && !name->string().empty()) return name->string();
  const auto nodes = sciperf["inventory"]["nodes"].elements();
  if (!nodes.empty())
    if (auto host = nodes.front().find("hostname"); host && host->value().is_string()) return host->string();
  return "unknown system";
}

// Tolerant of absent fields: the header is a courtesy, and older bundles should still read.
std::int64_t optional_count(const Field& parent, std::string_view key) {
  const auto member = parent.find(key);
  if (!member) return 0;
  if (!member->value().is_number_integer() || member->value().get<std::int64_t>() < 0)
    member->fail(fmt::format("expected a count, got {}", member->value().dump()));
  return member->value().get<std::int64_t>();
}

Platform read_platform(const Field& sciperf) {
  Platform platform;
  const Field inventory = sciperf["inventory"];
  if (auto build = inventory.find("build")) platform.mpi_library = optional_string(*build, "mpi_library");
  if (auto nodes = inventory.find("nodes"))
    for (const Field& node : nodes->elements()) {
      const auto cpu = node.find("cpu");
      const std::string model = cpu ? optional_string(*cpu, "model") : std::string();
      auto& models = platform.cpu_models;
      if (!model.empty() && std::find(models.begin(), models.end(), model) == models.end()) models.push_back(model);
    }
  if (auto cluster = sciperf.find("cluster")) {
    platform.node_count = optional_count(*cluster, "node_count");
    platform.ranks = optional_count(*cluster, "ranks");
  }
  return platform;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw BundleError(fmt::format("{}: cannot read: {}", file.string(), std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw BundleError(fmt::format("{}: cannot read: {}", file.string(), std::strerror(errno)));
  return text.str();
}

// nlohmann's messages start with "[json.exception.parse_error.101] ", which says nothing to a user.
std::string without_exception_tag(std::string message) {
  if (message.rfind("[json.exception.", 0) == 0) {
    if (const auto end = message.find("] "); end != std::string::npos) message.erase(0, end + 2);
  }
  return message;
}

}  // namespace

std::string_view to_string(Direction direction) {
  return direction == Direction::higher_is_better ? "higher_is_better" : "lower_is_better";
}

std::string CaseResult::field() const { return fmt::format("sciperf.cases[{}]", index); }

Bundle read_bundle(const json& document, const std::string& file) {
  const Field root(document, "", file);
  if (!document.is_object()) root.fail(fmt::format("expected a JSON object, got {}", document.type_name()));
  const auto sciperf = root.find("sciperf");
  if (!sciperf) Field(document, "sciperf", file).fail("missing: this is not a sciperf result bundle");
  if (!sciperf->value().is_object()) sciperf->fail("expected an object: this is not a sciperf result bundle");
  check_schema_version(*sciperf);

  Bundle bundle;
  bundle.file = file;
  bundle.label = file;
  bundle.run = read_run(*sciperf);
  bundle.system = read_system(*sciperf);
  bundle.platform = read_platform(*sciperf);
  std::map<std::string, std::size_t> seen;
  const auto cases = (*sciperf)["cases"].elements();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    bundle.cases.push_back(read_case(cases[i], i));
    const auto [it, fresh] = seen.emplace(bundle.cases.back().name, i);
    if (!fresh)
      cases[i]["name"].fail(fmt::format("\"{}\" is also the name of sciperf.cases[{}]; case names must be unique",
                                        it->first, it->second));
  }
  return bundle;
}

Bundle load_bundle(const fs::path& path) {
  std::error_code error;
  const bool is_directory = fs::is_directory(path, error);
  const fs::path file = is_directory ? path / "results.json" : path;
  if (is_directory && !fs::exists(file, error))
    throw BundleError(fmt::format("{}: no results.json in this directory; is it a sciperf result bundle?", path.string()));
  const std::string text = read_text(file);
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& parse_error) {
    throw BundleError(fmt::format("{}: not valid JSON (truncated or corrupt?): {}", file.string(),
                                  without_exception_tag(parse_error.what())));
  }
  Bundle bundle = read_bundle(document, file.string());
  bundle.label = path.string();
  return bundle;
}

LoadedBundles load_bundles(const std::vector<std::string>& paths) {
  LoadedBundles loaded;
  for (const std::string& path : paths) {
    try {
      loaded.bundles.push_back(load_bundle(path));
    } catch (const BundleError& error) {
      loaded.errors.push_back(error.what());
      continue;
    }
    const RunInfo& run = loaded.bundles.back().run;
    if (run.status == "complete") continue;
    std::string status = run.status;
    if (!run.reason.empty()) status += fmt::format(" ({})", run.reason);
    loaded.warnings.push_back(fmt::format("{}: sciperf.run.status: {}: the run did not complete; cases it did not reach "
                                          "are missing",
                                          loaded.bundles.back().file, status));
  }
  return loaded;
}

}  // namespace sciperf::reports
