// NCCL's profiler plugin interface, as far as our plugin (plugin/nccl_profiler_plugin.cpp)
// needs it: NCCL dlopens the library NCCL_PROFILER_PLUGIN names and reads the exported table
// `ncclProfiler_v5` (or, from a NCCL that predates it, `ncclProfiler_v4`). No NCCL header
// ships these declarations (the toolkit has nccl.h only), so they are written here, field for
// field, from NCCL's own headers:
//   v5: src/include/plugin/profiler/profiler_v5.h (NCCL 2.28; 2.28.9 is the toolkit's and
//       loads v5 at most), event bits from src/include/plugin/nccl_profiler.h;
//   v4: src/include/plugin/profiler/profiler_v4.h.
// Only the collective event's fields are read; the descriptor's other union members are
// declared so its size and alignment match. NCCL keeps a released version frozen and adapts
// later ones to it (NCCL 2.29+ still loads v5), so a newer NCCL keeps working with this.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sciperf::nccl_abi {

using Result = int;  // ncclResult_t, a C enum
inline constexpr Result kSuccess = 0;         // ncclSuccess
inline constexpr Result kInvalidArgument = 4;  // ncclInvalidArgument

// Event types (ncclProfileGroup, ncclProfileColl, ...): the descriptor's `type`, and the bits
// of the activation mask init() hands back.
inline constexpr std::uint64_t kProfileGroup = 1u << 0;
inline constexpr std::uint64_t kProfileColl = 1u << 1;

using EventState = int;        // ncclProfilerEventState_v5_t / _v4_t, a C enum
union EventStateArgs;          // ncclProfilerEventStateArgs_v5_t / _v4_t: never read
// ncclDebugLogger_t: NCCL's logger (level, subsystem flags, file, line, printf format).
using DebugLogger = void (*)(int level, unsigned long flags, const char* file, int line, const char* format, ...);

// One collective as NCCL planned it: the `coll` member of the descriptor union.
struct CollectiveV4 {
  std::uint64_t seqNumber;
  const char* func;      // "AllReduce", "AllGather", ... (ncclFuncToString)
  const void* sendBuff;
  void* recvBuff;
  std::size_t count;     // elements, as passed to the call
  int root;
  const char* datatype;  // "ncclFloat32", ... (ncclDatatypeToString)
  std::uint8_t nChannels;
  std::uint8_t nWarps;
  const char* algo;      // "Ring", "Tree", "NVLS", ... (ncclAlgoToString)
  const char* proto;     // "LL", "LL128", "Simple" (ncclProtoToString)
};

struct CollectiveV5 {
  std::uint64_t seqNumber;
  const char* func;
  const void* sendBuff;
  void* recvBuff;
  std::size_t count;
  int root;
  const char* datatype;
  std::uint8_t nChannels;
  std::uint8_t nWarps;
  const char* algo;
  const char* proto;
  void* parentGroup;  // v5 added it (the v4 parent)
};

// ncclProfilerEventDescr_v5_t.
struct EventDescrV5 {
  std::uint64_t type;
  void* parentObj;
  int rank;
  union {
    struct { bool graphCaptured; int groupDepth; } groupApi;
    struct { const char* func; std::size_t count; const char* datatype; int root; void* stream; bool graphCaptured; } collApi;
    struct { const char* func; std::size_t count; const char* datatype; void* stream; bool graphCaptured; } p2pApi;
    struct { void* stream; } kernelLaunch;
    CollectiveV5 coll;
    struct { const char* func; void* buff; const char* datatype; std::size_t count; int peer; std::uint8_t nChannels; void* parentGroup; } p2p;
    struct { int pid; std::uint8_t channelId; int peer; int nSteps; int chunkSize; int isSend; } proxyOp;
    struct { int step; } proxyStep;
    struct { std::uint8_t channelId; std::uint64_t pTimer; } kernelCh;
    struct { std::int64_t id; void* data; } netPlugin;
  };
};

// ncclProfilerEventDescr_v4_t: `type` is one byte here.
struct EventDescrV4 {
  std::uint8_t type;
  void* parentObj;
  int rank;
  union {
    CollectiveV4 coll;
    struct { const char* func; void* buff; const char* datatype; std::size_t count; int peer; std::uint8_t nChannels; } p2p;
    struct { int pid; std::uint8_t channelId; int peer; int nSteps; int chunkSize; int isSend; } proxyOp;
    struct { int step; } proxyStep;
    struct { std::uint8_t channelId; std::uint64_t pTimer; } kernelCh;
    struct { std::int64_t id; void* data; } netPlugin;
  };
};

// ncclProfiler_v5_t.
struct ProfilerV5 {
  const char* name;
  Result (*init)(void** context, std::uint64_t commId, int* eActivationMask, const char* commName, int nNodes, int nranks,
                 int rank, DebugLogger logfn);
  Result (*startEvent)(void* context, void** eHandle, EventDescrV5* eDescr);
  Result (*stopEvent)(void* eHandle);
  Result (*recordEventState)(void* eHandle, EventState eState, EventStateArgs* eStateArgs);
  Result (*finalize)(void* context);
};

// ncclProfiler_v4_t: init takes the communicator's name before its hash.
struct ProfilerV4 {
  const char* name;
  Result (*init)(void** context, int* eActivationMask, const char* commName, std::uint64_t commHash, int nNodes, int nranks,
                 int rank, DebugLogger logfn);
  Result (*startEvent)(void* context, void** eHandle, EventDescrV4* eDescr);
  Result (*stopEvent)(void* eHandle);
  Result (*recordEventState)(void* eHandle, EventState eState, EventStateArgs* eStateArgs);
  Result (*finalize)(void* context);
};

// The layout NCCL's C compiler gives these on LP64 Linux (x86-64, aarch64).
static_assert(offsetof(EventDescrV5, coll) == 24 && sizeof(EventDescrV5) == 112);
static_assert(offsetof(EventDescrV5, coll.nChannels) == 80 && offsetof(EventDescrV5, coll.algo) == 88);
static_assert(offsetof(EventDescrV5, coll.proto) == 96 && offsetof(EventDescrV5, coll.parentGroup) == 104);
static_assert(offsetof(EventDescrV4, coll) == 24 && sizeof(EventDescrV4) == 104);

}  // namespace sciperf::nccl_abi
