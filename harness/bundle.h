// The result bundle: a directory whose results.json keeps Google Benchmark's top-level
// shape ("context", "benchmarks") and adds a "sciperf" block (schema in
// harness/schema/results.schema.json). Rewritten atomically after every case, so a crash or
// kill never leaves a truncated file and finished cases are never lost.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace sciperf {

inline constexpr int kResultSchemaVersion = 1;

class ResultBundle {
 public:
  // Starts a bundle in `directory` (which must exist) with run status "running".
  ResultBundle(std::filesystem::path directory, nlohmann::json run, nlohmann::json config, nlohmann::json inventory,
               nlohmann::json cluster);
  // Reopens an existing bundle, e.g. to record how an interrupted run ended.
  static ResultBundle open(const std::filesystem::path& directory);

  // `benchmark_json` is Google Benchmark's output for the case (may be null when nothing
  // was measured); its context is kept once, its rows appended.
  void add_case(nlohmann::json sciperf_case, const nlohmann::json& benchmark_json);
  // "complete", "failed" or "interrupted", with the reason for the latter two.
  void finish(const std::string& status, const std::string& reason = "");
  // Back to "running" for a resumed run; counts the resumptions.
  void reopen();
  void write() const;

  const nlohmann::json& document() const { return document_; }
  std::filesystem::path file() const { return directory_ / "results.json"; }

 private:
  ResultBundle(std::filesystem::path directory, nlohmann::json document);
  std::filesystem::path directory_;
  nlohmann::json document_;
};

// Writes `text` to `path` through a temporary file in the same directory and a rename.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

std::string utc_timestamp();  // ISO 8601, e.g. 2026-11-25T17:03:00Z

}  // namespace sciperf
