#!/usr/bin/env bash
# The HTML report in a real browser: two ci-smoke runs rendered into one page (one of them
# with a case renamed to a <script> that would log to the console), opened by headless
# Chromium (Debian's `chromium`). Passes when the browser logs nothing to the console (the
# page has no script, so any message is a blocked fetch, a script that got through or a
# parse problem) and every chart of the page is in the DOM the browser built.
# Exits 77 (skipped) when chromium is not installed.
# Environment: SCIPERF, SOURCE_DIR, PYTHON, WORK_DIR as for e2e.sh; CHROMIUM names another browser binary.
set -uo pipefail
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
  echo "SKIP [html_report_check]: chromium is not installed (apt-get install -y chromium); the HTML report was not opened in a browser"
  exit 77
fi
work="$WORK_DIR/html_report_check"
fail() { echo "FAIL [html_report_check]: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work"

# One run after the other: each wants the machine's cores for its ranks.
for run in a b; do
  "$SCIPERF" run -c "$SOURCE_DIR/configs/ci-smoke.yaml" -o "$work/$run" --progress none >"$work/run-$run.log" 2>&1 ||
    { cat "$work/run-$run.log"; fail "sciperf run ($run) failed"; }
done
"$PYTHON" - "$work/b/results.json" <<'PY' || fail "could not rename a case"
import json, sys
path = sys.argv[1]
bundle = json.load(open(path))
bundle["sciperf"]["cases"][0]["name"] = "<script>console.error('the report runs names as scripts')</script>"
json.dump(bundle, open(path, "w"))
PY
"$SCIPERF" report "$work/a" "$work/b" --format html -o "$work/report.html" || fail "sciperf report --format html failed"
charts=$(grep -o '<svg [^>]* id="chart-[0-9]*"' "$work/report.html" | grep -o 'chart-[0-9]*' | sort)
[ -n "$charts" ] || fail "the report has no chart"

# A profile of its own, so that nothing of the user's is read or written.
"$chromium" --headless --disable-gpu --no-sandbox --user-data-dir="$work/profile" --enable-logging=stderr --v=0 \
  --dump-dom "file://$work/report.html" >"$work/dom.html" 2>"$work/chromium.log"
rc=$?
[ "$rc" -eq 0 ] || { tail -20 "$work/chromium.log"; fail "chromium exited with $rc"; }

if grep -q ':CONSOLE' "$work/chromium.log"; then
  grep ':CONSOLE' "$work/chromium.log"
  fail "the page logged to the console"
fi
in_dom=$(grep -o '<svg [^>]* id="chart-[0-9]*"' "$work/dom.html" | grep -o 'chart-[0-9]*' | sort)
[ "$in_dom" = "$charts" ] || fail "charts in the report: $(echo $charts); in the browser's DOM: $(echo $in_dom)"
grep -q '&lt;script&gt;console.error' "$work/dom.html" || fail "the <script> case name is not shown as text"

# The same page with the procurement scorecard of b against a in it.
"$SCIPERF" report --scorecard "$work/a" "$work/b" --format html -o "$work/scorecard.html" ||
  fail "sciperf report --scorecard --format html failed"
"$chromium" --headless --disable-gpu --no-sandbox --user-data-dir="$work/profile" --enable-logging=stderr --v=0 \
  --dump-dom "file://$work/scorecard.html" >"$work/scorecard-dom.html" 2>"$work/chromium-scorecard.log" ||
  fail "chromium could not open the scorecard page"
if grep -q ':CONSOLE' "$work/chromium-scorecard.log"; then
  grep ':CONSOLE' "$work/chromium-scorecard.log"
  fail "the scorecard page logged to the console"
fi
grep -q '<section id="scorecard">' "$work/scorecard-dom.html" || fail "no scorecard section in the browser's DOM"
echo "ok [html_report_check]: $(echo "$charts" | wc -l) charts in the DOM, a scorecard section, no console messages"
