// One collectives case on one rank: its buffers, inputs, the call, and the check.
#pragma once

#include "harness/suite.h"
#include "suites/collectives/collective.h"
#include "suites/collectives/host_buffer.h"

#include <cstddef>
#include <string>
#include <vector>

namespace sciperf::suites {

struct CollectiveSettings {
  const Collective* collective;
  std::string algorithm;
  DataType type;
  ReduceOp op;
  bool in_place;
  std::size_t bytes;
};

// Host bytes each rank allocates for the case.
std::size_t buffer_bytes(const CollectiveSettings& settings, int ranks, int rank);

class CollectiveCase : public CaseInstance {
 public:
  CollectiveCase(const CollectiveSettings& settings, const CaseContext& context);
  void run_once() override;
  Validation validate() override;
  std::vector<Metric> derived_metrics(double seconds_per_op) const override;
  std::optional<double> expected_wire_bytes_per_op() const override;

 protected:
  void fill_inputs();
  // Checks recv_ against the expected output; collective.
  Validation check() const;
  bool in_place() const;

  CollectiveSettings settings_;
  MPI_Comm comm_;
  Layout layout_;
  std::size_t element_bytes_;
  std::size_t input_offset_;  // in-place: where the input starts in recv_
  HostBuffer send_;
  HostBuffer recv_;
};

}  // namespace sciperf::suites
