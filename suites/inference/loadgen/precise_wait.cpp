#include "suites/inference/loadgen/precise_wait.h"

#include <thread>

#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace sciperf::loadgen {
namespace {

// Tells the core (and a hyperthread sibling) that this is a spin loop.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace

Clock::time_point wait_until(Clock::time_point deadline) {
  Clock::time_point now = Clock::now();
  if (deadline - now > kSpinWindow) {
    std::this_thread::sleep_until(deadline - kSpinWindow);
    now = Clock::now();
  }
  while (now < deadline) {
    cpu_relax();
    now = Clock::now();
  }
  return now;
}

PreciseTimerScope::PreciseTimerScope() {
#if defined(__linux__)
  const int previous = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
  if (previous >= 0 && prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0) == 0) previous_slack_ns_ = previous;
#endif
}

PreciseTimerScope::~PreciseTimerScope() {
#if defined(__linux__)
  if (previous_slack_ns_ > 0) prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(previous_slack_ns_), 0, 0, 0);
#endif
}

}  // namespace sciperf::loadgen
