// GPU activity (CUPTI Activity API) and hardware metrics (CUPTI Range Profiling) for a
// case's profiling pass, never its timed pass (harness/collector.h). Per operation of the
// pass: kernel count and time, NCCL kernels, memcpy/memset bytes and time, copy/compute
// overlap (activity.h); with `metrics`, each metric's value over the pass as
// cupti.metric.<name>; with `trace`, a Chrome/Perfetto trace file per case and rank.
// Compiled against CUPTI when the build has the CUDA toolkit; without it, unavailable.
#pragma once

#include "harness/collector.h"

#include <memory>

namespace sciperf::collectors {

std::unique_ptr<Collector> make_cupti_collector();

}  // namespace sciperf::collectors
