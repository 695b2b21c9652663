// A SUT that does nothing and a QSL with nothing to load: with them, a run measures the load
// generator alone (the tests and sciperf_loadgen_bench).
#pragma once

#include "suites/inference/loadgen/query_sample_library.h"
#include "suites/inference/loadgen/system_under_test.h"

#include <cstddef>
#include <cstdint>

namespace sciperf::loadgen {

// Completes every query inline, in the issuing thread, at the moment it is issued.
class NoOpSystemUnderTest final : public SystemUnderTest {
 public:
  std::string_view name() const override { return "no-op"; }
  void issue_query(const Query& query, QueryCompleter& completer) override { completer.complete(query.id); }
};

class NoOpQuerySampleLibrary final : public QuerySampleLibrary {
 public:
  explicit NoOpQuerySampleLibrary(std::size_t total_samples = 1024, std::size_t performance_samples = 1024)
      : total_(total_samples), performance_(performance_samples) {}
  std::string_view name() const override { return "no-op"; }
  std::size_t total_sample_count() const override { return total_; }
  std::size_t performance_sample_count() const override { return performance_; }
  void load_samples(std::span<const SampleIndex> samples) override { loaded_ += samples.size(); }
  void unload_samples(std::span<const SampleIndex> samples) override { loaded_ -= samples.size(); }
  // Samples loaded now: lets tests check that every load is matched by an unload.
  std::size_t loaded() const { return loaded_; }

 private:
  std::size_t total_;
  std::size_t performance_;
  std::size_t loaded_ = 0;
};

}  // namespace sciperf::loadgen
