#include "collectors/host/perf_events.h"

#include "collectors/host/kernel_files.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <string_view>
#include <system_error>
#include <utility>

namespace sciperf::host {

namespace {

struct EventSpec {
  std::string_view name;  // perf's spelling, as perf stat -e takes it
  std::uint32_t type;
  std::uint64_t config;
  std::string_view unit;
  double scale;  // from the kernel's unit to `unit`
  // Counted in the scheduler, in kernel context: with kernel counting forbidden they would
  // read 0 however often they happened, so they stay unopened rather than mislead.
  bool kernel_side;
};

constexpr std::array kEvents{
    EventSpec{"task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, "s", 1e-9, false},
    EventSpec{"context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, "count", 1, true},
    EventSpec{"cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, "count", 1, true},
    EventSpec{"page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, "count", 1, false},
    EventSpec{"cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "count", 1, false},
    EventSpec{"instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, "count", 1, false},
    EventSpec{"cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, "count", 1, false},
    EventSpec{"branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, "count", 1, false},
};

bool is_hardware(const EventSpec& spec) { return spec.type == PERF_TYPE_HARDWARE; }

class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// Counting starts at once and never stops: begin() and end() only read, which is cheaper
// than enabling and disabling around each region.
int open_counter(const EventSpec& spec, bool user_space_only) {
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = spec.type;
  attr.config = spec.config;
  attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  // Threads started later (OpenMP workers, MPI progress threads) count with this one.
  attr.inherit = 1;
  attr.exclude_kernel = user_space_only;
  attr.exclude_hv = user_space_only;
  // pid 0, cpu -1: this process on whichever CPU it runs.
  return static_cast<int>(::syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
}

std::optional<PerfReading> read_counter(int fd) {
  static_assert(sizeof(PerfReading) == 3 * sizeof(std::uint64_t), "read() fills it as it is");
  PerfReading reading;
  if (::read(fd, &reading, sizeof reading) != static_cast<ssize_t>(sizeof reading)) return std::nullopt;
  return reading;
}

bool not_permitted(int error) { return error == EACCES || error == EPERM; }

std::string counter_name(std::string_view event) {
  std::string name = fmt::format("host.perf.{}", event);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

}  // namespace

struct PerfEvents::Event {
  const EventSpec* spec;
  std::string counter;
  FileDescriptor fd{};
  // perf_event_paranoid >= 2 forbids counting in the kernel to users without CAP_PERFMON;
  // such an event then counts only what the process does in user space.
  bool user_space_only = false;
  int open_error = 0;
  std::optional<PerfReading> at_begin{};
};

ScaledChange scaled_change(const PerfReading& begin, const PerfReading& end) {
  const auto enabled = static_cast<double>(end.time_enabled - begin.time_enabled);
  const auto running = static_cast<double>(end.time_running - begin.time_running);
  if (running == 0) return {};
  return {.value = static_cast<double>(end.value - begin.value) * enabled / running,
          .running_fraction = running / enabled};
}

std::string open_error_text(int error, bool hardware, bool pmu_counts,
                            std::optional<long long> perf_event_paranoid) {
  const std::string name = errno_name(error);
  if (error == ENOENT && hardware) {
    return fmt::format("{}: {}", name, pmu_counts ? "not counted by this PMU" : "no PMU");
  }
  if (not_permitted(error)) {
    if (!perf_event_paranoid) return fmt::format("{}: not permitted", name);
    return fmt::format("{}: not permitted (perf_event_paranoid is {})", name, *perf_event_paranoid);
  }
  return fmt::format("{}: {}", name, std::generic_category().message(error));
}

PerfEvents::PerfEvents(const std::filesystem::path& proc)
    : paranoid_(read_file_integer(proc / "sys/kernel/perf_event_paranoid").value) {
  for (const EventSpec& spec : kEvents) {
    Event event{.spec = &spec, .counter = counter_name(spec.name)};
    int fd = open_counter(spec, false);
    if (fd < 0 && not_permitted(errno) && !spec.kernel_side) {
      fd = open_counter(spec, true);
      event.user_space_only = fd >= 0;
    }
    if (fd < 0) event.open_error = errno;
    event.fd = FileDescriptor(fd);
    events_.push_back(std::move(event));
  }
}

PerfEvents::PerfEvents(PerfEvents&&) noexcept = default;
PerfEvents& PerfEvents::operator=(PerfEvents&&) noexcept = default;
PerfEvents::~PerfEvents() = default;

void PerfEvents::begin() {
  for (Event& event : events_) {
    if (event.fd) event.at_begin = read_counter(event.fd.get());
  }
}

void PerfEvents::end(std::vector<Counter>& counters) {
  for (Event& event : events_) {
    if (!event.at_begin) continue;
    const auto at_end = read_counter(event.fd.get());
    if (!at_end) continue;
    const ScaledChange change = scaled_change(*event.at_begin, *at_end);
    // A count the event never ran to see is unknown, not zero: only its fraction is shown.
    if (change.value) {
      counters.push_back(
          {event.counter, *change.value * event.spec->scale, std::string(event.spec->unit)});
    }
    if (is_hardware(*event.spec)) {
      counters.push_back({event.counter + ".running_fraction", change.running_fraction, "fraction"});
    }
  }
}

bool PerfEvents::pmu_counts() const {
  return std::any_of(events_.begin(), events_.end(),
                     [](const Event& event) { return is_hardware(*event.spec) && event.fd; });
}

std::string PerfEvents::why_not(const Event& event) const {
  return open_error_text(event.open_error, is_hardware(*event.spec), pmu_counts(), paranoid_);
}

std::string PerfEvents::event_status(const Event& event) const {
  if (event.fd) return event.user_space_only ? "opened (user space only)" : "opened";
  return fmt::format("unavailable ({})", why_not(event));
}

std::string PerfEvents::kind_status(bool hardware) const {
  int total = 0;
  int opened = 0;
  bool user_space_only = false;
  std::vector<std::string> reasons;
  for (const Event& event : events_) {
    if (is_hardware(*event.spec) != hardware) continue;
    ++total;
    if (event.fd) {
      ++opened;
      user_space_only = user_space_only || event.user_space_only;
    } else if (std::string reason = why_not(event);
               std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) {
      reasons.push_back(std::move(reason));
    }
  }
  if (opened == 0) return fmt::format("unavailable ({})", fmt::join(reasons, "; "));
  std::vector<std::string> notes;
  if (opened < total) notes.push_back(fmt::format("{} of {} events", opened, total));
  if (user_space_only) notes.emplace_back("user space only");
  if (notes.empty()) return "available";
  return fmt::format("available ({})", fmt::join(notes, ", "));
}

void PerfEvents::describe(nlohmann::json& parts) const {
  parts["perf software events"] = kind_status(false);
  parts["perf hardware events"] = kind_status(true);
  nlohmann::json& events = parts["perf events"] = nlohmann::json::object();
  for (const Event& event : events_) events[std::string(event.spec->name)] = event_status(event);
  parts["perf scope"] =
      "the thread that created the collector and the threads and processes it starts afterwards";
}

}  // namespace sciperf::host
