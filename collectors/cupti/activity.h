// What the CUPTI Activity API reports about a profiling pass, in plain C++: the kernel,
// memcpy and memset records, their per-case totals, and the bounded Chrome/Perfetto trace
// file. Kept apart from the CUPTI calls (cuda/) so that all of it is tested without a GPU.
#pragma once

#include "harness/collector.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sciperf::collectors::cupti {

enum class ActivityKind { kernel, memcpy, memset };

struct ActivityRecord {
  ActivityKind kind;
  std::uint64_t start_ns;  // CUPTI timestamps (one clock for every record of a process)
  std::uint64_t end_ns;
  std::uint64_t bytes = 0;  // memcpy and memset
  std::uint32_t device = 0;
  std::uint32_t stream = 0;
  std::string name;  // the kernel's name, or the copy's direction ("HtoD", "DtoD", ...)
};

struct ActivitySummary {
  std::uint64_t kernels = 0;
  std::uint64_t memcpys = 0;
  std::uint64_t memsets = 0;
  std::uint64_t nccl_kernels = 0;  // NCCL's collective kernels (names starting "nccl")
  double kernel_seconds = 0;       // summed over kernels; concurrent kernels each count
  double nccl_kernel_seconds = 0;
  double memcpy_seconds = 0;
  double memset_seconds = 0;
  double memcpy_bytes = 0;
  double memset_bytes = 0;
  double kernel_busy_seconds = 0;  // time with at least one kernel running (union)
  double copy_busy_seconds = 0;    // time with at least one memcpy running (union)
  double copy_compute_overlap_seconds = 0;  // time with a memcpy and a kernel running at once
  double span_seconds = 0;                  // first record's start to last record's end
};

ActivitySummary summarize(const std::vector<ActivityRecord>& records);

// The summary per operation of the pass (`operations` > 0), as counters named cupti.*:
// cupti.kernels, cupti.kernel_time, cupti.kernel_busy_time, cupti.nccl_kernels,
// cupti.nccl_kernel_time, cupti.memcpys, cupti.memcpy_time, cupti.memcpy_bytes,
// cupti.memsets, cupti.memset_bytes, cupti.copy_compute_overlap, cupti.gpu_span_time;
// plus cupti.profiled_operations and cupti.dropped_records (records CUPTI lost).
std::vector<Counter> summary_counters(const ActivitySummary& summary, std::int64_t operations,
                                      std::uint64_t dropped_records);

// A Chrome trace-event document (JSON object format; chrome://tracing and Perfetto read it):
// one complete ("X") event per record, times in microseconds from the first record, a
// process per device and a thread per stream. At most `max_events` records are written (the
// earliest ones); the rest are counted in otherData.dropped_events, so a long case cannot
// fill a disk.
nlohmann::json chrome_trace(const std::vector<ActivityRecord>& records, std::size_t max_events, int rank,
                            std::string_view case_name);

// <output_dir>/traces/<case>.rank<r>.json; returns the path written.
std::filesystem::path write_chrome_trace(const std::filesystem::path& output_dir, std::string_view case_name, int rank,
                                         const nlohmann::json& trace);

}  // namespace sciperf::collectors::cupti
