// getrusage(RUSAGE_SELF): the kernel's own accounting for the whole process, every thread,
// which needs no permission and so works wherever perf_event_open is refused.
#pragma once

#include "harness/collector.h"

#include <sys/resource.h>

#include <vector>

namespace sciperf::host {

// host.cpu_user and host.cpu_system (s), host.ctx_switches_{voluntary,involuntary} and
// host.page_faults_{minor,major} (count) as changes from `begin` to `end`; host.max_rss
// (bytes) is `end`'s level. That is the process's peak since it started: the kernel keeps
// no peak per region, so a case shows a larger peak only when it grew the process's.
std::vector<Counter> rusage_changes(const rusage& begin, const rusage& end);

class Rusage {
 public:
  void begin();
  void end(std::vector<Counter>& counters) const;

 private:
  rusage at_begin_{};
};

}  // namespace sciperf::host
