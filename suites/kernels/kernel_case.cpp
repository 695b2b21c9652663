#include "suites/kernels/kernel_case.h"

#include "harness/rank_sync.h"
#include "harness/statistics.h"
#include "suites/kernels/cuda_workloads.h"

#include <algorithm>

namespace sciperf::suites::kernels {
namespace {

const Metric* find_metric(const std::vector<Metric>& metrics, const std::string& name) {
  auto it = std::find_if(metrics.begin(), metrics.end(), [&](const Metric& m) { return m.name == name; });
  return it == metrics.end() ? nullptr : &*it;
}

std::optional<std::string> if_any(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

std::unique_ptr<KernelWorkload> make_workload(const KernelSettings& s, const CaseContext& context) {
  // Ranks fill a node in order (as suites/common/torch_device.cpp assumes).
  if (s.device == Device::cuda) return make_cuda_workload(s, context.rank % std::max(1, context.ranks_per_node));
  return s.implementation == Implementation::own ? make_own_workload(s) : make_library_workload(s);
}

}  // namespace

std::vector<Metric> kernel_metrics(const WorkCounts& counts, KernelKind kernel, double seconds_per_op, int ranks) {
  const std::string rate_unit = counts.integer ? "GOP/s" : "GFLOP/s";
  const double per_rank = counts.operations / seconds_per_op / 1e9;
  std::vector<Metric> metrics{{"gflops", per_rank * ranks, rate_unit, Direction::higher_is_better},
                              {"gflops_per_rank", per_rank, rate_unit, Direction::higher_is_better}};
  if (counts.bytes) {
    metrics.push_back({"arithmetic_intensity", counts.operations / *counts.bytes, counts.integer ? "OP/B" : "FLOP/B",
                       Direction::higher_is_better});
    if (is_stream(kernel)) {
      const double gbs_per_rank = *counts.bytes / seconds_per_op / 1e9;
      metrics.push_back({"gbs", gbs_per_rank * ranks, "GB/s", Direction::higher_is_better});
      metrics.push_back({"gbs_per_rank", gbs_per_rank, "GB/s", Direction::higher_is_better});
    }
  }
  return metrics;
}

nlohmann::json roofline_ceiling(const KernelSettings& s, const std::vector<Metric>& metrics) {
  if (s.implementation != Implementation::own || s.isa != cpu::Isa::automatic) return nullptr;
  if (s.kernel == KernelKind::peak_fma && s.precision != Precision::fp64)
    if (const Metric* gflops = find_metric(metrics, "gflops"))
      return {{"kind", "compute"}, {"precision", precision_name(s.precision)}, {"value", gflops->value}};
  if (s.kernel == KernelKind::stream_triad)
    if (const Metric* gbs = find_metric(metrics, "gbs")) return {{"kind", "memory"}, {"value", gbs->value}};
  return nullptr;
}

Validation to_validation(const cpu::CheckResult& check, const std::string& method) {
  Validation v;
  v.passed = check.passed;
  v.method = method;
  v.checked = static_cast<std::uint64_t>(check.checked);
  v.mismatches = static_cast<std::uint64_t>(check.mismatches);
  // Relative to the tolerance where there is one; exact checks give the absolute error.
  v.max_error = check.max_error_to_bound > 0 ? check.max_error_to_bound : check.max_error;
  v.detail = check.detail;
  return v;
}

KernelCase::KernelCase(const KernelSettings& settings, const CaseContext& context)
    : KernelCase(settings, context, make_workload(settings, context)) {}

KernelCase::KernelCase(const KernelSettings& settings, const CaseContext& context,
                       std::unique_ptr<KernelWorkload> workload)
    : settings_(settings), context_(context), workload_(std::move(workload)) {}

Validation KernelCase::validate() {
  Validation v = to_validation(workload_->check(), workload_->check_method());
  const MPI_Comm comm = context_.comm;
  v.checked = static_cast<std::uint64_t>(allreduce_sum(static_cast<double>(v.checked), comm));
  v.mismatches = static_cast<std::uint64_t>(allreduce_sum(static_cast<double>(v.mismatches), comm));
  v.max_error = allreduce_max(v.max_error, comm);
  v.passed = allreduce_min(v.passed ? 1.0 : 0.0, comm) == 1.0;
  v.detail = agree_reason(if_any(v.detail), comm).value_or("");
  return v;
}

std::vector<Metric> KernelCase::derived_metrics(double seconds_per_op) const {
  if (settings_.device == Device::cuda) return {};  // end_repetition's, from device time
  last_metrics_ = kernel_metrics(workload_->counts(), settings_.kernel, seconds_per_op, context_.size);
  return last_metrics_;
}

std::vector<Metric> KernelCase::end_repetition(std::int64_t operations) {
  const std::optional<double> seconds = workload_->device_seconds();
  if (!seconds) return {};
  // Averaged over ranks, as the harness's time_avg is.
  const double local = *seconds / static_cast<double>(std::max<std::int64_t>(operations, 1));
  const double seconds_per_op = allreduce_sum(local, context_.comm) / context_.size;
  std::vector<Metric> metrics{{"time_device", seconds_per_op, "s", Direction::lower_is_better}};
  for (Metric& metric : kernel_metrics(workload_->counts(), settings_.kernel, seconds_per_op, context_.size))
    metrics.push_back(std::move(metric));
  device_repetitions_.push_back(metrics);
  return metrics;
}

std::vector<Metric> KernelCase::recorded_metrics() const {
  if (device_repetitions_.empty()) return last_metrics_;
  std::vector<Metric> medians = device_repetitions_.front();
  for (std::size_t i = 0; i < medians.size(); ++i) {
    std::vector<double> values;
    for (const std::vector<Metric>& repetition : device_repetitions_) values.push_back(repetition[i].value);
    medians[i].value = median(std::move(values));
  }
  return medians;
}

nlohmann::json KernelCase::details() const {
  const WorkCounts counts = workload_->counts();
  nlohmann::json details{{"isa", workload_->isa()},
                         {"code", workload_->code()},
                         {"operations_per_call", counts.operations},
                         {"operations_unit", counts.integer ? "OP" : "FLOP"},
                         {"bytes_per_call", counts.bytes ? nlohmann::json(*counts.bytes) : nlohmann::json(nullptr)},
                         {"ranks_summed", context_.size}};
  if (nlohmann::json ceiling = roofline_ceiling(settings_, recorded_metrics()); !ceiling.is_null())
    details["roofline_ceiling"] = std::move(ceiling);
  return details;
}

}  // namespace sciperf::suites::kernels
