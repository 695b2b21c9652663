#include "reports/bundle_reader.h"

#include "reports/bundle_fields.h"
#include "reports/case_reader.h"
#include "reports/json_reader.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <future>
#include <unordered_map>
#include <utility>
#include <variant>

namespace sciperf::reports {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

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

// Tolerant of absent fields: headers and timings are a courtesy, and older bundles should still read.
std::int64_t optional_count(const Field& parent, std::string_view key) {
  const auto member = parent.find(key);
  if (!member) return 0;
  if (!member->value().is_number_integer() || member->value().get<std::int64_t>() < 0)
    member->fail(fmt::format("expected a count, got {}", member->value().dump()));
  return member->value().get<std::int64_t>();
}

RunInfo read_run(const Field& sciperf) {
  const Field run = sciperf["run"];
  RunInfo info;
  info.status = run["status"].string();
  info.reason = optional_string(run, "reason");
  info.started = run["started"].string();
  info.finished = optional_string(run, "finished");
  info.sciperf_version = optional_string(run, "sciperf_version");
  const Field config = sciperf["config"];
  info.config_name = config["name"].string();
  const Field inventory = sciperf["inventory"];
  if (auto build = inventory.find("build")) info.git_revision = optional_string(*build, "git_revision");
  return info;
}

std::string read_system(const Field& sciperf) {
  const Field config = sciperf["config"];
  const Field system = config["system"];
  if (auto name = system.find("name"); name && !name->string().empty()) return name->string();
  const Field inventory = sciperf["inventory"];
  const Field nodes_field = inventory["nodes"];
  const auto nodes = nodes_field.elements();
  if (!nodes.empty())
    if (auto host = nodes.front().find("hostname"); host && host->value().is_string()) return host->string();
  return "unknown system";
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
    platform.devices_per_rank = optional_count(*cluster, "devices_per_rank");
  }
  return platform;
}

// The sciperf block of a document, checked far enough that its other fields can be read.
Field sciperf_of(const Field& root) {
  if (!root.value().is_object()) root.fail(fmt::format("expected a JSON object, got {}", root.value().type_name()));
  const auto sciperf = root.find("sciperf");
  if (!sciperf) fail_at(root.file(), root.place().member("sciperf"), "missing: this is not a sciperf result bundle");
  if (!sciperf->value().is_object()) sciperf->fail("expected an object: this is not a sciperf result bundle");
  return *sciperf;
}

// Everything but the cases, from the document without them.
Bundle read_header(const Field& root) {
  const Field sciperf = sciperf_of(root);
  check_schema_version(sciperf);
  Bundle bundle;
  bundle.file = root.file();
  bundle.label = root.file();
  bundle.run = read_run(sciperf);
  bundle.system = read_system(sciperf);
  bundle.platform = read_platform(sciperf);
  bundle.config = sciperf["config"].value();
  const Field cases = sciperf["cases"];
  cases.elements();  // an array (its elements are read from the text), or the error says what it is
  return bundle;
}

// The cases of a bundle, read one by one as the parse reaches them. The first bad record
// stops the reading (the rest are only checked as JSON) and its error waits for finish():
// the rest of the bundle, which comes after the cases in a sciperf bundle (its keys are
// sorted), may have more to say first, e.g. that a newer sciperf wrote it.
class CaseList {
 public:
  explicit CaseList(std::string file) : file_(std::move(file)) {}

  // Reads the array of cases at the reader's position. An array read before (the key given
  // twice) is replaced, as nlohmann keeps the last of equal keys; but a bad record in it still
  // stands, since the rest of that record was passed over unchecked.
  void read(JsonReader& reader) {
    cases_.clear();
    const Place list{.root = "sciperf.cases"};
    reader.read_array([&](std::size_t index) {
      if (error_) return reader.skip();
      const int depth = reader.depth();
      const std::size_t start = reader.offset();
      try {
        cases_.push_back(read_case(reader, list.element(index), file_, index));
      } catch (const BundleError& error) {
        error_ = error;
        reader.skip_rest(depth, start);
      }
    });
  }

  // The records read; BundleError for the first name given twice (up to the bad record), else for the bad record.
  std::vector<CaseResult> finish() {
    std::unordered_map<std::string_view, std::size_t> seen;
    seen.reserve(cases_.size());
    for (const CaseResult& record : cases_)
      if (const auto [it, fresh] = seen.emplace(record.name, record.index); !fresh)
        throw BundleError(fmt::format("{}: {}.name: \"{}\" is also the name of sciperf.cases[{}]; case names must be unique",
                                      file_, record.field(), record.name, it->second));
    if (error_) throw *error_;
    return std::move(cases_);
  }

 private:
  std::string file_;
  std::vector<CaseResult> cases_;
  std::optional<BundleError> error_;
};

// The document without Google Benchmark's rows (reports never read them) and with
// sciperf.cases an empty array, its elements going to `cases` instead.
json skeleton_of_sciperf(JsonReader& reader, CaseList& cases) {
  json sciperf = json::object();
  reader.read_object([&](std::string_view key) {
    if (key == "cases" && reader.peek() == JsonKind::array) {
      cases.read(reader);
      sciperf["cases"] = json::array();
    } else {
      sciperf[std::string(key)] = reader.read_value();
    }
  });
  return sciperf;
}

