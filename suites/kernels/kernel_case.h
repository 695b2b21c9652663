// One kernels case on one rank: a workload (our kernel or the library's) timed by the
// harness, checked against its reference before and after timing, and the metrics that put
// it on the roofline. Every rank runs its own copy on its own core (or GPU) at the same time.
// On a GPU the metrics come from device time (CUDA events, end_repetition), not from the
// harness's clock; the harness's time_* metrics stay beside them.
#pragma once

#include "harness/suite.h"
#include "suites/kernels/kernel_workload.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

namespace sciperf::suites::kernels {

// gflops (GFLOP/s, or GOP/s for int8) summed over the ranks, as the training and inference
// suites count theirs, and per rank; arithmetic_intensity (FLOP or OP per byte) where the
// kernel moves bytes; gbs (GB/s, 10^9 bytes as STREAM counts them) for STREAM.
std::vector<Metric> kernel_metrics(const WorkCounts& counts, KernelKind kernel, double seconds_per_op, int ranks);

// The ceiling a case measures for the roofline, or null: peak_fma in fp32, bf16 or int8 gives
// {"kind": "compute", "precision": ..., "value": GFLOP/s}, STREAM triad gives {"kind":
// "memory", "value": GB/s}; only our kernels on the automatic (best) path measure one.
// `metrics` are kernel_metrics' for the case.
nlohmann::json roofline_ceiling(const KernelSettings& settings, const std::vector<Metric>& metrics);

// A check's outcome as the harness records it (one rank's; the case merges ranks).
Validation to_validation(const cpu::CheckResult& check, const std::string& method);

class KernelCase final : public CaseInstance {
 public:
  KernelCase(const KernelSettings& settings, const CaseContext& context);
  // With a workload made elsewhere (tests: a stand-in for a GPU).
  KernelCase(const KernelSettings& settings, const CaseContext& context, std::unique_ptr<KernelWorkload> workload);
  void run_once() override { workload_->run(); }
  void wait() override { workload_->wait(); }
  Validation validate() override;
  std::vector<Metric> derived_metrics(double seconds_per_op) const override;
  void begin_repetition() override { workload_->begin_device_timing(); }
  std::vector<Metric> end_repetition(std::int64_t operations) override;
  nlohmann::json details() const override;

 private:
  // The metrics the ceiling is read from: as recorded, i.e. the median over repetitions.
  std::vector<Metric> recorded_metrics() const;

  KernelSettings settings_;
  CaseContext context_;
  std::unique_ptr<KernelWorkload> workload_;
  // The harness calls derived_metrics last with the median time, then details(): the
  // ceiling in details is that call's metric (harness/runner.cpp, case_metrics).
  mutable std::vector<Metric> last_metrics_;
  // Device-timed workloads: each repetition's metrics from device time.
  std::vector<std::vector<Metric>> device_repetitions_;
};

}  // namespace sciperf::suites::kernels
