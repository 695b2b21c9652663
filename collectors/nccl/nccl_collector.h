// What NCCL actually chose for each collective in a case's measured region: algorithm,
// protocol and channels, counted per path, so busbw can be read against the path taken. The
// counts come from our NCCL profiler plugin (plugin/nccl_profiler_plugin.cpp): the collector
// points NCCL_PROFILER_PLUGIN at it when it is created, before any NCCL communicator exists,
// and reads the plugin's counts through the same loaded copy. Nothing links NCCL: libnccl.so.2
// is only opened to check it loads and to read its version.
#pragma once

#include "harness/collector.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sciperf::collectors {

struct NcclOptions {
  // Where the plugin may be, the first that exists used: beside the running binary as
  // installed (<bindir>/../<libdir>/sciperf/), then where the build put it.
  std::vector<std::string> plugin_candidates;
  std::string nccl_library = "libnccl.so.2";         // tests name one that does not exist
  std::optional<std::string> profiler_plugin_env;  // NCCL_PROFILER_PLUGIN as found; nullopt when unset
};

NcclOptions nccl_options_from_environment();

// Per rank. Unavailable when the plugin is not found (or is not ours, or of another version),
// when libnccl.so.2 cannot be loaded, or when NCCL_PROFILER_PLUGIN already names another
// plugin (it is left alone). Available, it sets NCCL_PROFILER_PLUGIN to the plugin's absolute
// path unless already set to it, and unsets it again when destroyed (so a disabled collector
// adds nothing to NCCL's work).
// Counters, over the region, only where NCCL ran a collective or has a communicator:
// nccl.<collective>.<algorithm>.<protocol>.ops (count), .bytes (count x element size, bytes;
// left out when a datatype's size is unknown), .channels_min and .channels_max (count);
// nccl.ops, nccl.channels_min, nccl.channels_max over every path; nccl.communicators (live
// communicators that loaded the plugin, a level); nccl.dropped_ops when paths overflowed the
// plugin's table. Names are lower-case: nccl.allreduce.ring.simple.ops.
std::unique_ptr<Collector> make_nccl_collector(const NcclOptions& options = nccl_options_from_environment());

}  // namespace sciperf::collectors
