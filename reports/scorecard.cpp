#include "reports/scorecard.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <span>
#include <unordered_map>

namespace sciperf::reports {
namespace {

constexpr std::size_t kBasisCount = std::size(kBases);

std::size_t basis_index(Basis basis) { return static_cast<std::size_t>(basis); }

// One headline metric of a case both ran: its ratio to the reference, oriented so that above
// 1 is better, and what each basis multiplies it by (nullopt: the basis does not apply).
struct Figure {
  std::size_t suite = 0;  // index into Scorecard::suites
  Direction direction = Direction::lower_is_better;
  double ratio = 0;
  std::span<const double> reference_samples;
  std::span<const double> system_samples;
  std::array<std::optional<double>, kBasisCount> factors;
};

double oriented(double system, double reference, Direction direction) {
  return direction == Direction::higher_is_better ? system / reference : reference / system;
}

// What a basis multiplies the ratio by: the reference's quantity over the system's.
std::optional<double> ratio_of(std::optional<double> reference, std::optional<double> system) {
  if (!reference || !system || *reference <= 0 || *system <= 0) return std::nullopt;
  return *reference / *system;
}

std::optional<double> positive(std::int64_t count) {
  return count > 0 ? std::optional(static_cast<double>(count)) : std::nullopt;
}

// A case's mean power over its timed operations, in watts.
std::optional<double> case_power(const CaseResult& record) {
  const auto energy = case_energy(record);
  const auto time = record.metrics.find("time_avg");
  if (!energy || time == record.metrics.end() || !time->second.value || *time->second.value <= 0 ||
      record.iterations <= 0 || record.repetitions <= 0)
    return std::nullopt;
  return *energy / (static_cast<double>(record.iterations * record.repetitions) * *time->second.value);
}

bool has_samples(std::span<const double> samples) {
  return samples.size() >= 2 && std::all_of(samples.begin(), samples.end(), [](double v) { return v > 0; });
}

std::span<const double> samples_of(const CaseResult& record, const std::string& metric) {
  const auto it = record.samples.find(metric);
  return it == record.samples.end() ? std::span<const double>() : std::span<const double>(it->second);
}

// The figures of one system against the reference, with the notes on what is left out.
class FigureCollector {
 public:
  FigureCollector(const Bundle& reference, const Bundle& system, const ScorecardSettings& settings,
                  std::vector<std::string>& suites, SystemScore& score)
      : reference_(reference), system_(system), suites_(suites), score_(score) {
    const auto nodes = [](const Bundle& b) { return positive(b.platform.node_count); };
    const auto gpus = [](const Bundle& b) { return positive(b.platform.ranks * b.platform.devices_per_rank); };
    constant_[basis_index(Basis::as_measured)] = 1.0;
    constant_[basis_index(Basis::per_node)] = ratio_of(nodes(reference), nodes(system));
    constant_[basis_index(Basis::per_gpu)] = ratio_of(gpus(reference), gpus(system));
    constant_[basis_index(Basis::per_cost)] = ratio_of(price_of(reference, settings.prices), price_of(system, settings.prices));
  }

  std::vector<Figure> collect() {
    std::unordered_map<std::string_view, const CaseResult*> by_name;
    for (const CaseResult& record : system_.cases) by_name.emplace(record.name, &record);
    std::vector<Figure> figures;
    for (const CaseResult& reference : reference_.cases) {
      const auto it = by_name.find(reference.name);
      if (reference.status != "ok" || it == by_name.end() || it->second->status != "ok") continue;
      ++score_.matched_cases;
      add_case(reference, *it->second, figures);
    }
    write_notes(figures);
    return figures;
  }

 private:
  void add_case(const CaseResult& reference, const CaseResult& system, std::vector<Figure>& figures) {
    const auto power = ratio_of(case_power(reference), case_power(system));
    powered_cases_ += power.has_value();
    for (const std::string& metric : reference.headline) {
      const auto ref = reference.metrics.find(metric);
      const auto sys = system.metrics.find(metric);
      if (ref == reference.metrics.end() || sys == system.metrics.end()) continue;
      if (ref->second.unit != sys->second.unit || ref->second.direction != sys->second.direction) {
        ++inconsistent_;
        continue;
      }
      if (!ref->second.value || !sys->second.value || *ref->second.value <= 0 || *sys->second.value <= 0) continue;
      Figure figure{suite_index(reference.suite), ref->second.direction,
                    oriented(*sys->second.value, *ref->second.value, ref->second.direction),
                    samples_of(reference, metric), samples_of(system, metric), constant_};
      figure.factors[basis_index(Basis::per_watt)] = power;
      figures.push_back(figure);
    }
  }

