#!/usr/bin/env bash
# A nightly regression job on a cluster: run a config, ingest it into the history, compare
# it with the median of the previous runs (the recent baseline, not one lucky run), and
# write the reports (Markdown, JUnit, a self-contained HTML page with the trend). The GitLab
# and GitHub templates beside this file call it inside a Slurm allocation.
#
# Environment:
#   SCIPERF          the sciperf executable (default: sciperf on PATH)
#   SCIPERF_CONFIG   the config to run
#   SCIPERF_RESULTS  a directory kept between runs (runs/ and history.db live there)
#   SCIPERF_BASELINE_RUNS  optional: how many previous runs form the baseline (default 5)
#   SCIPERF_CLUSTER  optional: the cluster configuration (--cluster)
#   SCIPERF_FILTER   optional: --filter
# Exit: 0 no regression, 1 a case failed or a metric regressed, 2 could not compare.
set -euo pipefail
sciperf=${SCIPERF:-sciperf}
: "${SCIPERF_CONFIG:?set SCIPERF_CONFIG}" "${SCIPERF_RESULTS:?set SCIPERF_RESULTS}"
run_dir="$SCIPERF_RESULTS/runs/$(date -u +%Y%m%d-%H%M%S)"
export SCIPERF_HISTORY="$SCIPERF_RESULTS/history.db"

args=(run -c "$SCIPERF_CONFIG" -o "$run_dir" --progress plain)
[ -n "${SCIPERF_CLUSTER:-}" ] && args+=(--cluster "$SCIPERF_CLUSTER")
[ -n "${SCIPERF_FILTER:-}" ] && args+=(--filter "$SCIPERF_FILTER")
run_rc=0
"$sciperf" "${args[@]}" || run_rc=$?
[ -f "$run_dir/results.json" ] || { echo "nightly: the run left no bundle (exit $run_rc)"; exit 2; }
"$sciperf" history ingest "$run_dir"
"$sciperf" report "$run_dir" --format markdown -o "$run_dir/report.md"
"$sciperf" report "$run_dir" --format html -o "$run_dir/report.html"

# The baseline: the previous runs in the history (this run, just ingested, is skipped).
compare_rc=0
previous=$(( $("$sciperf" history runs | grep -c '^ *[0-9]') - 1 ))
if [ "$previous" -ge 1 ]; then
  query="history:last=${SCIPERF_BASELINE_RUNS:-5},skip=1"
  [ -n "${SCIPERF_CLUSTER:-}" ] && query+=",cluster=$SCIPERF_CLUSTER"
  "$sciperf" compare "$query" "$run_dir" --format markdown -o "$run_dir/compare.md" --junit "$run_dir/junit.xml" \
    || compare_rc=$?
else
  echo "nightly: no earlier run in the history yet; this one starts it"
fi

if [ "$run_rc" -eq 0 ] && [ "$compare_rc" -eq 0 ]; then
  echo "nightly: no regression against the recent baseline"
  exit 0
fi
echo "nightly: run exit $run_rc, compare exit $compare_rc; reports in $run_dir"
[ "$compare_rc" -eq 2 ] && exit 2
exit 1
