#include "reports/history_store.h"

#include "reports/history_schema.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unordered_map>

namespace sciperf::reports {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// What ingest needs beyond the model: the cluster configuration's name, which reports do
// not otherwise use, and a hash of the bytes, to tell an unchanged bundle from a rewritten one.
struct BundleFile {
  Bundle bundle;
  std::string cluster;
  std::string content_hash;
};

// FNV-1a, 64 bits: enough to notice that a bundle changed; nothing here guards against a
// bundle forged to collide.
std::string content_hash(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char byte : bytes) {
    hash ^= static_cast<unsigned char>(byte);
    hash *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", hash);
}

// The file is read once: its bytes are hashed, then parsed into the model.
BundleFile read_bundle_file(const fs::path& path) {
  const BundleText read = read_bundle_text(path);
  BundleFile result{parse_bundle(read.text.view(), read.file), "", content_hash(read.text.view())};
  result.bundle.label = path.string();
  const json& config = result.bundle.config;
  if (const auto cluster = config.find("cluster"); cluster != config.end()) {
    if (!cluster->is_string())
      throw BundleError(fmt::format("{}: sciperf.config.cluster: expected a string, got {}", read.file, cluster->type_name()));
    result.cluster = cluster->get<std::string>();
  }
  return result;
}

// The runs a filter selects, newest first, as a subquery on parameters ?1 to ?6.
constexpr std::string_view kFilteredRuns = R"sql(
  SELECT id FROM runs
  WHERE (?1 = '' OR system = ?1) AND (?2 = '' OR config = ?2) AND (?3 = '' OR cluster = ?3)
    AND substr(revision, 1, length(?4)) = ?4
  ORDER BY started DESC, id DESC LIMIT ?5 OFFSET ?6)sql";

// The columns of a StoredRun, in read_stored_run's order; a WHERE clause follows.
constexpr std::string_view kSelectRuns = R"sql(
  SELECT r.id, r.system, r.config, r.cluster, r.revision, r.sciperf_version, r.started, r.status, r.file,
         (SELECT count(*) FROM cases WHERE run_id = r.id)
  FROM runs r)sql";

StoredRun read_stored_run(const Statement& row) {
  return {row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4), row.text(5),
          row.text(6),    row.text(7), row.text(8), static_cast<std::size_t>(row.integer(9))};
}

void bind_filter(Statement& statement, const RunFilter& filter) {
  statement.bind(1, filter.system).bind(2, filter.config).bind(3, filter.cluster).bind(4, filter.revision);
  statement.bind(5, filter.last ? static_cast<std::int64_t>(*filter.last) : std::int64_t{-1});  // -1: no limit
  statement.bind(6, static_cast<std::int64_t>(filter.skip));
}

Direction direction_from(const std::string& text) {
  return text == to_string(Direction::higher_is_better) ? Direction::higher_is_better : Direction::lower_is_better;
}

// The key a run is known by (see the first migration); its id and content hash when stored.
std::optional<std::pair<std::int64_t, std::string>> find_run(const Database& db, const BundleFile& file) {
  Statement find(db, "SELECT id, content_hash FROM runs "
                     "WHERE started = ?1 AND system = ?2 AND config = ?3 AND cluster = ?4 AND revision = ?5");
  const Bundle& bundle = file.bundle;
  find.bind(1, bundle.run.started).bind(2, bundle.system).bind(3, bundle.run.config_name).bind(4, file.cluster);
  find.bind(5, bundle.run.git_revision);
  if (!find.step()) return std::nullopt;
  return std::pair(find.integer(0), find.text(1));
}

// Writes the run under `id`, or under a new id when `id` is 0 (SQLite's ids start at 1),
// so that a replaced run keeps the id people have seen in `history runs`.
std::int64_t insert_run(Database& db, const BundleFile& file, std::int64_t id) {
  Statement insert(db, R"sql(
    INSERT INTO runs (id, system, config, cluster, revision, sciperf_version, started, finished, status, reason, file,
                      content_hash, ingested)
    VALUES (nullif(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))sql");
  const Bundle& bundle = file.bundle;
  const RunInfo& run = bundle.run;
  insert.bind(1, id).bind(2, bundle.system).bind(3, run.config_name).bind(4, file.cluster).bind(5, run.git_revision);
  insert.bind(6, run.sciperf_version).bind(7, run.started).bind(8, run.finished).bind(9, run.status);
  insert.bind(10, run.reason).bind(11, fs::absolute(bundle.file).string()).bind(12, file.content_hash);
  insert.step();
  return db.last_insert_id();
}

void insert_cases(Database& db, std::int64_t run_id, const std::vector<CaseResult>& cases) {
  Statement insert_case(db, R"sql(
    INSERT INTO cases (run_id, position, name, suite, status, reason, params, param_kinds, headline)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))sql");
  Statement insert_metric(db, "INSERT INTO metric_values (case_id, metric, value, unit, direction) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)");
  Statement insert_samples(db, "INSERT INTO samples (case_id, metric, repetitions) VALUES (?1, ?2, ?3)");
  for (const CaseResult& record : cases) {
    insert_case.bind(1, run_id).bind(2, static_cast<std::int64_t>(record.index)).bind(3, record.name);
    insert_case.bind(4, record.suite).bind(5, record.status).bind(6, record.reason).bind(7, record.params.dump());
    insert_case.bind(8, json(std::map<std::string, std::string>(record.param_kinds.begin(), record.param_kinds.end())).dump()).bind(9, json(record.headline).dump());
    insert_case.step();
    insert_case.reset();
    const std::int64_t case_id = db.last_insert_id();
    for (const auto& [name, metric] : record.metrics) {
      insert_metric.bind(1, case_id).bind(2, name).bind(3, metric.value).bind(4, metric.unit);
      insert_metric.bind(5, to_string(metric.direction));
      insert_metric.step();
      insert_metric.reset();
    }
    for (const auto& [name, samples] : record.samples) {
      insert_samples.bind(1, case_id).bind(2, name).bind(3, json(samples).dump());
      insert_samples.step();
      insert_samples.reset();
    }
  }
}

}  // namespace

