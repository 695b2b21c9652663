#!/usr/bin/env python3
"""Checks result bundles against harness/schema/results.schema.json and strict JSON.

usage: validate_bundle.py SCHEMA BUNDLE_DIR_OR_FILE... [--expect-status complete|failed]
       [--min-ok N] [--expect-case-status NAME_REGEX=STATUS]
Exit 0 when every bundle is valid and meets the expectations, 1 otherwise.
"""
import argparse
import json
import pathlib
import re
import sys

import jsonschema


def reject_constant(name):
    raise ValueError(f"non-strict JSON literal {name}")


def load_bundle(path):
    path = pathlib.Path(path)
    if path.is_dir():
        path = path / "results.json"
    with open(path, encoding="utf-8") as handle:
        return path, json.load(handle, parse_constant=reject_constant)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("schema")
    parser.add_argument("bundles", nargs="+")
    parser.add_argument("--expect-status")
    parser.add_argument("--min-ok", type=int, default=0)
    parser.add_argument("--expect-case-status", action="append", default=[])
    args = parser.parse_args()

    schema = json.loads(pathlib.Path(args.schema).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    failures = 0
    for bundle in args.bundles:
        try:
            path, document = load_bundle(bundle)
        except (OSError, ValueError) as error:
            print(f"{bundle}: {error}")
            failures += 1
            continue
        problems = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(document)]
        block = document.get("sciperf", {})
        cases = block.get("cases", [])
        status = block.get("run", {}).get("status")
        if args.expect_status and status != args.expect_status:
            problems.append(f"run status is {status!r}, expected {args.expect_status!r}")
        ok = sum(1 for case in cases if case.get("status") == "ok")
        if ok < args.min_ok:
            problems.append(f"{ok} ok cases, expected at least {args.min_ok}")
        for expectation in args.expect_case_status:
            pattern, _, wanted = expectation.rpartition("=")
            matching = [case for case in cases if re.search(pattern, case.get("name", ""))]
            if not matching:
                problems.append(f"no case matches {pattern!r}")
            problems += [f"case {case['name']} is {case.get('status')!r}, expected {wanted!r}"
                         for case in matching if case.get("status") != wanted]
        names = {case["name"] for case in cases if case.get("status") == "ok"}
        rows = {row["run_name"] for row in document.get("benchmarks", [])}
        if rows - names:
            problems.append(f"benchmark rows without an ok case: {sorted(rows - names)[:3]}")
        for problem in problems:
            print(f"{path}: {problem}")
        failures += bool(problems)
        if not problems:
            print(f"{path}: valid ({len(cases)} cases, {ok} ok, run {status})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
