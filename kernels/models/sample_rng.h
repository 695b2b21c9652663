// Counter-based random numbers for the data generators and parameter initialisation.
//
// Every sample draws from its own stream, a pure function of (seed, stream), so any rank can
// make any sample without making the ones before it, and the values never depend on LibTorch's
// generators (identical across LibTorch versions and devices).
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>

namespace sciperf::models {

// splitmix64's finaliser: a bijection on 64-bit words that mixes every input bit into every
// output bit.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Stable 64-bit hash of a name (FNV-1a), to derive a stream from a string.
constexpr std::uint64_t hash_name(const char* text) {
  std::uint64_t hash = 0xCBF29CE484222325ULL;
  for (; *text != '\0'; ++text) hash = (hash ^ static_cast<unsigned char>(*text)) * 0x100000001B3ULL;
  return hash;
}

// splitmix64 started at a state derived from (seed, stream). Passes BigCrush; streams of
// distinct (seed, stream) pairs start at unrelated points of the 2^64 cycle.
class SampleRng {
 public:
  SampleRng(std::uint64_t seed, std::uint64_t stream) : state_(mix64(mix64(seed) ^ (stream * 0xD1B54A32D192ED03ULL))) {}

  std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return mix64(state_);
  }
  // Uniform in [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // Uniform integer in [0, n), 0 < n < 2^53 (bias below n × 2^-53).
  std::int64_t below(std::int64_t n) { return static_cast<std::int64_t>(uniform() * static_cast<double>(n)); }
  // Standard normal (Box–Muller; the second value of each pair is kept for the next call).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform()));  // 1 - u in (0, 1]
    const double angle = 2.0 * std::numbers::pi * uniform();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

 private:
  std::uint64_t state_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace sciperf::models