HistoryStore::HistoryStore(const std::string& path, OpenMode mode) : db_(path, mode) { migrate(db_); }

Ingested HistoryStore::ingest(const fs::path& bundle) {
  const BundleFile file = read_bundle_file(bundle);
  Transaction transaction(db_);
  const auto stored = find_run(db_, file);
  if (stored && stored->second == file.content_hash) return {IngestOutcome::unchanged, *run(stored->first)};
  if (stored) {
    Statement remove(db_, "DELETE FROM runs WHERE id = ?1");  // its cases, values and samples go with it
    remove.bind(1, stored->first).step();
  }
  const std::int64_t id = insert_run(db_, file, stored ? stored->first : 0);
  insert_cases(db_, id, file.bundle.cases);
  transaction.commit();
  return {stored ? IngestOutcome::updated : IngestOutcome::added, *run(id)};
}

std::vector<StoredRun> HistoryStore::runs(const RunFilter& filter) const {
  Statement select(db_, fmt::format("{} WHERE r.id IN ({}) ORDER BY r.started, r.id", kSelectRuns, kFilteredRuns));
  bind_filter(select, filter);
  std::vector<StoredRun> runs;
  while (select.step()) runs.push_back(read_stored_run(select));
  return runs;
}

std::optional<StoredRun> HistoryStore::run(std::int64_t id) const {
  Statement select(db_, fmt::format("{} WHERE r.id = ?1", kSelectRuns));
  if (!select.bind(1, id).step()) return std::nullopt;
  return read_stored_run(select);
}

Bundle HistoryStore::load_run(std::int64_t id) const {
  Statement run(db_, "SELECT system, config, revision, sciperf_version, started, finished, status, reason "
                     "FROM runs WHERE id = ?1");
  if (!run.bind(1, id).step()) throw HistoryError(fmt::format("{}: no run {}", path(), id));
  Bundle bundle;
  bundle.label = bundle.file = fmt::format("{} run {}", path(), id);
  bundle.system = run.text(0);
  bundle.run = {.status = run.text(6),
                .reason = run.text(7),
                .started = run.text(4),
                .finished = run.text(5),
                .sciperf_version = run.text(3),
                .git_revision = run.text(2),
                .config_name = run.text(1)};

  Statement cases(db_, "SELECT id, position, name, suite, status, reason, params, param_kinds, headline "
                       "FROM cases WHERE run_id = ?1 ORDER BY position");
  cases.bind(1, id);
  std::unordered_map<std::int64_t, std::size_t> by_id;  // case id → its place in bundle.cases
  while (cases.step()) {
    CaseResult& record = bundle.cases.emplace_back();
    by_id.emplace(cases.integer(0), bundle.cases.size() - 1);
    record.index = static_cast<std::size_t>(cases.integer(1));
    record.name = cases.text(2);
    record.suite = cases.text(3);
    record.status = cases.text(4);
    record.reason = cases.text(5);
    record.params = json::parse(cases.text(6));
    record.param_kinds = StringMap<std::string>(json::parse(cases.text(7)).get<std::map<std::string, std::string>>());
    record.headline = json::parse(cases.text(8)).get<std::vector<std::string>>();
  }

  Statement metrics(db_, "SELECT m.case_id, m.metric, m.value, m.unit, m.direction FROM metric_values m "
                         "JOIN cases c ON c.id = m.case_id WHERE c.run_id = ?1");
  metrics.bind(1, id);
  while (metrics.step())
    bundle.cases[by_id.at(metrics.integer(0))].metrics.emplace(
        metrics.text(1), Metric{metrics.real(2), metrics.text(3), direction_from(metrics.text(4))});

  Statement samples(db_, "SELECT s.case_id, s.metric, s.repetitions FROM samples s "
                         "JOIN cases c ON c.id = s.case_id WHERE c.run_id = ?1");
  samples.bind(1, id);
  while (samples.step())
    bundle.cases[by_id.at(samples.integer(0))].samples.emplace(samples.text(1),
                                                               json::parse(samples.text(2)).get<std::vector<double>>());
  return bundle;
}

void HistoryStore::for_each_metric_row(const RunFilter& filter, const std::string& metric,
                                       const std::function<void(const MetricRow&)>& visit) const {
  Statement select(db_, fmt::format(R"sql(
    SELECT r.id, r.started, r.system, r.config, r.cluster, r.revision, r.sciperf_version, r.status,
           c.name, c.suite, c.status, c.params, m.metric, m.value, m.unit, m.direction
    FROM runs r JOIN cases c ON c.run_id = r.id JOIN metric_values m ON m.case_id = c.id
    WHERE r.id IN ({}) AND (?7 = '' OR m.metric = ?7)
    ORDER BY r.started, r.id, c.position, m.metric)sql",
                                    kFilteredRuns));
  bind_filter(select, filter);
  select.bind(7, metric);
  MetricRow row;
  while (select.step()) {
    row = {select.integer(0), select.text(1),  select.text(2),  select.text(3),  select.text(4),  select.text(5),
           select.text(6),    select.text(7),  select.text(8),  select.text(9),  select.text(10), select.text(11),
           select.text(12),   select.real(13), select.text(14), direction_from(select.text(15))};
    visit(row);
  }
}

}  // namespace sciperf::reports
