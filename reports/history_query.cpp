#include "reports/history_query.h"

#include "reports/statistics.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

namespace sciperf::reports {
namespace {

std::size_t parse_count(std::string_view query, std::string_view key, std::string_view text, std::size_t smallest) {
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < smallest)
    throw std::invalid_argument(fmt::format("{}: {}={}: expected an integer of at least {}", query, key, text, smallest));
  return value;
}

// "a, b": the distinct values the runs have, newest first, so that a pooled bundle's
// heading says whether it mixes configs, systems or builds.
std::string distinct(const std::vector<Bundle>& runs, const std::function<const std::string&(const Bundle&)>& field) {
  std::vector<std::string> values;
  for (const Bundle& run : runs)
    if (std::find(values.begin(), values.end(), field(run)) == values.end()) values.push_back(field(run));
  return fmt::format("{}", fmt::join(values, ", "));
}

struct Occurrence {
  const Bundle* run;
  const CaseResult* record;
};

// One metric from several runs: it must mean the same thing in each, as compare requires
// between its two sides.
void check_same_metric(const std::string& file, const CaseResult& pooled, const std::string& name, const Metric& newest,
                       const Occurrence& newest_run, const Metric& other, const Occurrence& other_run) {
  const auto refuse = [&](std::string_view field, std::string_view a, std::string_view b) {
    throw HistoryError(fmt::format("{}: case {}: metric {}: {} \"{}\" in the run started {}, but \"{}\" in the run "
                                   "started {}; cannot pool them",
                                   file, pooled.name, name, field, a, newest_run.run->run.started, b,
                                   other_run.run->run.started));
  };
  if (newest.unit != other.unit) refuse("unit", newest.unit, other.unit);
  if (newest.direction != other.direction) refuse("direction", to_string(newest.direction), to_string(other.direction));
}

// The pooled metrics and samples of a case from the runs in which it was ok (newest first).
void pool_measurements(CaseResult& pooled, const std::vector<Occurrence>& ok, const std::string& file) {
  std::map<std::string, std::vector<double>> values;
  std::map<std::string, const Occurrence*> defined_by;  // the newest run with the metric sets its unit
  for (const Occurrence& occurrence : ok) {
    for (const std::string& name : occurrence.record->headline)
      if (std::find(pooled.headline.begin(), pooled.headline.end(), name) == pooled.headline.end())
        pooled.headline.push_back(name);
    for (const auto& [name, metric] : occurrence.record->metrics) {
      const auto [it, first] = pooled.metrics.emplace(name, metric);
      if (first) defined_by.emplace(name, &occurrence);
      else check_same_metric(file, pooled, name, it->second, *defined_by.at(name), metric, occurrence);
      if (metric.value) values[name].push_back(*metric.value);
    }
    for (const auto& [name, samples] : occurrence.record->samples) {
      std::vector<double>& all = pooled.samples[name];
      all.insert(all.end(), samples.begin(), samples.end());
    }
  }
  for (auto& [name, metric] : pooled.metrics)
    metric.value = values.contains(name) ? std::optional(median(values.at(name))) : std::nullopt;
}

CaseResult pooled_case(const std::vector<Occurrence>& occurrences, std::size_t index, const std::string& file) {
  const CaseResult& newest = *occurrences.front().record;
  CaseResult pooled;
  pooled.index = index;
  pooled.name = newest.name;
  pooled.suite = newest.suite;
  pooled.params = newest.params;
  pooled.param_kinds = newest.param_kinds;
  std::vector<Occurrence> ok;
  std::copy_if(occurrences.begin(), occurrences.end(), std::back_inserter(ok),
               [](const Occurrence& o) { return o.record->status == "ok"; });
  if (!ok.empty() && 2 * ok.size() >= occurrences.size()) {
    pooled.status = "ok";
    pool_measurements(pooled, ok, file);
    return pooled;
  }
  const CaseResult& failing =
      *std::find_if(occurrences.begin(), occurrences.end(), [](const Occurrence& o) { return o.record->status != "ok"; })
           ->record;
  pooled.status = failing.status;
  pooled.reason = failing.reason;
  if (occurrences.size() > 1) pooled.reason += fmt::format(" (ok in {} of {} runs)", ok.size(), occurrences.size());
  pooled.headline = newest.headline;
  return pooled;
}

}  // namespace

bool is_history_query(std::string_view side) { return side.starts_with(kHistoryQueryPrefix); }

