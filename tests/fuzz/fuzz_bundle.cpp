// libFuzzer target: the result bundle reader, and what the harness does with a bundle it
// reopens (harness/run_command.cpp: --resume, recording a case that timed out or whose ranks
// died, the run's final status, the summary).
//
// The input is written to a temporary directory's results.json. ResultBundle::open may only
// throw std::runtime_error naming that file. A bundle it accepts must survive every read
// below, take new cases, be finished and written, and reopen with the same content.
#include "harness/bundle.h"
#include "harness/summary.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

#include <stdlib.h>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_bundle: %s: %s\n", what, detail.c_str());
  std::abort();
}

// One directory per process, removed at exit.
struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "sciperf-fuzz-bundle-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) fail("mkdtemp", pattern);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  fs::path path;
};

const fs::path& bundle_dir() {
  static const TempDir dir;
  return dir.path;
}

std::optional<sciperf::ResultBundle> open_checked(const fs::path& dir) {
  const std::string file = (dir / "results.json").string();
  try {
    return sciperf::ResultBundle::open(dir);
  } catch (const std::runtime_error& error) {
    if (std::string(error.what()).find(file) == std::string::npos) fail("error without the path", error.what());
    return std::nullopt;
  }
}

// The reads the harness makes of a reopened bundle, as in harness/run_command.cpp.
void read_like_the_harness(const sciperf::ResultBundle& bundle) {
  const json& document = bundle.document();
  const json& run = document["sciperf"]["run"];
  (void)(run.value("status", "") == "complete");  // launch(): did the ranks finish the run?
  (void)run.value("config_file", "");             // run --resume without -c
  std::string names;                               // without_recorded(), record_case()
  bool failed = false;                             // any_case_failed()
  for (const auto& record : document["sciperf"]["cases"]) {
    names += record.value("name", "") + "\n";
    failed = failed || record.value("status", "") == "failed" || record.value("status", "") == "timeout";
  }
  // reopen_for_resume(): the config the run started with, compared without its source.
  auto without_source = [](json resolved) {
    resolved.erase("source");
    return resolved;
  };
  (void)(without_source(document["sciperf"]["config"]) != without_source(json{{"source", "fuzz.yaml"}, {"name", "fuzz"}}));
  (void)sciperf::render_summary(document["sciperf"]["cases"]);  // run_as_rank(), at the end
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fs::path& dir = bundle_dir();
  {
    std::ofstream out(dir / "results.json", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) fail("write", (dir / "results.json").string());
  }
  std::optional<sciperf::ResultBundle> bundle = open_checked(dir);
  if (!bundle) return 0;
  read_like_the_harness(*bundle);

  // --resume: back to running; a case recorded from outside the ranks (timeout), one measured
  // by them; then interrupted, written, and reopened.
  bundle->reopen();
  bundle->add_case({{"name", "selftest/action:hang/rank:0"},
                    {"suite", "selftest"},
                    {"params", {{"action", "hang"}, {"rank", 0}}},
                    {"status", "timeout"},
                    {"reason", "no rank arrived"},
                    {"headline", {"time_avg"}},
                    {"output_tail", "last lines\n"}},
                   nullptr);
  bundle->add_case({{"name", "selftest/action:empty/rank:0"},
                    {"suite", "selftest"},
                    {"params", {{"action", "empty"}, {"rank", 0}}},
                    {"param_kinds", {{"action", "string"}, {"rank", "integer"}}},
                    {"status", "ok"},
                    {"headline", {"time_avg"}},
                    {"metrics", {{"time_avg", {{"value", 1.5e-6}, {"unit", "s"}, {"direction", "lower_is_better"}}}}}},
                   {{"context", {{"host_name", "fuzz"}}},
                    {"benchmarks", {{{"name", "selftest/action:empty/rank:0"}, {"real_time", 1.5}}}}});
  read_like_the_harness(*bundle);
  bundle->finish("interrupted", "interrupted by Terminated; continue with: sciperf run --resume DIR");
  bundle->write();
  const std::optional<sciperf::ResultBundle> again = open_checked(dir);
  if (!again) fail("reopen", "a bundle the harness wrote does not reopen");
  if (again->document() != bundle->document()) fail("reopen", "the reopened bundle differs from the one written");
  return 0;
}
