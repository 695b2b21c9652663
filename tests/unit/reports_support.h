// Helpers shared by the tests of reports/: the hand-made bundles in data/reports and golden files.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <vector>

#include "reports/bundle_reader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace sciperf::reports::testing {

inline std::string data_path(const std::string& name) { return std::string(SCIPERF_TEST_DATA) + "/reports/" + name; }

// A fixture bundle, labelled by its name so that outputs do not depend on where the source tree is.
inline Bundle fixture(const std::string& name) {
  Bundle bundle = load_bundle(data_path(name));
  bundle.label = name;
  return bundle;
}

inline nlohmann::json fixture_document(const std::string& name) {
  std::ifstream in(data_path(name + "/results.json"));
  return nlohmann::json::parse(in);
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// EXPECT_TRUE(contains(text, fragment)) shows the text when the fragment is not in it.
inline ::testing::AssertionResult contains(const std::string& text, const std::string& fragment) {
  if (text.find(fragment) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << fragment << "\" is not in:\n" << text;
}

// Compares `actual` with data/reports/golden/NAME. SCIPERF_UPDATE_GOLDEN=1 rewrites the file
// instead: review the diff before committing it.
inline void expect_golden(const std::string& actual, const std::string& name) {
  const std::string path = data_path("golden/" + name);
  if (std::getenv("SCIPERF_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(actual, read_file(path)) << "differs from " << path << " (SCIPERF_UPDATE_GOLDEN=1 rewrites it)";
}

// Parses `args` (without the program name) with only `Commands`'s subcommands registered
// and runs the one given, as sciperf's CLI would.
template <typename Commands>
std::optional<int> run_commands(std::vector<std::string> args) {
  CLI::App app;
  const Commands commands(app);
  args.insert(args.begin(), "sciperf");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return commands.run();
}

}  // namespace sciperf::reports::testing