json skeleton_of(std::string_view text, CaseList& cases) {
  JsonReader reader(text);
  json document;
  if (reader.peek() != JsonKind::object) {
    document = reader.read_value();
  } else {
    document = json::object();
    reader.read_object([&](std::string_view key) {
      if (key == "sciperf" && reader.peek() == JsonKind::object) {
        document["sciperf"] = skeleton_of_sciperf(reader, cases);
      } else if (key == "benchmarks") {
        reader.skip();
        document["benchmarks"] = json::array();
      } else {
        document[std::string(key)] = reader.read_value();
      }
    });
  }
  reader.expect_end();
  return document;
}

// The whole file, read: for what cannot be mapped (a pipe, an empty file).
std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw BundleError(fmt::format("{}: cannot read: {}", file.string(), std::strerror(errno)));
  std::string text;
  for (std::size_t size = 1 << 20;; size *= 2) {
    const std::size_t before = text.size();
    text.resize(before + size);
    in.read(text.data() + before, static_cast<std::streamsize>(size));
    text.resize(before + static_cast<std::size_t>(in.gcount()));
    if (!in) break;
  }
  if (in.bad()) throw BundleError(fmt::format("{}: cannot read: {}", file.string(), std::strerror(errno)));
  return text;
}

// nlohmann's messages start with "[json.exception.type_error.316] ", which says nothing to a user.
std::string without_exception_tag(std::string message) {
  if (message.rfind("[json.exception.", 0) == 0) {
    if (const auto end = message.find("] "); end != std::string::npos) message.erase(0, end + 2);
  }
  return message;
}

BundleError not_json(const std::string& file, const std::string& message) {
  return BundleError(fmt::format("{}: not valid JSON (truncated or corrupt?): {}", file, message));
}

// A bundle from its text, in one pass: JSON first, then the rest of the bundle, then its cases.
Bundle read_text_bundle(std::string_view text, const std::string& file) {
  CaseList cases(file);
  json skeleton;
  try {
    skeleton = skeleton_of(text, cases);
  } catch (const JsonSyntaxError& error) {
    throw not_json(file, error.what());
  }
  Bundle bundle = read_header(Field(skeleton, file));
  bundle.cases = cases.finish();
  return bundle;
}

}  // namespace

FileBytes::FileBytes(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw BundleError(fmt::format("{}: cannot read: {}", file.string(), std::strerror(errno)));
  struct stat status {};
  if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && status.st_size > 0) {
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    flags |= MAP_POPULATE;
#endif
    void* mapped = ::mmap(nullptr, static_cast<std::size_t>(status.st_size), PROT_READ, flags, fd, 0);
    if (mapped != MAP_FAILED) {
      mapped_ = static_cast<const char*>(mapped);
      size_ = static_cast<std::size_t>(status.st_size);
    }
  }
  ::close(fd);
  if (!mapped_) read_ = read_text(file);
}

FileBytes::FileBytes(FileBytes&& other) noexcept
    : mapped_(std::exchange(other.mapped_, nullptr)), size_(other.size_), read_(std::move(other.read_)) {}

FileBytes::~FileBytes() {
  if (mapped_) ::munmap(const_cast<char*>(mapped_), size_);
}

std::string_view to_string(Direction direction) {
  return direction == Direction::higher_is_better ? "higher_is_better" : "lower_is_better";
}

std::string CaseResult::field() const { return fmt::format("sciperf.cases[{}]", index); }

Bundle read_bundle(const json& document, const std::string& file) {
  std::string text;
  try {
    text = document.dump();
  } catch (const json::type_error& error) {  // a string that is not UTF-8
    throw not_json(file, without_exception_tag(error.what()));
  }
  return parse_bundle(text, file);
}

BundleText read_bundle_text(const fs::path& path) {
  std::error_code error;
  const bool is_directory = fs::is_directory(path, error);
  const fs::path file = is_directory ? path / "results.json" : path;
  if (is_directory && !fs::exists(file, error))
    throw BundleError(fmt::format("{}: no results.json in this directory; is it a sciperf result bundle?", path.string()));
  return {file.string(), FileBytes(file)};
}

Bundle parse_bundle(std::string_view text, const std::string& file) { return read_text_bundle(text, file); }

Bundle load_bundle(const fs::path& path) {
  Bundle bundle;
  {
    const BundleText read = read_bundle_text(path);  // unmapped before the bundle is used
    bundle = parse_bundle(read.text.view(), read.file);
  }
  bundle.label = path.string();
  return bundle;
}

LoadedBundles load_bundles(const std::vector<std::string>& paths) {
  // Two at a time, each on its own core (compare's two sides, mostly): reading is most of
  // what a large comparison costs. Two, not more, since each holds its whole file while read.
  const auto load = [](const std::string& path) -> std::variant<Bundle, std::string> {
    try {
      return load_bundle(path);
    } catch (const BundleError& error) {
      return std::string(error.what());
    }
  };
  std::vector<std::variant<Bundle, std::string>> results;
  for (std::size_t i = 0; i < paths.size(); i += 2) {
    auto second = i + 1 < paths.size() ? std::async(std::launch::async, load, std::cref(paths[i + 1]))
                                       : std::future<std::variant<Bundle, std::string>>();
    results.push_back(load(paths[i]));
    if (second.valid()) results.push_back(second.get());
  }
  LoadedBundles loaded;
  for (auto& result : results) {
    if (auto* error = std::get_if<std::string>(&result)) {
      loaded.errors.push_back(std::move(*error));
      continue;
    }
    loaded.bundles.push_back(std::move(std::get<Bundle>(result)));
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
