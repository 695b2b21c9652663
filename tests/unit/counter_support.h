// Looking up a collector's counters in the collector tests.
#pragma once

#include "harness/collector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sciperf::testing {

inline const Counter* find_counter(const std::vector<Counter>& counters, const std::string& name) {
  for (const Counter& counter : counters)
    if (counter.name == name) return &counter;
  return nullptr;
}

// The counter's value, after checking its unit; a missing counter fails the test.
inline double value_of(const std::vector<Counter>& counters, const std::string& name, const std::string& unit) {
  const Counter* counter = find_counter(counters, name);
  if (counter == nullptr) {
    ADD_FAILURE() << name << " missing";
    return 0;
  }
  EXPECT_EQ(counter->unit, unit) << name;
  return counter->value;
}

// Every expected counter is among `counters`, with the same value and unit.
inline void expect_counters(const std::vector<Counter>& counters, const std::vector<Counter>& expected) {
  for (const Counter& counter : expected) EXPECT_DOUBLE_EQ(value_of(counters, counter.name, counter.unit), counter.value) << counter.name;
}

}  // namespace sciperf::testing