RunFilter parse_history_query(std::string_view query) {
  RunFilter filter;
  filter.last = 1;
  std::set<std::string_view> seen;
  std::string_view rest = query.substr(std::min(query.size(), kHistoryQueryPrefix.size()));
  while (!rest.empty()) {
    const std::string_view item = rest.substr(0, rest.find(','));
    rest.remove_prefix(std::min(rest.size(), item.size() + 1));
    const auto equals = item.find('=');
    const std::string_view key = item.substr(0, equals);
    const std::string_view value = equals == std::string_view::npos ? std::string_view() : item.substr(equals + 1);
    if (equals == std::string_view::npos || value.empty())
      throw std::invalid_argument(fmt::format("{}: \"{}\": expected KEY=VALUE", query, item));
    if (!seen.insert(key).second) throw std::invalid_argument(fmt::format("{}: {} is given twice", query, key));
    if (key == "last") filter.last = parse_count(query, key, value, 1);
    else if (key == "skip") filter.skip = parse_count(query, key, value, 0);
    else if (key == "system") filter.system = value;
    else if (key == "config") filter.config = value;
    else if (key == "cluster") filter.cluster = value;
    else if (key == "revision") filter.revision = value;
    else
      throw std::invalid_argument(fmt::format(
          "{}: unknown key \"{}\" (expected last, skip, system, config, cluster or revision)", query, key));
  }
  return filter;
}

Bundle pooled_bundle(const std::vector<Bundle>& runs, const std::string& label, const std::string& file) {
  Bundle pooled;
  pooled.label = label;
  pooled.file = file;
  pooled.system = distinct(runs, [](const Bundle& b) -> const std::string& { return b.system; });
  pooled.run.status = "complete";
  pooled.run.config_name = distinct(runs, [](const Bundle& b) -> const std::string& { return b.run.config_name; });
  pooled.run.git_revision = distinct(runs, [](const Bundle& b) -> const std::string& { return b.run.git_revision; });
  pooled.run.sciperf_version =
      distinct(runs, [](const Bundle& b) -> const std::string& { return b.run.sciperf_version; });
  if (!runs.empty()) {
    pooled.run.started = runs.size() == 1 ? runs.front().run.started
                                          : fmt::format("{} .. {}", runs.back().run.started, runs.front().run.started);
    pooled.run.finished = runs.front().run.finished;
  }
  // Cases in the newest run's order; those only older runs have follow.
  std::vector<std::string_view> order;
  std::map<std::string_view, std::vector<Occurrence>> occurrences;
  for (const Bundle& run : runs)
    for (const CaseResult& record : run.cases) {
      std::vector<Occurrence>& seen = occurrences[record.name];
      if (seen.empty()) order.push_back(record.name);
      seen.push_back({&run, &record});
    }
  for (const std::string_view name : order) pooled.cases.push_back(pooled_case(occurrences.at(name), pooled.cases.size(), file));
  return pooled;
}

Bundle history_bundle(const HistoryStore& store, std::string_view query) {
  const std::vector<StoredRun> stored = store.runs(parse_history_query(query));
  if (stored.empty()) throw HistoryError(fmt::format("{}: {}: no run in the history matches", store.path(), query));
  std::vector<Bundle> runs;
  for (auto run = stored.rbegin(); run != stored.rend(); ++run) runs.push_back(store.load_run(run->id));
  return pooled_bundle(runs, std::string(query), fmt::format("{} ({})", store.path(), query));
}

LoadedBundles load_sides(const std::vector<std::string>& sides, const std::string& db_path) {
  if (std::none_of(sides.begin(), sides.end(), is_history_query)) return load_bundles(sides);  // side by side, in parallel
  LoadedBundles loaded;
  std::optional<HistoryStore> store;  // opened once, and only when a side asks for it
  for (const std::string& side : sides) {
    if (!is_history_query(side)) {
      LoadedBundles bundle = load_bundles({side});
      std::move(bundle.bundles.begin(), bundle.bundles.end(), std::back_inserter(loaded.bundles));
      loaded.errors.insert(loaded.errors.end(), bundle.errors.begin(), bundle.errors.end());
      loaded.warnings.insert(loaded.warnings.end(), bundle.warnings.begin(), bundle.warnings.end());
      continue;
    }
    try {
      if (!store) store.emplace(db_path, OpenMode::existing);
      loaded.bundles.push_back(history_bundle(*store, side));
    } catch (const HistoryError& error) {
      loaded.errors.push_back(error.what());
    } catch (const std::invalid_argument& error) {
      loaded.errors.push_back(error.what());
    }
  }
  return loaded;
}

}  // namespace sciperf::reports
