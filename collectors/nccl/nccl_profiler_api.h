// What our NCCL profiler plugin (plugin/nccl_profiler_plugin.cpp) exports to sciperf itself,
// beside the table NCCL reads: plain C functions the NCCL collector finds with dlsym in the
// same copy of the library NCCL loaded (dlopen of one path gives one copy per process).
// The plugin counts collectives per path NCCL took (collective, algorithm, protocol), in a
// table of fixed size, so its memory stays bounded however long the run.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

// Bumped whenever anything below changes: the collector refuses a plugin of another version
// (a stale build or install).
inline constexpr int kSciperfNcclProfilerApiVersion = 1;

// The paths the table holds; collectives beyond them are counted as dropped.
inline constexpr std::size_t kSciperfNcclProfilerMaxPaths = 64;

struct sciperf_nccl_path {
  char collective[32];  // as NCCL names it: "AllReduce", ...
  char algorithm[32];   // "Ring", "Tree", "NVLS", ...
  char protocol[16];    // "LL", "LL128", "Simple"
  std::uint64_t ops;
  std::uint64_t bytes;         // count x element size, over the ops whose datatype is known
  std::uint64_t unsized_ops;   // ops with a datatype of unknown size (left out of bytes)
  std::uint32_t channels_min;  // over the ops that gave a channel count (> 0); 0 when none did
  std::uint32_t channels_max;
};

struct sciperf_nccl_totals {
  std::uint64_t communicators;  // NCCL communicators that initialized the plugin and are not finalized
  std::uint64_t ops;            // collectives seen since the last reset, dropped ones included
  std::uint64_t dropped_ops;    // collectives on a path that no longer fit the table
};

// Exported by the plugin (the collector looks them up by these names).
int sciperf_nccl_profiler_api_version(void);
// Forgets the paths and the op counts (not the communicators).
void sciperf_nccl_profiler_reset(void);
// Copies up to `capacity` paths (in the order first seen) and the totals; returns how many
// paths there are.
std::size_t sciperf_nccl_profiler_snapshot(sciperf_nccl_path* paths, std::size_t capacity, sciperf_nccl_totals* totals);

}  // extern "C"
