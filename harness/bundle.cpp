#include "harness/bundle.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace sciperf {

std::string utc_timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path temporary = path.string() + fmt::format(".tmp.{}", ::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw std::runtime_error(fmt::format("{}: cannot write: {}", temporary.string(), std::strerror(errno)));
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      throw std::runtime_error(fmt::format("{}: write failed: {}", temporary.string(), std::strerror(error)));
    }
    written += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw std::runtime_error(fmt::format("{}: cannot replace: {}", path.string(), std::strerror(error)));
  }
}

namespace {

using nlohmann::json;

constexpr std::int64_t kMaxResumed = 1'000'000;
// Far deeper than anything the harness writes (8 levels); writing and comparing JSON recurse
// once per level, so a deeper file would overflow the stack.
constexpr std::size_t kMaxDepth = 64;

bool deeper_than(const json& document, std::size_t limit) {
  std::vector<std::pair<const json*, std::size_t>> pending{{&document, 1}};
  while (!pending.empty()) {
    const auto [value, depth] = pending.back();
    pending.pop_back();
    if (depth > limit) return true;
    if (value->is_structured())
      for (const json& child : *value) pending.emplace_back(&child, depth + 1);
  }
  return false;
}

// Null when `object` has no `key` (or is no object).
const json* member(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// What is wrong with one case record, as ".key: expected ..."; nothing when it is fine.
std::optional<std::string> case_problem(const json& record) {
  if (!record.is_object()) return ": expected an object";
  if (const json* name = member(record, "name"); !name || !name->is_string()) return ".name: expected a string";
  for (const char* key : {"suite", "status", "reason", "output_tail"})
    if (const json* value = member(record, key); value && !value->is_string()) return fmt::format(".{}: expected a string", key);
  if (const json* params = member(record, "params"); params && !params->is_object()) return ".params: expected an object";
  if (const json* kinds = member(record, "param_kinds")) {
    if (!kinds->is_object()) return ".param_kinds: expected an object";
    for (const auto& [name, kind] : kinds->items())
      if (!kind.is_string()) return fmt::format(".param_kinds.{}: expected a string", name);
  }
  if (const json* headline = member(record, "headline")) {
    if (!headline->is_array()) return ".headline: expected an array of metric names";
    for (std::size_t i = 0; i < headline->size(); ++i)
      if (!(*headline)[i].is_string()) return fmt::format(".headline[{}]: expected a string", i);
  }
  if (const json* metrics = member(record, "metrics")) {
    if (!metrics->is_object()) return ".metrics: expected an object";
    for (const auto& [name, metric] : metrics->items()) {
      if (!metric.is_object() || !metric.contains("value")) return fmt::format(".metrics.{}: expected an object with a value", name);
      if (const json* unit = member(metric, "unit"); unit && !unit->is_string())
        return fmt::format(".metrics.{}.unit: expected a string", name);
    }
  }
  return std::nullopt;
}

// A reopened bundle must have the shape this file writes wherever the harness reads it (to
// resume a run, record a case from outside the ranks, finish the run, print the summary):
// nlohmann's const operator[] on a missing key is undefined behaviour, and a value of another
// type throws far from here. Returns what is wrong, or nothing.
std::optional<std::string> shape_problem(const json& document) {
  auto expected = [](std::string_view where, std::string_view what) { return fmt::format("{}: expected {}", where, what); };
  if (!document.is_object()) return expected("the document", "an object");
  if (deeper_than(document, kMaxDepth)) return fmt::format("nested deeper than {} levels", kMaxDepth);
  if (const json* context = member(document, "context"); !context || !context->is_object())
    return expected("context", "an object");
  if (const json* benchmarks = member(document, "benchmarks"); !benchmarks || !benchmarks->is_array())
    return expected("benchmarks", "an array");
  const json* sciperf = member(document, "sciperf");
  if (!sciperf || !sciperf->is_object()) return expected("sciperf", "an object");
  if (const json* version = member(*sciperf, "schema_version"); !version || *version != kResultSchemaVersion)
    return expected("sciperf.schema_version", std::to_string(kResultSchemaVersion));
  const json* run = member(*sciperf, "run");
  if (!run || !run->is_object()) return expected("sciperf.run", "an object");
  for (const char* key : {"status", "config_file", "reason", "started", "finished"})
    if (const json* value = member(*run, key); value && !value->is_string())
      return expected(fmt::format("sciperf.run.{}", key), "a string");
  if (const json* resumed = member(*run, "resumed");
      resumed && !(resumed->is_number_integer() && resumed->get<std::int64_t>() >= 0 && resumed->get<std::int64_t>() < kMaxResumed))
    return expected("sciperf.run.resumed", "a count of resumptions");
  if (const json* config = member(*sciperf, "config"); !config || !config->is_object())
    return expected("sciperf.config", "an object");
  const json* cases = member(*sciperf, "cases");
  if (!cases || !cases->is_array()) return expected("sciperf.cases", "an array");
  for (std::size_t i = 0; i < cases->size(); ++i)
    if (auto problem = case_problem((*cases)[i])) return fmt::format("sciperf.cases[{}]{}", i, *problem);
  return std::nullopt;
}

}  // namespace

ResultBundle::ResultBundle(std::filesystem::path directory, nlohmann::json document)
    : directory_(std::move(directory)), document_(std::move(document)) {}

ResultBundle::ResultBundle(std::filesystem::path directory, nlohmann::json run, nlohmann::json config,
                           nlohmann::json inventory, nlohmann::json cluster)
    : directory_(std::move(directory)) {
  run["status"] = "running";
  run["started"] = utc_timestamp();
  document_ = {{"context", nlohmann::json::object()},
               {"benchmarks", nlohmann::json::array()},
               {"sciperf",
                {{"schema_version", kResultSchemaVersion},
                 {"run", std::move(run)},
                 {"config", std::move(config)},
                 {"inventory", std::move(inventory)},
                 {"cluster", std::move(cluster)},
                 {"cases", nlohmann::json::array()}}}};
}

ResultBundle ResultBundle::open(const std::filesystem::path& directory) {
  const auto path = directory / "results.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read", path.string()));
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(fmt::format("{}: not a valid result bundle: {}", path.string(), error.what()));
  }
  if (auto problem = shape_problem(document))
    throw std::runtime_error(fmt::format("{}: not a valid result bundle: {}", path.string(), *problem));
  return ResultBundle(directory, std::move(document));
}

void ResultBundle::add_case(nlohmann::json sciperf_case, const nlohmann::json& benchmark_json) {
  if (benchmark_json.is_object()) {
    if (document_["context"].empty() && benchmark_json.contains("context")) document_["context"] = benchmark_json["context"];
    for (const auto& row : benchmark_json.value("benchmarks", nlohmann::json::array())) document_["benchmarks"].push_back(row);
  }
  document_["sciperf"]["cases"].push_back(std::move(sciperf_case));
}

void ResultBundle::finish(const std::string& status, const std::string& reason) {
  auto& run = document_["sciperf"]["run"];
  run["status"] = status;
  run["finished"] = utc_timestamp();
  if (!reason.empty()) run["reason"] = reason;
}

void ResultBundle::reopen() {
  auto& run = document_["sciperf"]["run"];
  run["status"] = "running";
  run.erase("finished");
  run.erase("reason");
  run["resumed"] = run.value("resumed", 0) + 1;
}

// Output the ranks wrote (a failed case's tail) may hold invalid UTF-8: replaced, not fatal.
void ResultBundle::write() const {
  write_file_atomically(file(), document_.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace sciperf
