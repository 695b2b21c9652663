// Waiting until a scheduled issue time, to within a microsecond or so. Sleeping alone is too
// coarse (a wake-up comes tens of microseconds late), spinning alone burns a core for the
// whole run: sleep until kSpinWindow before the deadline, then spin on the clock.
#pragma once

#include "suites/inference/loadgen/system_under_test.h"

#include <chrono>

namespace sciperf::loadgen {

inline constexpr std::chrono::microseconds kSpinWindow{50};

// Returns the clock reading that ended the wait (>= deadline): the caller's issue time, with
// no second clock read.
Clock::time_point wait_until(Clock::time_point deadline);

// While alive, the calling thread's timer slack (Linux lets a sleep end up to 50 us late by
// default, to batch wake-ups) is 1 ns, so a sleep ends inside the spin window. Restores the
// previous slack; does nothing elsewhere.
class PreciseTimerScope {
 public:
  PreciseTimerScope();
  ~PreciseTimerScope();
  PreciseTimerScope(const PreciseTimerScope&) = delete;
  PreciseTimerScope& operator=(const PreciseTimerScope&) = delete;

 private:
  long previous_slack_ns_ = -1;
};

}  // namespace sciperf::loadgen