  std::size_t suite_index(const std::string& suite) {
    const auto it = std::find(suites_.begin(), suites_.end(), suite);
    if (it != suites_.end()) return static_cast<std::size_t>(it - suites_.begin());
    suites_.push_back(suite);
    return suites_.size() - 1;
  }

  void write_notes(const std::vector<Figure>& figures) {
    auto& notes = score_.notes;
    if (score_.matched_cases == 0) notes.push_back("no case ran ok in both this bundle and the reference");
    if (inconsistent_ > 0)
      notes.push_back(fmt::format("{} figures left out: their unit or direction differs from the reference's", inconsistent_));
    if (!constant_[basis_index(Basis::per_node)]) notes.push_back("per node: the node counts are not in both bundles");
    if (!constant_[basis_index(Basis::per_gpu)])
      notes.push_back(fmt::format("per GPU: no GPUs ({} in the reference, {} here)",
                                  reference_.platform.ranks * reference_.platform.devices_per_rank,
                                  system_.platform.ranks * system_.platform.devices_per_rank));
    if (powered_cases_ == 0)
      notes.push_back("per watt: no case has energy counters (joules) on both sides");
    else if (powered_cases_ < score_.matched_cases)
      notes.push_back(fmt::format("per watt: over the {} of {} cases with energy counters on both sides", powered_cases_,
                                  score_.matched_cases));
    if (!constant_[basis_index(Basis::per_cost)])
      notes.push_back("per unit cost: no price for both (--price SYSTEM=AMOUNT, or system.price in the run config)");
    if (figures.empty() && score_.matched_cases > 0) notes.push_back("the matched cases have no headline figure in common");
  }

  const Bundle& reference_;
  const Bundle& system_;
  std::vector<std::string>& suites_;
  SystemScore& score_;
  std::array<std::optional<double>, kBasisCount> constant_;
  std::size_t powered_cases_ = 0;
  std::size_t inconsistent_ = 0;
};

// Log-scores: per basis, the sum of log ratios per suite and how many there are.
struct LogSums {
  std::array<std::vector<double>, kBasisCount> sum;
  std::array<std::vector<std::size_t>, kBasisCount> count;

  explicit LogSums(std::size_t suites) {
    for (std::size_t b = 0; b < kBasisCount; ++b) {
      sum[b].assign(suites, 0.0);
      count[b].assign(suites, 0);
    }
  }

  void add(const Figure& figure, double log_ratio) {
    for (std::size_t b = 0; b < kBasisCount; ++b)
      if (figure.factors[b]) {
        sum[b][figure.suite] += log_ratio + std::log(*figure.factors[b]);
        ++count[b][figure.suite];
      }
  }

  // The suite's geometric mean; nullopt without figures.
  std::optional<double> suite(std::size_t b, std::size_t s) const {
    if (count[b][s] == 0) return std::nullopt;
    return std::exp(sum[b][s] / static_cast<double>(count[b][s]));
  }

