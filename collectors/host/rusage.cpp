#include "collectors/host/rusage.h"

#include <iterator>

namespace sciperf::host {

namespace {

double seconds(const timeval& time) {
  return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) * 1e-6;
}

rusage read_rusage() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage;
}

}  // namespace

std::vector<Counter> rusage_changes(const rusage& begin, const rusage& end) {
  const auto count = [](long from, long to) { return static_cast<double>(to - from); };
  return {
      {"host.cpu_user", seconds(end.ru_utime) - seconds(begin.ru_utime), "s"},
      {"host.cpu_system", seconds(end.ru_stime) - seconds(begin.ru_stime), "s"},
      {"host.ctx_switches_voluntary", count(begin.ru_nvcsw, end.ru_nvcsw), "count"},
      {"host.ctx_switches_involuntary", count(begin.ru_nivcsw, end.ru_nivcsw), "count"},
      {"host.page_faults_minor", count(begin.ru_minflt, end.ru_minflt), "count"},
      {"host.page_faults_major", count(begin.ru_majflt, end.ru_majflt), "count"},
      // ru_maxrss is in KiB on Linux.
      {"host.max_rss", static_cast<double>(end.ru_maxrss) * 1024.0, "bytes"},
  };
}

void Rusage::begin() { at_begin_ = read_rusage(); }

void Rusage::end(std::vector<Counter>& counters) const {
  auto changes = rusage_changes(at_begin_, read_rusage());
  counters.insert(counters.end(), std::make_move_iterator(changes.begin()),
                  std::make_move_iterator(changes.end()));
}

}  // namespace sciperf::host
