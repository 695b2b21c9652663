#include "collectors/cupti/activity.h"

#include "harness/bundle.h"
#include "harness/file_names.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <utility>

namespace sciperf::collectors::cupti {

namespace {

using Interval = std::pair<std::uint64_t, std::uint64_t>;

constexpr double kNsPerSecond = 1e9;

// Sorted, disjoint intervals covering the same time as `intervals`.
std::vector<Interval> merged(std::vector<Interval> intervals) {
  std::sort(intervals.begin(), intervals.end());
  std::vector<Interval> out;
  for (const Interval& next : intervals) {
    if (!out.empty() && next.first <= out.back().second) out.back().second = std::max(out.back().second, next.second);
    else out.push_back(next);
  }
  return out;
}

std::uint64_t covered_ns(const std::vector<Interval>& disjoint) {
  std::uint64_t total = 0;
  for (const auto& [start, end] : disjoint) total += end - start;
  return total;
}

// Time covered by both sets of sorted disjoint intervals.
std::uint64_t intersection_ns(const std::vector<Interval>& a, const std::vector<Interval>& b) {
  std::uint64_t total = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    const std::uint64_t start = std::max(a[i].first, b[j].first);
    const std::uint64_t end = std::min(a[i].second, b[j].second);
    if (start < end) total += end - start;
    if (a[i].second < b[j].second) ++i;
    else ++j;
  }
  return total;
}

double seconds(std::uint64_t ns) { return static_cast<double>(ns) / kNsPerSecond; }

const char* kind_name(ActivityKind kind) {
  switch (kind) {
    case ActivityKind::kernel: return "kernel";
    case ActivityKind::memcpy: return "memcpy";
    case ActivityKind::memset: return "memset";
  }
  return "activity";
}

}  // namespace

ActivitySummary summarize(const std::vector<ActivityRecord>& records) {
  ActivitySummary s;
  std::vector<Interval> kernels, copies;
  std::uint64_t first = std::numeric_limits<std::uint64_t>::max(), last = 0;
  for (const ActivityRecord& r : records) {
    // CUPTI reports 0 for a timestamp it could not take; such a record has no duration.
    const std::uint64_t ns = r.end_ns > r.start_ns ? r.end_ns - r.start_ns : 0;
    if (ns > 0) {
      first = std::min(first, r.start_ns);
      last = std::max(last, r.end_ns);
    }
    switch (r.kind) {
      case ActivityKind::kernel:
        ++s.kernels;
        s.kernel_seconds += seconds(ns);
        if (r.name.starts_with("nccl")) {
          ++s.nccl_kernels;
          s.nccl_kernel_seconds += seconds(ns);
        }
        if (ns > 0) kernels.emplace_back(r.start_ns, r.end_ns);
        break;
      case ActivityKind::memcpy:
        ++s.memcpys;
        s.memcpy_seconds += seconds(ns);
        s.memcpy_bytes += static_cast<double>(r.bytes);
        if (ns > 0) copies.emplace_back(r.start_ns, r.end_ns);
        break;
      case ActivityKind::memset:
        ++s.memsets;
        s.memset_seconds += seconds(ns);
        s.memset_bytes += static_cast<double>(r.bytes);
        break;
    }
  }
  kernels = merged(std::move(kernels));
  copies = merged(std::move(copies));
  s.kernel_busy_seconds = seconds(covered_ns(kernels));
  s.copy_busy_seconds = seconds(covered_ns(copies));
  s.copy_compute_overlap_seconds = seconds(intersection_ns(kernels, copies));
  s.span_seconds = last > first ? seconds(last - first) : 0;
  return s;
}

std::vector<Counter> summary_counters(const ActivitySummary& s, std::int64_t operations, std::uint64_t dropped_records) {
  const double per = operations > 0 ? 1.0 / static_cast<double>(operations) : 1.0;
  auto count = [per](std::uint64_t n) { return static_cast<double>(n) * per; };
  return {{"cupti.profiled_operations", static_cast<double>(operations), "count"},
          {"cupti.kernels", count(s.kernels), "count"},
          {"cupti.kernel_time", s.kernel_seconds * per, "s"},
          {"cupti.kernel_busy_time", s.kernel_busy_seconds * per, "s"},
          {"cupti.nccl_kernels", count(s.nccl_kernels), "count"},
          {"cupti.nccl_kernel_time", s.nccl_kernel_seconds * per, "s"},
          {"cupti.memcpys", count(s.memcpys), "count"},
          {"cupti.memcpy_time", s.memcpy_seconds * per, "s"},
          {"cupti.memcpy_bytes", s.memcpy_bytes * per, "bytes"},
          {"cupti.memsets", count(s.memsets), "count"},
          {"cupti.memset_bytes", s.memset_bytes * per, "bytes"},
          {"cupti.copy_compute_overlap", s.copy_compute_overlap_seconds * per, "s"},
          {"cupti.gpu_span_time", s.span_seconds * per, "s"},
          {"cupti.dropped_records", static_cast<double>(dropped_records), "count"}};
}

nlohmann::json chrome_trace(const std::vector<ActivityRecord>& records, std::size_t max_events, int rank,
                            std::string_view case_name) {
  std::vector<const ActivityRecord*> ordered;
  ordered.reserve(records.size());
  for (const ActivityRecord& r : records) ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->start_ns < b->start_ns; });
  const std::size_t kept = std::min(max_events, ordered.size());
  const std::uint64_t origin = ordered.empty() ? 0 : ordered.front()->start_ns;
  nlohmann::json events = nlohmann::json::array();
  std::map<std::uint32_t, bool> devices;
  for (std::size_t i = 0; i < kept; ++i) {
    const ActivityRecord& r = *ordered[i];
    devices[r.device] = true;
    nlohmann::json event{{"name", r.name.empty() ? kind_name(r.kind) : r.name},
                         {"cat", kind_name(r.kind)},
                         {"ph", "X"},
                         {"ts", static_cast<double>(r.start_ns - origin) / 1e3},
                         {"dur", static_cast<double>(r.end_ns > r.start_ns ? r.end_ns - r.start_ns : 0) / 1e3},
                         {"pid", r.device},
                         {"tid", r.stream}};
    if (r.kind != ActivityKind::kernel) event["args"] = {{"bytes", r.bytes}};
    events.push_back(std::move(event));
  }
  for (const auto& [device, _] : devices)
    events.push_back({{"name", "process_name"},
                      {"ph", "M"},
                      {"pid", device},
                      {"args", {{"name", fmt::format("GPU {} (rank {})", device, rank)}}}});
  return {{"traceEvents", std::move(events)},
          {"displayTimeUnit", "ns"},
          {"otherData",
           {{"case", case_name}, {"rank", rank}, {"events", kept}, {"dropped_events", ordered.size() - kept}}}};
}

std::filesystem::path write_chrome_trace(const std::filesystem::path& output_dir, std::string_view case_name, int rank,
                                         const nlohmann::json& trace) {
  const std::filesystem::path path =
      output_dir / "traces" / fmt::format("{}.rank{}.json", file_safe_name(std::string(case_name), "case"), rank);
  std::filesystem::create_directories(path.parent_path());
  write_file_atomically(path, trace.dump());
  return path;
}

}  // namespace sciperf::collectors::cupti
