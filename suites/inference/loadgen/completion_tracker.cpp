#include "suites/inference/loadgen/completion_tracker.h"

#include <algorithm>

namespace sciperf::loadgen {

CompletionTracker::CompletionTracker(std::size_t slots) : slots_(std::max<std::size_t>(slots, 1)) {}

void CompletionTracker::expect(QueryId id, std::chrono::nanoseconds scheduled, std::size_t samples) {
  const std::lock_guard lock(mutex_);
  slots_[id % slots_.size()] = Slot{id, scheduled.count(), samples, true};
}

void CompletionTracker::complete(QueryId id, Clock::time_point finished) {
  {
    const std::lock_guard lock(mutex_);
    if (closed_) return;
    Slot& slot = slots_[id % slots_.size()];
    if (!slot.pending || slot.id != id) {
      ++totals_.errors;
      return;
    }
    slot.pending = false;
    const auto finished_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(finished - start_);
    totals_.latencies.record(finished_ns.count() - slot.scheduled_ns);
    totals_.samples_completed += slot.samples;
    totals_.last_finish = std::max(totals_.last_finish, finished_ns);
    ++totals_.completed;
    completed_.store(totals_.completed, std::memory_order_release);
  }
  progress_.notify_all();
}

bool CompletionTracker::wait_for(std::uint64_t count, Clock::time_point deadline) {
  if (completed_.load(std::memory_order_acquire) >= count) return true;
  std::unique_lock lock(mutex_);
  return progress_.wait_until(lock, deadline, [&] { return totals_.completed >= count; });
}

void CompletionTracker::close() {
  const std::lock_guard lock(mutex_);
  closed_ = true;
}

std::chrono::nanoseconds CompletionTracker::last_finish() const {
  const std::lock_guard lock(mutex_);
  return totals_.last_finish;
}

CompletionTracker::Totals CompletionTracker::totals() const {
  const std::lock_guard lock(mutex_);
  return totals_;
}

}  // namespace sciperf::loadgen
