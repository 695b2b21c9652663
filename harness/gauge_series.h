// One gauge's readings over a measured region (power, temperature, a clock): a collector
// adds a reading at end() and, when the harness samples, at every sample() in between.
// The last reading is the gauge's counter; with samples, the spread is reported too.
#pragma once

#include "harness/collector.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace sciperf {

class GaugeSeries {
 public:
  void clear() { *this = GaugeSeries{}; }

  void add(double value) {
    last_ = value;
    sum_ += value;
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
    ++count_;
  }

  bool empty() const { return count_ == 0; }
  double last() const { return last_; }
  double min() const { return min_; }
  double max() const { return max_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0; }

  // <name> = the last reading; with `with_spread` also <name>.min, <name>.avg and <name>.max
  // over every reading. Nothing when there was no reading.
  void report(std::vector<Counter>& counters, const std::string& name, const std::string& unit, bool with_spread) const {
    if (empty()) return;
    counters.push_back({name, last_, unit});
    if (!with_spread) return;
    counters.push_back({name + ".min", min_, unit});
    counters.push_back({name + ".avg", mean(), unit});
    counters.push_back({name + ".max", max_, unit});
  }

 private:
  double last_ = 0;
  double sum_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
  std::size_t count_ = 0;
};

}  // namespace sciperf
