#!/usr/bin/env bash
# One end-to-end scenario per call: runs the sciperf binary and checks exit code, messages
# and the result bundle. Environment: SCIPERF, SOURCE_DIR, MPIEXEC, PYTHON, WORK_DIR.
set -uo pipefail
scenario=$1
work="$WORK_DIR/$scenario"
rm -rf "$work" && mkdir -p "$work"
configs="$SOURCE_DIR/configs"
test_configs="$SOURCE_DIR/tests/e2e/configs"
schema="$SOURCE_DIR/harness/schema/results.schema.json"

fail() { echo "FAIL [$scenario]: $*"; exit 1; }
validate() { "$PYTHON" "$SOURCE_DIR/tests/tools/validate_bundle.py" "$schema" "$@" || fail "bundle check failed"; }
# run EXPECTED_RC ARGS...: runs sciperf, keeps its output in $work/out, checks the exit code.
run() {
  local expected=$1; shift
  "$SCIPERF" "$@" >"$work/out" 2>&1
  local rc=$?
  cat "$work/out"
  [ "$rc" -eq "$expected" ] || fail "exit code $rc, expected $expected"
}
expect_output() { grep -qE -- "$1" "$work/out" || fail "output lacks /$1/"; }

case "$scenario" in
  smoke)
    run 0 run -c "$configs/ci-smoke.yaml" -o "$work/bundle" --progress plain
    expect_output "results: $work/bundle/results.json"
    validate "$work/bundle" --expect-status complete --min-ok 52 \
      --expect-case-status 'selftest/action:empty=ok' --expect-case-status 'algorithm:rabenseifner.*bytes:256KiB=ok' \
      --expect-case-status 'training/model:transformer.*=ok' --expect-case-status 'inference/model:mlp.*scenario:server.*=ok' \
      --expect-case-status 'kernels/kernel:stream_triad/implementation:own.*=ok' \
      --expect-case-status 'kernels/kernel:peak_fma/.*precision:fp32.*=ok' \
      --expect-case-status 'compression/.*variant:int8_dynamic/engine:own/.*=ok' \
      --expect-case-status 'compression/.*variant:sparse24/engine:own/.*=ok' \
      --expect-case-status 'compression/.*variant:fp16/engine:own/.*=skipped'
    # The int8 seed MLP keeps its accuracy within a point and is at most a third of the size.
    python3 - "$work/bundle/results.json" <<'PY' || fail "int8 compression lost accuracy or size"
import json, sys
cases = json.load(open(sys.argv[1]))["sciperf"]["cases"]
int8 = [c for c in cases if "variant:int8_dynamic/engine:own/" in c["name"]][0]["metrics"]
assert int8["accuracy_delta"]["value"] > -1.0, int8["accuracy_delta"]
assert int8["model_bytes"]["value"] * 3 < int8["dense_bytes"]["value"], (int8["model_bytes"], int8["dense_bytes"])
PY
    ls "$work/bundle/mllog/"*.log >/dev/null 2>&1 || fail "no MLLOG file beside the bundle"
    grep -q '"key":"run_stop"' "$work/bundle/mllog/"*.log || fail "the MLLOG file has no run_stop"
    ;;
  direct_mpiexec)
    # The user may start the ranks themselves; sciperf then is one rank, not a launcher.
    "$MPIEXEC" -n 2 "$SCIPERF" run -c "$configs/ci-smoke.yaml" --filter 'bytes:(8B|64B)$' -o "$work/bundle" \
      --progress plain >"$work/out" 2>&1 || { cat "$work/out"; fail "mpiexec -n 2 sciperf run failed"; }
    grep -q "launching" "$work/out" && fail "a rank launched ranks of its own"
    validate "$work/bundle" --expect-status complete --min-ok 5
    "$PYTHON" - "$work/bundle/results.json" <<'PY' || fail "cluster block does not list 2 ranks"
