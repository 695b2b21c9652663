// libsciperf_nccl_profiler.so: a NCCL profiler plugin that counts, per collective, the path
// NCCL chose (algorithm, protocol, channels), so busbw can be read against it. NCCL loads it
// when NCCL_PROFILER_PLUGIN names it (the NCCL collector sets that); the collector reads the
// counts through nccl_profiler_api.h. Only collective events are asked for, and each costs one
// uncontended lock and a lookup among a few paths when NCCL plans it.
#include "collectors/nccl/nccl_profiler_abi.h"
#include "collectors/nccl/nccl_profiler_api.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string_view>
#include <utility>

#define SCIPERF_EXPORT __attribute__((visibility("default")))

namespace {

namespace abi = sciperf::nccl_abi;

// Element sizes of NCCL's datatypes, by the names ncclDatatypeToString gives them.
std::size_t element_size(const char* datatype) {
  if (!datatype) return 0;
  static constexpr std::pair<std::string_view, std::size_t> kSizes[] = {
      {"ncclInt8", 1},    {"ncclUint8", 1},    {"ncclFloat8e4m3", 1}, {"ncclFloat8e5m2", 1},
      {"ncclFloat16", 2}, {"ncclBfloat16", 2}, {"ncclInt32", 4},      {"ncclUint32", 4},
      {"ncclFloat32", 4}, {"ncclInt64", 8},    {"ncclUint64", 8},     {"ncclFloat64", 8},
  };
  for (const auto& [name, size] : kSizes)
    if (name == datatype) return size;
  return 0;
}

// Copies a NCCL name into a fixed field, truncated; "" for a null name.
template <std::size_t N>
void copy_name(char (&field)[N], const char* name) {
  std::strncpy(field, name ? name : "", N - 1);
  field[N - 1] = '\0';
}

template <std::size_t N>
bool same_name(const char (&field)[N], const char* name) {
  return std::strncmp(field, name ? name : "", N - 1) == 0;
}

struct Table {
  std::mutex mutex;
  sciperf_nccl_path paths[kSciperfNcclProfilerMaxPaths] = {};
  std::size_t used = 0;
  sciperf_nccl_totals totals = {};
};

Table& table() {
  static Table instance;
  return instance;
}

// Handles: NCCL only needs them non-null to stop the event (and, for a group, to start the
// collectives in it on older releases); nothing per event is kept.
char collective_handle;
char other_handle;
char context;

void record(const char* func, const char* algo, const char* proto, std::size_t count, const char* datatype,
            unsigned channels) {
  Table& t = table();
  const std::lock_guard lock(t.mutex);
  ++t.totals.ops;
  sciperf_nccl_path* path = nullptr;
  for (std::size_t i = 0; i < t.used && !path; ++i) {
    sciperf_nccl_path& candidate = t.paths[i];
    if (same_name(candidate.collective, func) && same_name(candidate.algorithm, algo) && same_name(candidate.protocol, proto))
      path = &candidate;
  }
  if (!path) {
    if (t.used == kSciperfNcclProfilerMaxPaths) {
      ++t.totals.dropped_ops;
      return;
    }
    path = &t.paths[t.used++];
    *path = {};
    copy_name(path->collective, func);
    copy_name(path->algorithm, algo);
    copy_name(path->protocol, proto);
  }
  ++path->ops;
  if (const std::size_t size = element_size(datatype)) path->bytes += count * size;
  else ++path->unsized_ops;
  if (channels > 0) {
    path->channels_min = path->channels_min == 0 ? channels : std::min<std::uint32_t>(path->channels_min, channels);
    path->channels_max = std::max<std::uint32_t>(path->channels_max, channels);
  }
}

// Collective events only: the group (NCCL 2.28 also starts its API-level events whenever
// collectives are asked for) gets a handle and nothing else.
template <typename Descriptor>
abi::Result start_event(void* /*context*/, void** handle, Descriptor* descriptor) {
  if (!handle || !descriptor) return abi::kInvalidArgument;
  if (descriptor->type != abi::kProfileColl) {
    *handle = &other_handle;
    return abi::kSuccess;
  }
  const auto& coll = descriptor->coll;
  record(coll.func, coll.algo, coll.proto, coll.count, coll.datatype, coll.nChannels);
  *handle = &collective_handle;
  return abi::kSuccess;
}

abi::Result stop_event(void* /*handle*/) { return abi::kSuccess; }

abi::Result record_event_state(void* /*handle*/, abi::EventState /*state*/, abi::EventStateArgs* /*args*/) {
  return abi::kSuccess;
}

// Every communicator's init writes NCCL's process-wide mask: each asks for the same.
abi::Result init(void** context_out, int* activation_mask) {
  if (!context_out || !activation_mask) return abi::kInvalidArgument;
  *activation_mask = static_cast<int>(abi::kProfileColl);
  *context_out = &context;
  Table& t = table();
  const std::lock_guard lock(t.mutex);
  ++t.totals.communicators;
  return abi::kSuccess;
}

abi::Result init_v5(void** context_out, std::uint64_t /*commId*/, int* activation_mask, const char* /*commName*/,
                    int /*nNodes*/, int /*nranks*/, int /*rank*/, abi::DebugLogger /*logfn*/) {
  return init(context_out, activation_mask);
}

abi::Result init_v4(void** context_out, int* activation_mask, const char* /*commName*/, std::uint64_t /*commHash*/,
                    int /*nNodes*/, int /*nranks*/, int /*rank*/, abi::DebugLogger /*logfn*/) {
  return init(context_out, activation_mask);
}

abi::Result finalize(void* /*context*/) {
  Table& t = table();
  const std::lock_guard lock(t.mutex);
  if (t.totals.communicators > 0) --t.totals.communicators;
  return abi::kSuccess;
}

}  // namespace

extern "C" {

// NCCL takes the newest version it knows: v5 from 2.28 on, v4 before.
SCIPERF_EXPORT abi::ProfilerV5 ncclProfiler_v5 = {"sciperf", init_v5, start_event<abi::EventDescrV5>, stop_event,
                                                  record_event_state, finalize};
SCIPERF_EXPORT abi::ProfilerV4 ncclProfiler_v4 = {"sciperf", init_v4, start_event<abi::EventDescrV4>, stop_event,
                                                  record_event_state, finalize};

SCIPERF_EXPORT int sciperf_nccl_profiler_api_version(void) { return kSciperfNcclProfilerApiVersion; }

SCIPERF_EXPORT void sciperf_nccl_profiler_reset(void) {
  Table& t = table();
  const std::lock_guard lock(t.mutex);
  t.used = 0;
  t.totals.ops = 0;
  t.totals.dropped_ops = 0;
}

SCIPERF_EXPORT std::size_t sciperf_nccl_profiler_snapshot(sciperf_nccl_path* paths, std::size_t capacity,
                                                          sciperf_nccl_totals* totals) {
  Table& t = table();
  const std::lock_guard lock(t.mutex);
  if (paths) std::copy_n(t.paths, std::min(capacity, t.used), paths);
  if (totals) *totals = t.totals;
  return t.used;
}

}  // extern "C"
