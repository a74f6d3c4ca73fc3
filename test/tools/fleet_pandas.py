#!/usr/bin/env python3
"""Reads a directory of metrics files with pandas, the way docs/FILES.md
shows, and compares every value with what Python's json module reads.

  fleet_pandas.py DIR
"""
import glob
import json
import os
import sys

import pandas as pd


class Int(int):
    """An integer literal in the JSON text (no point, no exponent)."""


def float_fields(obj, path=""):
    """(path, value) of every field whose unit says it is a real number (the
    options in config keep their own types: flush_interval_ms is an int)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            p = path + "." + k
            if p == ".config":
                continue
            if isinstance(v, (dict, list)):
                yield from float_fields(v, p)
            elif k.endswith(("_ms", "_mb", "_us")) or k in ("total_time", "ticks_per_ns", "execution_time_ms") \
                    or path.endswith("operation_timings"):
                yield p, v
    elif isinstance(obj, list):
        for v in obj:
            yield from float_fields(v, path + "[]")


def main(d):
    paths = sorted(glob.glob(os.path.join(d, "*_metrics.json")))
    print("files", len(paths))
    docs = [json.load(open(p, encoding="utf-8")) for p in paths]

    # The docs' one-liners: the flat lists of records, one frame for all runs.
    ops = pd.concat([pd.json_normalize(m, "operations", ["program_id"]) for m in docs], ignore_index=True)
    funcs = pd.concat([pd.json_normalize(m, "functions", ["program_id"]) for m in docs], ignore_index=True)
    runs = pd.json_normalize(docs, max_level=0)

    want_ops = {(m["program_id"], o["name"]): o["total_ms"] for m in docs for o in m["operations"]}
    got_ops = {(r.program_id, r.name): r.total_ms for r in ops.itertuples()}
    lost = sum(1 for k, v in want_ops.items() if k not in got_ops or got_ops[k] != v or pd.isna(got_ops[k]))
    print("operation rows %d, lost %d" % (len(ops), lost))
    want_f = {(m["program_id"], f["name"]): (f["calls"], f["self_ms"]) for m in docs for f in m["functions"]}
    got_f = {(r.program_id, r.name): (r.calls, r.self_ms) for r in funcs.itertuples()}
    lost = sum(1 for k, v in want_f.items() if got_f.get(k) != v)
    print("function rows %d, lost %d" % (len(funcs), lost))

    ints = []
    for p in paths:
        raw = json.load(open(p, encoding="utf-8"), parse_int=Int)
        ints += ["%s %s" % (os.path.basename(p), path) for path, v in float_fields(raw) if isinstance(v, Int)]
    print("integer-typed float fields", len(ints))
    for x in ints[:5]:
        print("  ", x)
    print("memory_used_mb dtype %s, execution_time_ms dtype %s, total_ms dtype %s"
          % (runs.memory_used_mb.dtype, runs.execution_time_ms.dtype, ops.total_ms.dtype))
    agree = all(m["operation_timings"] == {o["name"]: o["total_ms"] for o in m["operations"]} for m in docs)
    print("operation_timings agrees with operations:", agree)

    csvs = sorted(glob.glob(os.path.join(d, "*_timings.csv")))
    t = pd.concat([pd.read_csv(p).assign(program=os.path.basename(p)) for p in csvs], ignore_index=True)
    want = sorted(o["total_ms"] for m in docs for o in m["operations"])
    lost = sum(1 for a, b in zip(want, sorted(t.total_ms)) if a != b) + abs(len(want) - len(t))
    print("timings.csv rows %d, lost %d" % (len(t), lost))

    print("slowest operation type:", ops.groupby("type").total_ms.sum().idxmax())
    stamps = pd.to_datetime(runs.timestamp_iso8601, format="%Y-%m-%dT%H:%M:%SZ", utc=True)
    print("timestamps parse:", bool(stamps.notna().all()))


if __name__ == "__main__":
    main(sys.argv[1])
