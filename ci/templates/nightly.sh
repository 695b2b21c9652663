#!/usr/bin/env bash
# A nightly regression job on a cluster: run a config, compare it with the baseline, write
# the reports, and keep the run as the new baseline when nothing regressed. The GitLab and
# GitHub templates beside this file call it inside a Slurm allocation.
#
# Environment:
#   SCIPERF          the sciperf executable (default: sciperf on PATH)
#   SCIPERF_CONFIG   the config to run
#   SCIPERF_RESULTS  a directory kept between runs (runs/ and baseline/ live there)
#   SCIPERF_CLUSTER  optional: the cluster configuration (--cluster)
#   SCIPERF_FILTER   optional: --filter
# Exit: 0 no regression, 1 a case failed or a metric regressed, 2 could not compare.
set -euo pipefail
sciperf=${SCIPERF:-sciperf}
: "${SCIPERF_CONFIG:?set SCIPERF_CONFIG}" "${SCIPERF_RESULTS:?set SCIPERF_RESULTS}"
run_dir="$SCIPERF_RESULTS/runs/$(date -u +%Y%m%d-%H%M%S)"
baseline="$SCIPERF_RESULTS/baseline"

args=(run -c "$SCIPERF_CONFIG" -o "$run_dir" --progress plain)
[ -n "${SCIPERF_CLUSTER:-}" ] && args+=(--cluster "$SCIPERF_CLUSTER")
[ -n "${SCIPERF_FILTER:-}" ] && args+=(--filter "$SCIPERF_FILTER")
run_rc=0
"$sciperf" "${args[@]}" || run_rc=$?
[ -f "$run_dir/results.json" ] || { echo "nightly: the run left no bundle (exit $run_rc)"; exit 2; }
"$sciperf" report "$run_dir" --format markdown -o "$run_dir/report.md"

compare_rc=0
if [ -f "$baseline/results.json" ]; then
  "$sciperf" compare "$baseline" "$run_dir" --format markdown -o "$run_dir/compare.md" --junit "$run_dir/junit.xml" \
    || compare_rc=$?
else
  echo "nightly: no baseline yet; this run becomes it"
fi

if [ "$run_rc" -eq 0 ] && [ "$compare_rc" -eq 0 ]; then
  rm -rf "$baseline.new" && cp -r "$run_dir" "$baseline.new" && rm -rf "$baseline" && mv "$baseline.new" "$baseline"
  echo "nightly: no regression; $run_dir is the new baseline"
  exit 0
fi
echo "nightly: run exit $run_rc, compare exit $compare_rc; reports in $run_dir"
[ "$compare_rc" -eq 2 ] && exit 2
exit 1
