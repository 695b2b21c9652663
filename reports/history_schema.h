// The history database's layout and its migrations. The version lives in SQLite's
// PRAGMA user_version (0 in a new file); opening a database applies the migrations it
// lacks, in order, each in its own transaction, so a file written by any earlier sciperf
// keeps working and a failed migration leaves the previous version intact.
//
// Version 1: runs, cases, metric_values, samples.
// Version 2: cases.headline (filled from each case's metrics for cases ingested under
//            version 1, which did not keep it), and an index for the series queries.
#pragma once

#include "reports/history_sqlite.h"

namespace sciperf::reports {

inline constexpr int kHistorySchemaVersion = 2;

int schema_version(Database& db);
// Brings `db` to kHistorySchemaVersion. Refuses a file of a newer sciperf, a file that is
// not an SQLite database, and an SQLite database that holds someone else's tables.
void migrate(Database& db);

}  // namespace sciperf::reports
