#!/usr/bin/env python3
"""Writes a large synthetic result bundle for the report and compare benchmarks
(docs/PERFORMANCE.md, "Reports on a 100,000-case bundle").

Every case is shaped like a ci-smoke all-reduce case (collectives suite, the five time and
bandwidth metrics with per-repetition samples, timing, validation), with unique names:
three algorithms x twenty sizes x as many copies as it takes. Samples carry relative noise;
a candidate is the same command with another --seed (and --regress to slow some cases down).

  synthesize_bundle.py OUT_DIR [--cases 100000] [--repetitions 3] [--noise 0.02] [--seed 1]
                       [--regress 0.0] [--energy] [--benchmarks]

--energy adds RAPL-like energy counters to every case; --benchmarks adds Google Benchmark
rows (one per repetition), which a real bundle has and which reports skip.
"""
import argparse
import json
import os
import random

ALGORITHMS = ["mpi", "ring", "rabenseifner"]
SIZES = [8 << i for i in range(20)]  # 8 B to 4 MiB
PARAM_KINDS = {"algorithm": "string", "bytes": "size", "collective": "string", "copy": "integer",
               "dtype": "string", "in_place": "boolean", "op": "string"}


def size_text(size):
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale}{unit}"
    return f"{size}B"


def case_record(index, rng, args):
    algorithm = ALGORITHMS[index % len(ALGORITHMS)]
    size = SIZES[(index // len(ALGORITHMS)) % len(SIZES)]
    copy = index // (len(ALGORITHMS) * len(SIZES))
    base = (2e-6 + size / 5e9) * (1.0 + 0.1 * ALGORITHMS.index(algorithm))
    if args.regress and rng.random() < args.regress:
        base *= 1.10
    times = [base * (1.0 + rng.gauss(0.0, args.noise)) for _ in range(args.repetitions)]
    samples = {
        "time_avg": times,
        "time_min": [t * 0.98 for t in times],
        "time_max": [t * 1.02 for t in times],
        "algbw": [size / t / 1e9 for t in times],
    }
    samples["busbw"] = list(samples["algbw"])
    directions = {"time_avg": "lower_is_better", "time_min": "lower_is_better", "time_max": "lower_is_better",
                  "algbw": "higher_is_better", "busbw": "higher_is_better"}
    metrics = {}
    for name, values in samples.items():
        ordered = sorted(values)
        middle = len(ordered) // 2
        value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
        metrics[name] = {"direction": directions[name], "unit": "s" if name.startswith("time") else "GB/s",
                         "value": value}
    iterations = max(1, int(0.002 / base))
    record = {
        "headline": ["time_avg", "busbw"],
        "metrics": metrics,
        "name": f"collectives/collective:allreduce/algorithm:{algorithm}/dtype:float32/op:sum/in_place:false/"
                f"bytes:{size_text(size)}/copy:{copy}",
        "param_kinds": PARAM_KINDS,
        "params": {"algorithm": algorithm, "bytes": size, "collective": "allreduce", "copy": copy,
                   "dtype": "float32", "in_place": False, "op": "sum"},
        "samples": samples,
        "status": "ok",
        "suite": "collectives",
        "timing": {"iterations": iterations, "min_time_s": 0.002, "mode": "pipelined",
                   "repetitions": args.repetitions, "warmup": 2},
        "validation": {"checked": max(1, size // 4), "detail": "", "max_error": 0.0,
                       "method": "|out - exact| <= ranks * u * sum|x|, u = 5.96e-08", "mismatches": 0, "passed": True},
    }
    if args.energy:
        joules = 45.0 * base * iterations * args.repetitions * (1.0 + rng.gauss(0.0, args.noise))
        record["counters"] = {
            "host.energy.package-0": {"unit": "J", "sum": joules, "min": joules, "max": joules, "per_rank": [joules, None]},
            "host.energy.package-0.core": {"unit": "J", "sum": joules * 0.7, "min": joules * 0.7, "max": joules * 0.7,
                                           "per_rank": [joules * 0.7, None]},
        }
    return record


def benchmark_rows(record):
    rows = []
    for repetition, seconds in enumerate(record["samples"]["time_avg"]):
        rows.append({"name": record["name"], "run_name": record["name"], "run_type": "iteration",
                     "repetitions": len(record["samples"]["time_avg"]), "repetition_index": repetition, "threads": 1,
                     "iterations": record["timing"]["iterations"], "real_time": seconds * 1e9, "cpu_time": seconds * 1e9,
                     "time_unit": "ns", "t_avg_us": seconds * 1e6, "t_max_us": seconds * 1.02e6,
                     "t_min_us": seconds * 0.98e6})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--noise", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regress", type=float, default=0.0, help="fraction of cases 10%% slower")
    parser.add_argument("--energy", action="store_true")
    parser.add_argument("--benchmarks", action="store_true")
    parser.add_argument("--system", default="synthetic")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    records = [case_record(i, rng, args) for i in range(args.cases)]
    header = {
        "schema_version": 1,
        "run": {"status": "complete", "started": "2026-11-25T10:00:00Z", "finished": "2026-11-25T11:00:00Z",
                "sciperf_version": "0.1.0", "config_file": "configs/ci-smoke.yaml", "filter": "", "suite": ""},
        "config": {"source": "configs/ci-smoke.yaml", "name": "synthetic", "description": "synthesize_bundle.py",
                   "output": "results",
                   "system": {"name": args.system, "nodes": 1, "ranks_per_node": 2, "devices_per_rank": 0,
                              "threads_per_rank": 1, "launcher": {"type": "mpiexec"}},
                   "timing": {"mode": "pipelined", "warmup": 2, "min_time_s": 0.002, "repetitions": args.repetitions,
                              "max_iterations": 100000000, "timeout_s": 600},
                   "suites": []},
        "inventory": {"nodes": [{"hostname": "vm", "cpu": {"model": "synthetic CPU"}}],
                      "build": {"sciperf_version": "0.1.0", "git_revision": "synthetic", "mpi_library": "MPICH 4.0.2"}},
        "cluster": {"configured_nodes": 1, "devices_per_rank": 0, "hosts": ["vm", "vm"], "node_count": 1, "ranks": 2,
                    "ranks_per_node": 2, "threads_per_rank": 1},
    }
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "results.json"), "w") as out:
        out.write('{"benchmarks": [')
        if args.benchmarks:
            out.write(",".join(json.dumps(row) for record in records for row in benchmark_rows(record)))
        out.write('], "context": {"library_build_type": "release"}, "sciperf": {"cases": [')
        out.write(",".join(json.dumps(record, sort_keys=True) for record in records))
        out.write("], ")
        out.write(json.dumps(header, sort_keys=True)[1:])
        out.write("}\n")


if __name__ == "__main__":
    main()
