// A kernels case on a GPU takes its time from the device (CUDA events), not from the harness's
// clock: end_repetition turns each rank's device seconds into per-call time averaged over the
// ranks, the rates summed over them, and the roofline ceiling is the median over repetitions.
// A stand-in workload plays the GPU, so this runs anywhere.
#include "suites/kernels/kernel_case.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <map>

namespace sciperf::suites::kernels {
namespace {

// 1e9 operations per call; each call takes `milliseconds` of device time on rank r times (r + 1).
class StandInDevice final : public KernelWorkload {
 public:
  StandInDevice(int rank, const double* milliseconds) : rank_(rank), milliseconds_(milliseconds) {}
  void run() override { seconds_ += *milliseconds_ * 1e-3 * (rank_ + 1); }
  void begin_device_timing() override { seconds_ = 0; }
  std::optional<double> device_seconds() override { return seconds_; }
  cpu::CheckResult check() override { return {}; }
  std::string check_method() const override { return "none"; }
  WorkCounts counts() const override { return {1e9, std::nullopt, false}; }
  std::string isa() const override { return "stand-in"; }
  std::string code() const override { return "stand-in"; }

 private:
  int rank_;
  const double* milliseconds_;
  double seconds_ = 0;
};

TEST(KernelCase, DeviceTimeGivesTheMetricsAndTheCeiling) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const CaseContext context{MPI_COMM_WORLD, rank, size, size, 1, 1};
  KernelSettings settings;
  settings.kernel = KernelKind::peak_fma;
  settings.device = Device::cuda;
  double milliseconds = 1;
  KernelCase instance(settings, context, std::make_unique<StandInDevice>(context.rank, &milliseconds));
  EXPECT_TRUE(instance.derived_metrics(1.0).empty());  // the harness's clock gives none

  const double ranks = context.size;
  const double mean_factor = (ranks + 1) / 2;  // mean of 1 .. ranks
  for (double repetition_ms : {2.0, 1.0, 4.0}) {
    milliseconds = repetition_ms;
    instance.begin_repetition();
    for (int call = 0; call < 5; ++call) instance.run_once();
    instance.wait();
    std::map<std::string, double> metrics;
    for (const Metric& metric : instance.end_repetition(5)) metrics[metric.name] = metric.value;
    const double seconds = repetition_ms * 1e-3 * mean_factor;
    EXPECT_DOUBLE_EQ(metrics["time_device"], seconds);
    EXPECT_DOUBLE_EQ(metrics["gflops_per_rank"], 1.0 / seconds);
    EXPECT_DOUBLE_EQ(metrics["gflops"], ranks / seconds);
  }
  // The median repetition (2 ms) sets the ceiling, as the recorded gflops.
  const nlohmann::json ceiling = instance.details()["roofline_ceiling"];
  EXPECT_EQ(ceiling["kind"], "compute");
  EXPECT_EQ(ceiling["precision"], "fp32");
  EXPECT_DOUBLE_EQ(ceiling["value"].get<double>(), ranks / (2e-3 * mean_factor));
}

}  // namespace
}  // namespace sciperf::suites::kernels
