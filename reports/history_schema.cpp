#include "reports/history_schema.h"

#include <fmt/format.h>

#include <array>
#include <fstream>
#include <string_view>

namespace sciperf::reports {
namespace {

// Migration i takes the database from version i to version i + 1. Never edit one that has
// shipped: databases out there were built by it; add the next instead.
constexpr std::array<std::string_view, kHistorySchemaVersion> kMigrations{
    // 1: the first layout. A run is identified by what it is (when it started, where, with
    // which config and build), not by its file, so that a bundle rewritten by a resumed run
    // replaces its earlier state rather than adding a second run; content_hash tells a
    // re-ingest of the same bytes (nothing to do) from a bundle that changed.
    R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  system TEXT NOT NULL,
  config TEXT NOT NULL,
  cluster TEXT NOT NULL,
  revision TEXT NOT NULL,
  sciperf_version TEXT NOT NULL,
  started TEXT NOT NULL,
  finished TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  file TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  ingested TEXT NOT NULL,
  UNIQUE (started, system, config, cluster, revision));
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  suite TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  params TEXT NOT NULL,
  param_kinds TEXT NOT NULL,
  UNIQUE (run_id, name));
CREATE TABLE metric_values (
  case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  metric TEXT NOT NULL,
  value REAL,
  unit TEXT NOT NULL,
  direction TEXT NOT NULL,
  PRIMARY KEY (case_id, metric)) WITHOUT ROWID;
CREATE TABLE samples (
  case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  metric TEXT NOT NULL,
  repetitions TEXT NOT NULL,
  PRIMARY KEY (case_id, metric)) WITHOUT ROWID;
)sql",
    // 2: compare's default metrics are each case's headline, which version 1 did not keep.
    // For cases ingested before, every metric the case has stands in for it.
    R"sql(
ALTER TABLE cases ADD COLUMN headline TEXT NOT NULL DEFAULT '[]';
UPDATE cases SET headline = (
  SELECT json_group_array(metric) FROM (SELECT metric FROM metric_values WHERE case_id = cases.id ORDER BY metric));
CREATE INDEX runs_by_series ON runs (system, config, started);
)sql",
};

// SQLite's own error for a foreign file only says "file is not a database"; the header
// check names what the file should have been.
void check_sqlite_header(const std::string& path) {
  static constexpr std::string_view kHeader{"SQLite format 3\0", 16};
  std::ifstream in(path, std::ios::binary);
  std::array<char, kHeader.size()> header{};
  in.read(header.data(), header.size());
  if (in.gcount() == 0) return;  // an empty file is an empty database to SQLite
  if (std::string_view(header.data(), static_cast<std::size_t>(in.gcount())) != kHeader)
    throw HistoryError(fmt::format("{}: not a sciperf history database: not an SQLite file (corrupt, or another kind of "
                                   "file?)",
                                   path));
}

// Version 0 is a new file, or an SQLite database that was never ours: only the first is
// safe to build in.
void check_empty(Database& db) {
  Statement tables(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  std::string names;
  while (tables.step()) names += (names.empty() ? "" : ", ") + tables.text(0);
  if (!names.empty())
    throw HistoryError(fmt::format("{}: not a sciperf history database: it has tables of its own ({}) and no sciperf "
                                   "schema version",
                                   db.path(), names));
}

}  // namespace

int schema_version(Database& db) {
  Statement version(db, "PRAGMA user_version");
  version.step();
  return static_cast<int>(version.integer(0));
}

void migrate(Database& db) {
  check_sqlite_header(db.path());
  for (int version = schema_version(db); version != kHistorySchemaVersion; version = schema_version(db)) {
    if (version > kHistorySchemaVersion)
      throw HistoryError(fmt::format("{}: history schema version {}: written by a newer sciperf (this one knows up to "
                                     "{}); update sciperf to read it",
                                     db.path(), version, kHistorySchemaVersion));
    Transaction transaction(db);
    // Read again under the write lock: another process may have migrated the file meanwhile.
    if (schema_version(db) != version) continue;
    if (version == 0) check_empty(db);
    db.exec(kMigrations[static_cast<std::size_t>(version)]);
    db.exec(fmt::format("PRAGMA user_version = {}", version + 1));
    transaction.commit();
  }
}

}  // namespace sciperf::reports
