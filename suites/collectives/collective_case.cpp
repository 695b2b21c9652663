#include "suites/collectives/collective_case.h"

#include "harness/rank_sync.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sciperf::suites {
namespace {

// Never an input value (inputs stay within +-100): an output element still holding it was
// never written.
constexpr double kSentinel = -111;

struct Buffers {
  std::size_t send;
  std::size_t recv;
  std::size_t input_offset;
};

Buffers buffer_elements(const CollectiveSettings& s, const Layout& layout) {
  const bool in_place = s.in_place || s.collective->single_buffer();
  if (!in_place) return {layout.send_count, layout.recv_count, 0};
  const std::size_t offset = s.collective->in_place_offset(layout, s.algorithm).value_or(0);
  return {0, std::max(layout.recv_count, offset + layout.send_count), offset};
}

}  // namespace

std::size_t buffer_bytes(const CollectiveSettings& settings, int ranks, int rank) {
  const Layout layout = settings.collective->layout(settings.bytes / comm::size_of(settings.type), ranks, rank);
  const Buffers elements = buffer_elements(settings, layout);
  return (elements.send + elements.recv) * comm::size_of(settings.type);
}

CollectiveCase::CollectiveCase(const CollectiveSettings& settings, const CaseContext& context)
    : settings_(settings),
      comm_(context.comm),
      layout_(settings.collective->layout(settings.bytes / comm::size_of(settings.type), context.size, context.rank)),
      element_bytes_(comm::size_of(settings.type)) {
  const Buffers elements = buffer_elements(settings_, layout_);
  input_offset_ = elements.input_offset;
  send_ = HostBuffer(elements.send * element_bytes_);
  recv_ = HostBuffer(elements.recv * element_bytes_);
  fill_inputs();
}

bool CollectiveCase::in_place() const { return settings_.in_place || settings_.collective->single_buffer(); }

void CollectiveCase::fill_inputs() {
  const bool reducing = settings_.collective->reduces();
  const std::size_t recv_elements = recv_.size() / element_bytes_;
  for (std::size_t i = 0; i < recv_elements; ++i) comm::store_element(settings_.type, recv_.data(), i, kSentinel);
  if (!settings_.collective->contributes(layout_)) return;
  std::byte* input = in_place() ? recv_.data() + input_offset_ * element_bytes_ : send_.data();
  for (std::size_t i = 0; i < layout_.send_count; ++i)
    comm::store_element(settings_.type, input, i, input_value(settings_.op, reducing, layout_.rank, i));
}

void CollectiveCase::run_once() {
  settings_.collective->run(
      {settings_.algorithm, in_place() ? nullptr : send_.data(), recv_.data(), layout_, settings_.type, settings_.op, comm_});
}

Validation CollectiveCase::validate() {
  fill_inputs();
  run_once();
  return check();
}

Validation CollectiveCase::check() const {
  // Sums of our small-integer inputs are exact until they outgrow the type's mantissa;
  // beyond that each of the n - 1 additions may round by one unit roundoff.
  const double u = comm::unit_roundoff(settings_.type);
  const bool rounding = settings_.collective->reduces() && settings_.op == ReduceOp::sum && u > 0;
  std::uint64_t mismatches = 0;
  double max_error = 0;
  std::optional<std::string> first;
  for (std::size_t i = 0; i < layout_.recv_count; ++i) {
    const Expected want = settings_.collective->expected(layout_, settings_.op, i);
    const double got = comm::load_element(settings_.type, recv_.data(), i);
    const double error = std::fabs(got - want.value);
    const double tolerance = rounding ? layout_.ranks * u * want.magnitude : 0.0;
    max_error = std::max(max_error, std::isnan(error) ? INFINITY : error);
    if (!(error <= tolerance)) {
      ++mismatches;
      if (!first) first = fmt::format("element {} is {}, expected {} (tolerance {})", i, got, want.value, tolerance);
    }
  }
  Validation v;
  v.method = rounding ? fmt::format("|out - exact| <= ranks * u * sum|x|, u = {:.3g}", u) : "exact";
  v.checked = static_cast<std::uint64_t>(allreduce_sum(static_cast<double>(layout_.recv_count), comm_));
  v.mismatches = static_cast<std::uint64_t>(allreduce_sum(static_cast<double>(mismatches), comm_));
  v.max_error = allreduce_max(max_error, comm_);
  v.passed = v.mismatches == 0;
  v.detail = agree_reason(first, comm_).value_or("");
  return v;
}

// busbw's factor is what each rank must send per byte of the operation (nccl-tests).
std::optional<double> CollectiveCase::expected_wire_bytes_per_op() const {
  return static_cast<double>(layout_.count * element_bytes_) * settings_.collective->bus_factor(layout_.ranks) * layout_.ranks;
}

std::vector<Metric> CollectiveCase::derived_metrics(double seconds_per_op) const {
  const double algbw = static_cast<double>(layout_.count * element_bytes_) / seconds_per_op / 1e9;
  return {{"algbw", algbw, "GB/s", Direction::higher_is_better},
          {"busbw", algbw * settings_.collective->bus_factor(layout_.ranks), "GB/s", Direction::higher_is_better}};
}

}  // namespace sciperf::suites
