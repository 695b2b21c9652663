-- A history database as sciperf wrote it at schema version 1 (the first layout, before
-- cases.headline), with one run: test_reports_history.cpp builds it and checks that
-- opening it migrates it. Frozen: it must keep describing version 1 whatever the code does.
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

INSERT INTO runs VALUES (1, 'vm', 'nightly', 'n1-r2-g0-t1', 'abc1234', '0.1.0', '2026-11-01T02:00:00Z',
  '2026-11-01T02:10:00Z', 'complete', '', '/results/nightly-1/results.json', '00000000000000aa', '2026-11-01T03:00:00Z');
INSERT INTO cases VALUES (1, 1, 0, 'collectives/collective:allreduce/bytes:1KiB', 'collectives', 'ok', '',
  '{"bytes":1024,"collective":"allreduce"}', '{"bytes":"size","collective":"string"}');
INSERT INTO cases VALUES (2, 1, 1, 'collectives/collective:broadcast/bytes:1KiB', 'collectives', 'failed',
  'validation failed', '{"bytes":1024,"collective":"broadcast"}', '{"bytes":"size","collective":"string"}');
INSERT INTO metric_values VALUES (1, 'time_avg', 1.0e-05, 's', 'lower_is_better');
INSERT INTO metric_values VALUES (1, 'busbw', 0.1024, 'GB/s', 'higher_is_better');
INSERT INTO samples VALUES (1, 'time_avg', '[9.9e-06,1.0e-05,1.01e-05,1.0e-05]');
PRAGMA user_version = 1;