import json, sys
cluster = json.load(open(sys.argv[1]))["sciperf"]["cluster"]
sys.exit(0 if cluster["ranks"] == 2 and len(cluster["hosts"]) == 2 else 1)
PY
    ;;
  single_rank)
    run 0 run -c "$test_configs/single-rank.yaml" -o "$work/bundle" --progress plain
    validate "$work/bundle" --expect-status complete --min-ok 2
    ;;
  rank_dies)
    # The case is failed with the rank and the output's tail; a fresh set of ranks goes on.
    run 1 run -c "$test_configs/rank-dies.yaml" -o "$work/bundle" --progress plain
    expect_output "rank 1 \(pid [0-9]+ on .*\) ended during case selftest/action:kill/rank:1"
    expect_output "resuming with 2 ranks"
    validate "$work/bundle" --expect-status complete --expect-case-status 'action:kill=failed' \
      --expect-case-status 'bytes:8B=ok' --expect-case-status 'bytes:64B=ok' --expect-case-status 'bytes:128B=ok'
    grep -q '"output_tail": ".*BAD TERMINATION' "$work/bundle/results.json" || fail "the failed case lacks the output tail"
    ;;
  hang)
    run 1 run -c "$test_configs/hang.yaml" -o "$work/bundle" --progress plain
    expect_output "case selftest/action:hang/rank:1 exceeded its timeout of 2.00 s .*rank 1 did not arrive"
    validate "$work/bundle" --expect-status complete --expect-case-status 'action:hang=timeout' \
      --expect-case-status 'bytes:8B=ok' --expect-case-status 'bytes:64B=ok'
    ;;
  sigterm_and_resume)
    # SIGTERM mid-run: finished cases stay, the bundle is valid and says how to resume;
    # the resumed bundle holds exactly the cases of an uninterrupted run, in order.
    "$SCIPERF" run -c "$test_configs/interruptible.yaml" -o "$work/bundle" --progress plain >"$work/out" 2>&1 &
    pid=$!
    for _ in $(seq 200); do
      n=$("$PYTHON" -c "import json,sys; print(len(json.load(open(sys.argv[1]))['sciperf']['cases']))" \
            "$work/bundle/results.json" 2>/dev/null || echo 0)
      [ "$n" -ge 3 ] && break
      sleep 0.05
    done
    kill -TERM "$pid"
    wait "$pid"
    rc=$?
    cat "$work/out"
    [ "$rc" -eq 143 ] || fail "exit code $rc after SIGTERM, expected 143"
    expect_output "interrupted by Terminated; continue with: sciperf run --resume"
    validate "$work/bundle" --expect-status interrupted --min-ok 3
    run 0 run --resume "$work/bundle" --progress plain
    validate "$work/bundle" --expect-status complete
    "$SCIPERF" run -c "$test_configs/interruptible.yaml" --dry-run | sed -n 's/^  \(collectives\/[^ ]*\).*/\1/p' >"$work/expected"
    "$PYTHON" -c "import json,sys; [print(c['name']) for c in json.load(open(sys.argv[1]))['sciperf']['cases'] if c['status'] == 'ok']" \
      "$work/bundle/results.json" >"$work/resumed"
    diff "$work/expected" "$work/resumed" || fail "the resumed bundle differs from an uninterrupted run's cases"
    ;;
  wrong_result)
    run 1 run -c "$test_configs/wrong-result.yaml" -o "$work/bundle" --progress plain
    expect_output "failed +selftest/action:wrong_result/rank:1 +validation failed: element 0 is 1, expected 0"
    validate "$work/bundle" --expect-status complete --expect-case-status 'action:wrong_result=failed' \
      --expect-case-status 'action:empty=ok'
    ;;
  bad_config)
    run 2 run -c "$test_configs/bad.yaml" -o "$work/bundle"
    expect_output "bad.yaml:[0-9]+:[0-9]+: system.ranks_per_nod: unknown key"
    expect_output "did you mean 'ranks_per_node'"
    expect_output "bad.yaml:[0-9]+:[0-9]+: suites\[0\].params.bytes\[1\]: expected a size"
    expect_output "bad.yaml:[0-9]+:[0-9]+: suites\[0\].params.dtype: 'float8' is not one of"
    [ -e "$work/bundle" ] && fail "an output directory was created for a bad config"
    ;;
  filter_matches_nothing)
    run 2 run -c "$configs/ci-smoke.yaml" --filter 'no-such-case' -o "$work/bundle"
    expect_output "no case matches --filter 'no-such-case'"
    ;;
  unwritable_output)
    run 2 run -c "$configs/ci-smoke.yaml" -o /proc/version/sciperf
    expect_output "cannot create the output directory"
    ;;
  existing_bundle)
    mkdir -p "$work/bundle" && echo '{"keep": true}' >"$work/bundle/results.json"
    run 2 run -c "$configs/ci-smoke.yaml" -o "$work/bundle"
    expect_output "already holds a result bundle"
    grep -q '"keep": true' "$work/bundle/results.json" || fail "an existing bundle was overwritten"
    ;;
  launcher_missing)
    run 3 run -c "$test_configs/missing-launcher.yaml" -o "$work/bundle"
    expect_output "cannot start '/nonexistent/mpiexec'"
    ;;
  dry_run_srun)
    run 2 run -c "$configs/clusters/slurm-8node-8gpu.yaml" --dry-run -o "$work/bundle"
    expect_output "describes 4 cluster configurations; run one with --cluster n1-r8-g1-t8"
    run 0 run -c "$configs/clusters/slurm-8node-8gpu.yaml" --cluster n8-r8-g1-t8 --dry-run -o "$work/bundle"
    expect_output "srun --nodes=8 --ntasks=64 --ntasks-per-node=8 --cpus-per-task=8 --gpus-per-task=1 --mpi=pmi2 --cpu-bind=cores .*sciperf run -c .*slurm-8node-8gpu.yaml -o $work/bundle --progress [a-z]+ --cluster n8-r8-g1-t8"
    expect_output "OMP_NUM_THREADS=8"
    [ -e "$work/bundle" ] && fail "a dry run created the output directory"
    ;;
  install_and_run)
    # An installed sciperf finds its shipped configs relative to itself and runs from there.
    cmake --install "$BUILD_DIR" --prefix "$work/prefix" >/dev/null || fail "cmake --install failed"
    [ -x "$work/prefix/bin/sciperf" ] || fail "no bin/sciperf in the prefix"
    [ -f "$work/prefix/share/sciperf/schema/results.schema.json" ] || fail "no schema in the prefix"
    (cd / && "$work/prefix/bin/sciperf" run --dry-run) >"$work/out" 2>&1 || { cat "$work/out"; fail "default config not found"; }
    expect_output "cases from $work/prefix/share/sciperf/configs/local.yaml"
    run 0 run -c "$work/prefix/share/sciperf/configs/ci-smoke.yaml" --filter 'bytes:8B' -o "$work/bundle" --progress plain
    validate "$work/bundle" --expect-status complete --min-ok 5
    (cd "$BUILD_DIR" && cpack -G DEB -B "$work/package" >/dev/null) || fail "cpack failed"
    dpkg-deb -c "$work"/package/sciperf_*.deb >"$work/package/contents" || fail "the .deb cannot be listed"
    grep -q '\./usr/bin/sciperf$' "$work/package/contents" || fail "the .deb lacks usr/bin/sciperf"
    grep -q 'share/sciperf/configs/local.yaml$' "$work/package/contents" || fail "the .deb lacks the configs"
    ;;
  nightly_template)
    # The nightly job script, run twice here: the first run starts the history, the second
    # is compared with it (3 repetitions cannot reach significance, so no flakiness).
    export SCIPERF SCIPERF_CONFIG="$test_configs/single-rank.yaml" SCIPERF_RESULTS="$work/nightly"
    bash "$SOURCE_DIR/ci/templates/nightly.sh" >"$work/out" 2>&1 || { cat "$work/out"; fail "first nightly run failed"; }
    expect_output "no earlier run in the history yet"
    sleep 1
    bash "$SOURCE_DIR/ci/templates/nightly.sh" >"$work/out" 2>&1 || { cat "$work/out"; fail "second nightly run failed"; }
    expect_output "no regression against the recent baseline"
    latest=$(ls -d "$work"/nightly/runs/* | tail -1)
    for file in report.md report.html compare.md junit.xml; do [ -s "$latest/$file" ] || fail "nightly wrote no $file"; done
    grep -q "<testsuite" "$latest/junit.xml" || fail "junit.xml is not JUnit"
    SCIPERF_HISTORY="$work/nightly/history.db" "$SCIPERF" history runs >"$work/out" 2>&1 || fail "history runs failed"
    [ "$(grep -c '^ *[0-9]' "$work/out")" -eq 2 ] || { cat "$work/out"; fail "the history does not hold both runs"; }
    ;;
  template_launcher)
    run 0 run -c "$test_configs/template-launcher.yaml" -o "$work/bundle" --progress plain
    expect_output "launching 2 ranks: .*mpiexec.mpich -n 2 .*sciperf run"
    validate "$work/bundle" --expect-status complete --min-ok 2
    ;;
  network_counters)
    # Real traffic over lo: the wire bytes match what the algorithm must send (within 10 %).
    run 0 run -c "$test_configs/loopback-traffic.yaml" -o "$work/bundle" --progress plain
    validate "$work/bundle" --expect-status complete --min-ok 6
    "$PYTHON" - "$work/bundle/results.json" <<'PY' || fail "wire bytes differ from the algorithm's expected bytes"
import json, sys
cases = json.load(open(sys.argv[1]))["sciperf"]["cases"]
ratios = [c["counter_metrics"]["wire_to_expected"]["value"] for c in cases]
print("wire bytes / expected bytes:", [round(r, 3) for r in ratios])
sys.exit(0 if len(ratios) == 6 and all(0.9 <= r <= 1.1 for r in ratios) else 1)
PY
    ;;
  required_collector)
    run 2 run -c "$test_configs/required-collector.yaml" -o "$work/bundle"
    expect_output "required collector 'mpi_t' is unavailable: this MPI library exposes no MPI_T performance variables"
    expect_output "nothing was measured"
    "$PYTHON" -c "import json,sys; sys.exit(1 if json.load(open(sys.argv[1]))['sciperf']['cases'] else 0)" \
      "$work/bundle/results.json" 2>/dev/null && fail "cases were recorded"
    run 0 collectors
    expect_output "mpi_t +unavailable: this MPI library exposes no MPI_T performance variables"
    expect_output "network +available"
    ;;
  nvml_fake)
    # Without the driver NVML says why; with the fake library found as the driver's would be,
    # each rank reads its own GPU and the sampled gauges have their spread.
    if ! ldconfig -p | grep -q 'libnvidia-ml\.so\.1'; then
      run 0 collectors
      expect_output "nvml +unavailable: libnvidia-ml.so.1 not found: "
    fi
    export LD_LIBRARY_PATH="$FAKE_NVML_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    unset CUDA_VISIBLE_DEVICES  # both fake GPUs visible, whatever this machine's job set
    run 0 collectors
    expect_output "nvml +available"
    expect_output "Fake GPU 1"
    run 0 run -c "$test_configs/nvml-fake.yaml" -o "$work/bundle" --progress plain
    validate "$work/bundle" --expect-status complete --min-ok 2
    "$PYTHON" - "$work/bundle/results.json" <<'PY' || fail "NVML counters missing or wrong"
import json, sys
cases = [c for c in json.load(open(sys.argv[1]))["sciperf"]["cases"] if c["status"] == "ok"]
for case in cases:
    counters = case["counters"]
    assert counters["nvml.sm_clock"]["per_rank"] == [1755, 1756], "each rank reads its own GPU"
    assert counters["nvml.energy"]["unit"] == "J" and counters["nvml.energy"]["min"] > 0
    assert counters["nvml.temperature_max"]["unit"] == "C"
    # The fake's power rises with every reading: a region of 20 intervals or more must have
    # been sampled (a shorter one, on a loaded machine, may not have been).
    seconds = [e / p for e, p in zip(counters["nvml.energy"]["per_rank"], counters["nvml.power_avg"]["per_rank"])]
    print(case["name"], "region", [round(s, 3) for s in seconds], "s; power min/max",
          counters.get("nvml.power.min", {}).get("per_rank"), counters.get("nvml.power.max", {}).get("per_rank"))
    for rank, region in enumerate(seconds):
        if region >= 0.1:
            assert counters["nvml.power.max"]["per_rank"][rank] > counters["nvml.power.min"]["per_rank"][rank], "no samples"
PY
    ;;
  plan_slurm)
    # One batch script per node count, each running sciperf on its cluster configuration.
    run 0 plan -c "$configs/clusters/slurm-8node-8gpu.yaml" -o "$work/plans" --results "$work/results"
    for n in 1 2 4 8; do
      script="$work/plans/slurm-8node-8gpu-n$n-r8-g1-t8.sbatch"
      [ -x "$script" ] || fail "missing $script"
      grep -q "^#SBATCH --nodes=$n$" "$script" || fail "$script: wrong node count"
      grep -q "^#SBATCH --ntasks-per-node=8$" "$script" || fail "$script: ranks per node"
      grep -q "^#SBATCH --gpus-per-task=1$" "$script" || fail "$script: GPUs per task"
      grep -q "^#SBATCH --partition=gpu$" "$script" || fail "$script: batch_args"
      grep -qE "^exec .*sciperf run -c .*slurm-8node-8gpu.yaml --cluster n$n-r8-g1-t8 -o $work/results/" "$script" \
        || fail "$script: run line"
      bash -n "$script" || fail "$script is not valid bash"
    done
    grep -c '^sbatch ' "$work/plans/submit-all.sh" | grep -qx 4 || fail "submit-all.sh does not submit 4 scripts"
    ;;
  validate_shipped_configs)
    for config in "$configs"/*.yaml "$configs"/clusters/*.yaml "$configs"/bench/*.yaml; do
      run 0 validate "$config"
    done
    ;;
  list_and_sysinfo)
    run 0 list
    expect_output "collectives: "
    expect_output "bytes +Message size"
    "$SCIPERF" sysinfo --json >"$work/sysinfo.json" || fail "sysinfo --json failed"
    "$PYTHON" -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['host']['cpu']['logical_cpus'] >= 1 else 1)" \
      "$work/sysinfo.json" || fail "sysinfo --json is not the inventory"
    ;;
  schema_rejects_bad_bundle)
    # The checker must be able to fail: a bundle whose ok case lacks metrics is rejected.
    "$PYTHON" "$SOURCE_DIR/tests/tools/validate_bundle.py" "$schema" "$SOURCE_DIR/tests/e2e/data/invalid-bundle.json" \
      >"$work/out" 2>&1 && fail "an invalid bundle passed validation"
    expect_output "'metrics' is a required property"
    ;;
  nccl_backend)
    # On a machine with GPUs every case must be ok; without, every case is skipped and says why.
    run 0 run -c "$test_configs/nccl.yaml" -o "$work/bundle" --progress plain
    validate "$work/bundle" --expect-status complete
    "$PYTHON" - "$work/bundle/results.json" <<'PY' || fail "nccl cases neither ran nor said why not"
import json, re, sys
cases = json.load(open(sys.argv[1]))["sciperf"]["cases"]
gpu = all(c["status"] == "ok" for c in cases)
why = all(c["status"] == "skipped" and re.search("no usable CUDA device|no CUDA device|has no NCCL", c["reason"]) for c in cases)
print("nccl cases:", "all ok" if gpu else "all skipped: " + cases[0].get("reason", ""))
# With GPUs, the NCCL collector's plugin saw every collective's path (all-to-all is
# point-to-point inside NCCL: no collective event).
for c in cases if gpu else []:
    paths = {k: v["sum"] for k, v in c.get("counters", {}).items() if re.fullmatch(r"nccl\.\w+\.\w+\.\w+\.ops", k)}
    print(c["name"], paths)
    assert paths or "alltoall" in c["name"], c["name"] + ": no nccl.<collective>.<algorithm>.<protocol>.ops counter"
sys.exit(0 if cases and (gpu or why) else 1)
PY
    ;;
  cupti_collector)
    # Metric names are checked for the config's chip without a GPU, each problem where it
    # stands; on a GPU the profiling pass leaves activity counters, metrics and a trace.
    run 2 validate "$test_configs/cupti-metrics.yaml"
    expect_output "cupti-metrics.yaml:[0-9]+:[0-9]+: collectors.cupti.metrics\[1\]: 'dram__bytes_red.sum' is not a GH100 metric \(closest: dram__bytes_read.sum\)"
    grep -q "metrics\[0\]\|metrics\[2\]" "$work/out" && fail "a valid metric was refused"
    run 0 collectors
    expect_output "cupti +(available|unavailable: no CUDA device)"
    run 0 run -c "$SOURCE_DIR/tests/gpu/cupti.yaml" -o "$work/bundle" --progress plain
    validate "$work/bundle" --expect-status complete
    "$PYTHON" - "$work/bundle" <<'PY' || fail "cupti cases neither profiled nor said why not"
import json, os, re, sys
bundle = sys.argv[1]
cases = json.load(open(os.path.join(bundle, "results.json")))["sciperf"]["cases"]
if all(c["status"] == "skipped" and re.search("no CUDA device|no usable CUDA device", c["reason"]) for c in cases):
    print("no GPU: every case skipped:", cases[0]["reason"])
    sys.exit(0)
for c in cases:
    counters = c.get("counters", {})
    value = lambda name: counters[name]["max"] if name in counters else None
    print(c["name"], c["status"], {k: v["max"] for k, v in counters.items() if k.startswith("cupti.")})
    assert c["status"] == "ok", c
    assert value("cupti.kernels") and value("cupti.kernels") >= 1, "no kernel recorded"
    assert value("cupti.profiled_operations") in (1, 3), "profile_operations, or one repetition"
    assert value("cupti.metric.gpu__time_duration.sum"), "no Range Profiling metric"
    traces = os.listdir(os.path.join(bundle, "traces"))
    assert any(t.endswith(".rank0.json") for t in traces), traces
PY
    ;;
  nccl_collector)
    # The NCCL collector finds its profiler plugin in the build tree and in an install, and
    # leaves a profiler plugin the user chose alone.
    unset NCCL_PROFILER_PLUGIN
    if ! "$PYTHON" -c 'import ctypes; ctypes.CDLL("libnccl.so.2")' 2>/dev/null; then
      run 0 collectors
      expect_output "nccl +unavailable: libnccl.so.2 not found: "
      echo "PASS [$scenario] (no libnccl.so.2 here)"
      exit 0
    fi
    run 0 collectors
    expect_output "nccl +available"
    expect_output "plugin: \".*/lib[^\"]*/sciperf/libsciperf_nccl_profiler.so\""
    expect_output "nccl_version: \"2\.[0-9]+\.[0-9]+\""
    NCCL_PROFILER_PLUGIN=/opt/vendor/libnccl-profiler-x.so run 0 collectors
    expect_output "nccl +unavailable: NCCL_PROFILER_PLUGIN is set to '/opt/vendor/libnccl-profiler-x.so', another profiler plugin"
    cmake --install "$BUILD_DIR" --prefix "$work/prefix" >/dev/null || fail "cmake --install failed"
    "$work/prefix/bin/sciperf" collectors >"$work/out" 2>&1 || { cat "$work/out"; fail "installed sciperf collectors failed"; }
    cat "$work/out"
    expect_output "plugin: \"$work/prefix/lib[^\"]*/sciperf/libsciperf_nccl_profiler.so\""
    ;;
  *) fail "unknown scenario" ;;
esac
echo "PASS [$scenario]"
