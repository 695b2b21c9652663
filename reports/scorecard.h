// The procurement scorecard (`sciperf report --scorecard REFERENCE RUN...`): each system's
// headline figures as ratios to a reference system's, over the cases both ran (ok on both
// sides), oriented so that above 1 is better whatever the metric's direction; their geometric
// mean per suite, and overall the geometric mean of the suites' (so that a suite with many
// cases does not outweigh one with few). Besides as measured, each score is given
//
//   per node       × reference nodes / system nodes
//   per GPU        × reference GPUs / system GPUs (GPUs = ranks × devices per rank)
//   per watt       × reference power / system power, a case's power being its energy counters
//                  (joules: RAPL packages and DRAM, GPUs when counted) over its timed
//                  operations (iterations × repetitions × time_avg): work per joule
//   per unit cost  × reference price / system price (`--price SYSTEM=AMOUNT`, else the bundle's
//                  sciperf.config.system.price, should its run config ever carry one: the
//                  harness does not accept the key today)
//
// where the bundles say enough, and why not where they do not. Each score has a percentile
// bootstrap interval: the per-repetition samples of both sides resampled, the case set and
// the normalisations held fixed, so that it shows how much the measurement noise moves the
// score (not how the choice of cases would).
#pragma once

#include "reports/bundle_reader.h"
#include "reports/statistics.h"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sciperf::reports {

enum class Basis { as_measured, per_node, per_gpu, per_watt, per_cost };
inline constexpr Basis kBases[] = {Basis::as_measured, Basis::per_node, Basis::per_gpu, Basis::per_watt,
                                   Basis::per_cost};
std::string_view to_string(Basis basis);  // "as measured", "per node", "per GPU", "per watt", "per unit cost"
std::string_view json_key(Basis basis);   // "as_measured", "per_node", "per_gpu", "per_watt", "per_cost"

struct ScorecardSettings {
  double confidence = 0.95;
  int resamples = 1000;
  std::uint64_t seed = 0x5c1'9e2f'0000'0002;  // fixed: the same bundles give the same intervals
  std::map<std::string, double> prices;       // system name or bundle label → price, over the bundles' own
};

struct Score {
  double value = 0;  // geometric mean of the ratios; > 1: better than the reference
  std::optional<Interval> interval;
  std::size_t figures = 0;  // the ratios in it (overall: in its suites)
};

struct SystemScore {
  const Bundle* bundle = nullptr;
  std::size_t matched_cases = 0;  // ok in both this bundle and the reference
  // Per basis the overall score and each suite's; a basis is absent where it does not apply.
  std::map<Basis, Score> overall;
  std::map<Basis, std::map<std::string, Score>> suites;
  std::vector<std::string> notes;  // why a basis is absent, what was left out
};

struct Scorecard {
  const Bundle* reference = nullptr;
  ScorecardSettings settings;
  std::vector<std::string> suites;  // in the reference's order
  std::vector<SystemScore> systems;  // one per run, in the order given
};

// The bundles must outlive the scorecard, which points into them.
Scorecard build_scorecard(const Bundle& reference, std::span<const Bundle> runs, const ScorecardSettings& settings);

// The price a bundle says (sciperf.config.system.price), overridden by `prices`; nullopt when neither does.
std::optional<double> price_of(const Bundle& bundle, const std::map<std::string, double>& prices);
// A case's energy in joules: its counters in joules that are not a part of another one
// (RAPL's core and uncore are parts of their package; its DRAM is not); nullopt when none.
std::optional<double> case_energy(const CaseResult& record);

}  // namespace sciperf::reports
