#!/usr/bin/env bash
# Reproduces docs/PERFORMANCE.md, "Reports on a 100,000-case bundle": synthesizes the bundles
# (tests/e2e/synthesize_bundle.py) and times `sciperf report` (table, html) and `sciperf
# compare` (3 and 10 repetitions a case) with /usr/bin/time, ROUNDS times. With
# SCIPERF_BEFORE=/path/to/an/older/sciperf each round runs it first, so that both are measured
# side by side, interleaved, in one sitting.
#
#   tests/e2e/reports_bench.sh [ROUNDS]      (default 3; SCIPERF defaults to build/default/bin/sciperf)
#
# The bundles stay in WORK_DIR (a new temporary directory unless given) for the next run.
set -euo pipefail
rounds=${1:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
sciperf=${SCIPERF:-$root/build/default/bin/sciperf}
work=${WORK_DIR:-$(mktemp -d /tmp/sciperf-reports-bench.XXXXXX)}
synthesize() { [ -f "$work/$1/results.json" ] || python3 "$root/tests/e2e/synthesize_bundle.py" "$work/$1" "${@:2}"; }
synthesize a --seed 1
synthesize b --seed 2 --regress 0.01
synthesize a10 --seed 1 --repetitions 10
synthesize b10 --seed 2 --repetitions 10 --regress 0.01
echo "bundles in $work ($(du -h "$work/a/results.json" | cut -f1) each with 3 repetitions, $(du -h "$work/a10/results.json" | cut -f1) with 10)"

# measure LABEL COMMAND...: one line of wall time, CPU time and peak memory.
measure() {
  local label=$1
  shift
  /usr/bin/time -o "$work/time" -f "%e s wall, %U s user + %S s sys, %M KB peak RSS" "$@" >/dev/null 2>&1 || true
  echo "$label: $(tail -1 "$work/time")"
}

for round in $(seq "$rounds"); do
  for version in ${SCIPERF_BEFORE:+before} after; do
    binary=$sciperf
    [ "$version" = before ] && binary=$SCIPERF_BEFORE
    measure "round $round $version report" "$binary" report "$work/a" -o /dev/null
    measure "round $round $version report --format html" "$binary" report "$work/a" --format html -o /dev/null
    measure "round $round $version compare (3 repetitions)" "$binary" compare "$work/a" "$work/b" -o /dev/null
    measure "round $round $version compare (10 repetitions)" "$binary" compare "$work/a10" "$work/b10" -o /dev/null
  done
done
