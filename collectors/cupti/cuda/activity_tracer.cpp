#include "collectors/cupti/cuda/activity_tracer.h"

#include <cuda_runtime_api.h>
#include <cupti.h>
#include <fmt/format.h>

#include <cstdlib>
#include <mutex>

namespace sciperf::collectors::cupti {

namespace {

// The record structures CUPTI fills change version with the toolkit (cupti_activity.h
// names the current one for each kind); only fields every version has are read.
#if CUDA_VERSION >= 13000
using KernelRecord = CUpti_ActivityKernel10;
using MemcpyRecord = CUpti_ActivityMemcpy6;
using MemsetRecord = CUpti_ActivityMemset4;
#else
using KernelRecord = CUpti_ActivityKernel9;
using MemcpyRecord = CUpti_ActivityMemcpy5;
using MemsetRecord = CUpti_ActivityMemset4;
#endif

constexpr std::size_t kBufferBytes = 8u << 20;
constexpr std::size_t kBufferAlignment = 8;  // CUPTI's requirement for activity buffers
constexpr CUpti_ActivityKind kKinds[] = {CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL, CUPTI_ACTIVITY_KIND_MEMCPY,
                                         CUPTI_ACTIVITY_KIND_MEMSET};

std::string cupti_error(const char* call, CUptiResult result) {
  const char* text = nullptr;
  if (cuptiGetResultString(result, &text) != CUPTI_SUCCESS || !text) text = "unknown error";
  return fmt::format("{}: {} ({})", call, text, static_cast<int>(result));
}

const char* copy_direction(std::uint8_t kind) {
  switch (kind) {
    case CUPTI_ACTIVITY_MEMCPY_KIND_HTOD: return "HtoD";
    case CUPTI_ACTIVITY_MEMCPY_KIND_DTOH: return "DtoH";
    case CUPTI_ACTIVITY_MEMCPY_KIND_DTOD: return "DtoD";
    case CUPTI_ACTIVITY_MEMCPY_KIND_HTOH: return "HtoH";
    case CUPTI_ACTIVITY_MEMCPY_KIND_PTOP: return "PtoP";
    default: return "memcpy";
  }
}

// Filled from CUPTI's completion callback, which runs on a thread of CUPTI's.
struct Sink {
  std::mutex mutex;
  TraceResult result;
};

Sink& sink() {
  static Sink s;
  return s;
}

std::optional<ActivityRecord> convert(const CUpti_Activity* record) {
  switch (record->kind) {
    case CUPTI_ACTIVITY_KIND_KERNEL:
    case CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL: {
      const auto* k = reinterpret_cast<const KernelRecord*>(record);
      return ActivityRecord{ActivityKind::kernel, k->start, k->end, 0, k->deviceId, k->streamId, k->name ? k->name : ""};
    }
    case CUPTI_ACTIVITY_KIND_MEMCPY: {
      const auto* m = reinterpret_cast<const MemcpyRecord*>(record);
      return ActivityRecord{ActivityKind::memcpy, m->start, m->end, m->bytes, m->deviceId, m->streamId,
                            copy_direction(m->copyKind)};
    }
    case CUPTI_ACTIVITY_KIND_MEMSET: {
      const auto* m = reinterpret_cast<const MemsetRecord*>(record);
      return ActivityRecord{ActivityKind::memset, m->start, m->end, m->bytes, m->deviceId, m->streamId, "memset"};
    }
    default: return std::nullopt;
  }
}

void CUPTIAPI buffer_requested(std::uint8_t** buffer, std::size_t* size, std::size_t* max_records) {
  *buffer = static_cast<std::uint8_t*>(std::aligned_alloc(kBufferAlignment, kBufferBytes));
  *size = *buffer ? kBufferBytes : 0;
  *max_records = 0;  // as many as fit
}

void CUPTIAPI buffer_completed(CUcontext context, std::uint32_t stream, std::uint8_t* buffer, std::size_t,
                              std::size_t valid_bytes) {
  TraceResult parsed;
  CUpti_Activity* record = nullptr;
  while (cuptiActivityGetNextRecord(buffer, valid_bytes, &record) == CUPTI_SUCCESS)
    if (auto converted = convert(record)) parsed.records.push_back(std::move(*converted));
  std::size_t dropped = 0;
  if (cuptiActivityGetNumDroppedRecords(context, stream, &dropped) == CUPTI_SUCCESS) parsed.dropped = dropped;
  std::free(buffer);
  Sink& s = sink();
  std::lock_guard lock(s.mutex);
  s.result.records.insert(s.result.records.end(), std::make_move_iterator(parsed.records.begin()),
                          std::make_move_iterator(parsed.records.end()));
  s.result.dropped += parsed.dropped;
}

}  // namespace

ActivityTracer& ActivityTracer::instance() {
  static ActivityTracer tracer;
  return tracer;
}

std::optional<std::string> ActivityTracer::start() {
  {
    std::lock_guard lock(sink().mutex);
    sink().result = {};
  }
  if (!callbacks_registered_) {
    if (CUptiResult r = cuptiActivityRegisterCallbacks(buffer_requested, buffer_completed); r != CUPTI_SUCCESS)
      return cupti_error("cuptiActivityRegisterCallbacks", r);
    callbacks_registered_ = true;
  }
  for (CUpti_ActivityKind kind : kKinds) {
    if (CUptiResult r = cuptiActivityEnable(kind); r != CUPTI_SUCCESS) {
      for (CUpti_ActivityKind enabled : kKinds) cuptiActivityDisable(enabled);
      return cupti_error("cuptiActivityEnable", r);
    }
  }
  return std::nullopt;
}

TraceResult ActivityTracer::stop() {
  cudaDeviceSynchronize();  // records of work still running would come after the flush
  cuptiActivityFlushAll(CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
  for (CUpti_ActivityKind kind : kKinds) cuptiActivityDisable(kind);
  std::lock_guard lock(sink().mutex);
  return std::exchange(sink().result, {});
}

}  // namespace sciperf::collectors::cupti
