// The few pieces of SQLite's C API the history store needs, as RAII types whose errors
// name the database file. Kept apart so that the rest of the history code reads as SQL and
// model, not as return-code checks.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace sciperf::reports {

// A history database that cannot be opened, read or written; what() is "FILE: what is wrong".
class HistoryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class OpenMode {
  create,   // ingest: a missing file becomes an empty history
  existing  // everything else: a missing file is a mistyped path, not an empty history
};

class Database {
 public:
  Database(const std::string& path, OpenMode mode);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs statements that return no rows (a migration, BEGIN, ...).
  void exec(std::string_view sql);
  std::int64_t last_insert_id() const;
  const std::string& path() const { return path_; }

  // Throws "FILE: DOING: SQLite's message".
  [[noreturn]] void fail(std::string_view doing) const;

 private:
  friend class Statement;
  friend class Transaction;
  sqlite3* db_ = nullptr;
  std::string path_;
};

// A prepared statement. Parameters are numbered from 1, columns from 0, as in SQLite.
class Statement {
 public:
  Statement(const Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::optional<double> value);  // nullopt binds NULL
  // True while a row is ready; false once the statement is done (then reset() to reuse it).
  bool step();
  // Clears the bindings too, so that a reused statement never carries a stale value.
  void reset();

  std::string text(int column) const;  // NULL reads as ""
  std::int64_t integer(int column) const;
  std::optional<double> real(int column) const;  // NULL reads as nullopt

 private:
  const Database& db_;
  sqlite3_stmt* statement_ = nullptr;
};

// BEGIN IMMEDIATE … COMMIT, rolled back when left without commit() (an exception).
// IMMEDIATE takes the write lock at once, so two ingests of the same bundle cannot both
// decide it is new.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace sciperf::reports
