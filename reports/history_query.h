// Either side of `sciperf compare` may be a query into history instead of a bundle:
// "history:last=5,system=vm,config=nightly" is the last 5 such runs, pooled into one
// in-memory bundle that compare treats like any other (no comparison logic of its own):
//
// - each case × metric takes the median of the runs' values, and the runs' per-repetition
//   samples pooled, for the statistical test;
// - a case is ok when it was ok in at least half of the runs that have it (the median,
//   again), and its metrics come from those runs; otherwise it takes the status and
//   reason of its latest run that was not ok.
//
// Keys: last=N (default 1: the latest run), skip=N (leave out the newest N, e.g. the run
// being compared), system=, config=, cluster=, revision= (a prefix of the git revision).
#pragma once

#include "reports/bundle_reader.h"
#include "reports/history_store.h"

#include <string>
#include <string_view>
#include <vector>

namespace sciperf::reports {

inline constexpr std::string_view kHistoryQueryPrefix = "history:";

bool is_history_query(std::string_view side);
// std::invalid_argument naming the query and the key when it is malformed.
RunFilter parse_history_query(std::string_view query);

// `runs` newest first. HistoryError when the runs disagree on a metric's unit or direction.
Bundle pooled_bundle(const std::vector<Bundle>& runs, const std::string& label, const std::string& file);
// The bundle `query` describes: std::invalid_argument when it is malformed, HistoryError
// when it selects no run.
Bundle history_bundle(const HistoryStore& store, std::string_view query);

// compare's sides, read as load_bundles reads bundles, except that a "history:" side is
// answered from the database at `db_path`.
LoadedBundles load_sides(const std::vector<std::string>& sides, const std::string& db_path);

}  // namespace sciperf::reports
