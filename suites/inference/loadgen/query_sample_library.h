// Where a SUT's samples come from (after MLPerf LoadGen's query_sample_library.h). The data set
// may be larger than memory: the generator picks which samples to load before a run and draws
// every query from those, so loading never happens inside the timed part.
#pragma once

#include "suites/inference/loadgen/system_under_test.h"

#include <cstddef>
#include <span>
#include <string_view>

namespace sciperf::loadgen {

class QuerySampleLibrary {
 public:
  virtual ~QuerySampleLibrary() = default;
  virtual std::string_view name() const = 0;
  // Samples in the data set; indices run from 0 to total_sample_count() - 1.
  virtual std::size_t total_sample_count() const = 0;
  // How many samples may be loaded at once (LoadGen's performance sample count).
  virtual std::size_t performance_sample_count() const = 0;
  // Before the run: make these samples ready for issue_query. After it: release them.
  virtual void load_samples(std::span<const SampleIndex> samples) = 0;
  virtual void unload_samples(std::span<const SampleIndex> samples) = 0;
};

}  // namespace sciperf::loadgen