  // The geometric mean of the suites' geometric means.
  std::optional<double> overall(std::size_t b) const {
    double logs = 0;
    std::size_t suites = 0;
    for (std::size_t s = 0; s < sum[b].size(); ++s)
      if (count[b][s] > 0) {
        logs += sum[b][s] / static_cast<double>(count[b][s]);
        ++suites;
      }
    if (suites == 0) return std::nullopt;
    return std::exp(logs / static_cast<double>(suites));
  }
};

LogSums point_sums(const std::vector<Figure>& figures, std::size_t suites) {
  LogSums sums(suites);
  for (const Figure& figure : figures) sums.add(figure, std::log(figure.ratio));
  return sums;
}

// Each suite's and the overall score per basis in every resample: [basis][suite or, last, overall].
std::array<std::vector<std::vector<double>>, kBasisCount> resampled_scores(const std::vector<Figure>& figures,
                                                                           std::size_t suites,
                                                                           const ScorecardSettings& settings) {
  Random generator(settings.seed);
  std::vector<std::optional<std::pair<ResampledMedian, ResampledMedian>>> medians;
  for (const Figure& figure : figures) {
    if (has_samples(figure.reference_samples) && has_samples(figure.system_samples))
      medians.emplace_back(std::pair(ResampledMedian(figure.reference_samples), ResampledMedian(figure.system_samples)));
    else
      medians.emplace_back();  // too few samples: its ratio as measured in every resample
  }
  std::array<std::vector<std::vector<double>>, kBasisCount> scores;
  for (auto& basis : scores) basis.resize(suites + 1);
  for (int r = 0; r < settings.resamples; ++r) {
    LogSums sums(suites);
    for (std::size_t f = 0; f < figures.size(); ++f) {
      double ratio = figures[f].ratio;
      if (auto& pair = medians[f]) {
        const double reference = pair->first(generator);
        ratio = oriented(pair->second(generator), reference, figures[f].direction);
      }
      sums.add(figures[f], std::log(ratio));
    }
    for (std::size_t b = 0; b < kBasisCount; ++b) {
      for (std::size_t s = 0; s < suites; ++s)
        if (auto value = sums.suite(b, s)) scores[b][s].push_back(*value);
      if (auto value = sums.overall(b)) scores[b][suites].push_back(*value);
    }
  }
  return scores;
}

bool any_resampled(const std::vector<Figure>& figures) {
  return std::any_of(figures.begin(), figures.end(), [](const Figure& f) {
    return has_samples(f.reference_samples) && has_samples(f.system_samples);
  });
}

void score_system(const std::vector<Figure>& figures, std::size_t suites, const std::vector<std::string>& names,
                  const ScorecardSettings& settings, SystemScore& score) {
  const LogSums point = point_sums(figures, suites);
  const bool resample = any_resampled(figures) && settings.resamples > 0;
  const auto resampled = resample ? resampled_scores(figures, suites, settings)
                                  : std::array<std::vector<std::vector<double>>, kBasisCount>();
  const auto interval = [&](std::size_t b, std::size_t s) -> std::optional<Interval> {
    if (!resample || resampled[b][s].empty()) return std::nullopt;
    return percentile_interval(resampled[b][s], settings.confidence);
  };
  for (std::size_t b = 0; b < kBasisCount; ++b) {
    std::size_t total = 0;
    for (std::size_t s = 0; s < suites; ++s) {
      const auto value = point.suite(b, s);
      if (!value) continue;
      score.suites[kBases[b]][names[s]] = {*value, interval(b, s), point.count[b][s]};
      total += point.count[b][s];
    }
    if (auto value = point.overall(b)) score.overall[kBases[b]] = {*value, interval(b, suites), total};
  }
}

std::optional<double> positive_number(const nlohmann::json& value) {
  double number = 0;
  if (value.is_number()) {
    number = value.get<double>();
  } else if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  return number > 0 && std::isfinite(number) ? std::optional(number) : std::nullopt;
}

}  // namespace

// As people read each basis, and as JSON names it.
constexpr std::array<std::pair<std::string_view, std::string_view>, kBasisCount> kBasisNames{{
    {"as measured", "as_measured"},
    {"per node", "per_node"},
    {"per GPU", "per_gpu"},
    {"per watt", "per_watt"},
    {"per unit cost", "per_cost"},
}};

std::string_view to_string(Basis basis) { return kBasisNames[basis_index(basis)].first; }

std::string_view json_key(Basis basis) { return kBasisNames[basis_index(basis)].second; }

std::optional<double> price_of(const Bundle& bundle, const std::map<std::string, double>& prices) {
  for (const std::string& name : {bundle.system, bundle.label})
    if (const auto it = prices.find(name); it != prices.end()) return it->second;
  const auto system = bundle.config.find("system");
  if (system == bundle.config.end() || !system->is_object()) return std::nullopt;
  const auto price = system->find("price");
  return price == system->end() ? std::nullopt : positive_number(*price);
}

std::optional<double> case_energy(const CaseResult& record) {
  const auto part_of_another = [&](const std::string& name) {
    if (name.ends_with(".dram")) return false;  // RAPL's DRAM is beside its package, not in it
    for (std::size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1))
      if (record.energy.contains(name.substr(0, dot))) return true;
    return false;
  };
  std::optional<double> total;
  for (const auto& [name, joules] : record.energy)
    if (!part_of_another(name)) total = total.value_or(0.0) + joules;
  return total;
}

Scorecard build_scorecard(const Bundle& reference, std::span<const Bundle> runs, const ScorecardSettings& settings) {
  Scorecard scorecard;
  scorecard.reference = &reference;
  scorecard.settings = settings;
  std::vector<std::vector<Figure>> figures;
  for (const Bundle& run : runs) {
    SystemScore& score = scorecard.systems.emplace_back();
    score.bundle = &run;
    figures.push_back(FigureCollector(reference, run, settings, scorecard.suites, score).collect());
  }
  for (std::size_t i = 0; i < runs.size(); ++i)
    score_system(figures[i], scorecard.suites.size(), scorecard.suites, settings, scorecard.systems[i]);
  return scorecard;
}

}  // namespace sciperf::reports
