// Helpers shared by the unit tests.
#pragma once

#include "harness/suite.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace sciperf::testing {

// The suites this build registers, built once.
inline const SuiteRegistry& builtin_registry() {
  static const SuiteRegistry* instance = [] {
    auto* registry = new SuiteRegistry;
    register_builtin_suites(*registry);
    return registry;
  }();
  return *instance;
}

// A fresh directory under /tmp, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/sciperf-test-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace sciperf::testing
