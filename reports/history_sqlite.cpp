#include "reports/history_sqlite.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>

namespace sciperf::reports {
namespace {

// Nightly jobs on several systems may ingest into one shared file at the same time; a
// writer waits this long for another's transaction before giving up.
constexpr int kBusyTimeoutMs = 10'000;

}  // namespace

Database::Database(const std::string& path, OpenMode mode) : path_(path) {
  std::error_code error;
  if (mode == OpenMode::existing && !std::filesystem::exists(path, error))
    throw HistoryError(fmt::format("{}: no such history database (sciperf history ingest creates one; --db or "
                                   "$SCIPERF_HISTORY names another)",
                                   path));
  // The destructor does not run for a constructor that throws: close the handle here.
  const auto refuse = [&] {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw HistoryError(fmt::format("{}: cannot open: {}", path, message));
  };
  const int flags = SQLITE_OPEN_READWRITE | (mode == OpenMode::create ? SQLITE_OPEN_CREATE : 0);
  // On failure sqlite3_open_v2 still hands back a handle, which carries the message.
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) refuse();
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // Off by default in SQLite; deleting a run relies on it to delete its cases.
  if (sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr) != SQLITE_OK) refuse();
}

Database::~Database() { sqlite3_close(db_); }

void Database::exec(std::string_view sql) {
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail("cannot run SQL");
}

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

void Database::fail(std::string_view doing) const {
  throw HistoryError(fmt::format("{}: {}: {}", path_, doing, sqlite3_errmsg(db_)));
}

Statement::Statement(const Database& db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db.db_, sql.data(), static_cast<int>(sql.size()), &statement_, nullptr) != SQLITE_OK)
    db.fail("cannot prepare a query");
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
    db_.fail("cannot bind a value");
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) db_.fail("cannot bind a value");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(statement_, index, value) != SQLITE_OK) db_.fail("cannot bind a value");
  return *this;
}

Statement& Statement::bind(int index, std::optional<double> value) {
  if (value) return bind(index, *value);
  if (sqlite3_bind_null(statement_, index) != SQLITE_OK) db_.fail("cannot bind a value");
  return *this;
}

bool Statement::step() {
  const int result = sqlite3_step(statement_);
  if (result == SQLITE_ROW) return true;
  if (result == SQLITE_DONE) return false;
  db_.fail("query failed");
}

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

std::string Statement::text(int column) const {
  const auto* text = sqlite3_column_text(statement_, column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))};
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(statement_, column); }

std::optional<double> Statement::real(int column) const {
  if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(statement_, column);
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  // Must not throw here; should the rollback fail, SQLite rolls back when the file is closed.
  if (open_) sqlite3_exec(db_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace sciperf::reports
