#!/usr/bin/env python3
"""Prints a short summary of tprof file sets: per program the time, the
slowest operation, the top function by self time, the allocation count and
the peak heap, and where the files are.

  summarize.py METRICS_JSON...
"""
import json
import os
import sys


def row(path):
    with open(path, encoding="utf-8") as f:
        m = json.load(f)
    ops = sorted(m["operation_timings"].items(), key=lambda kv: kv[1], reverse=True)
    funcs = sorted(m["functions"], key=lambda f: f["self_ms"], reverse=True)
    mem = m["memory_allocation_data"]
    return {
        "program": m["program_id"],
        "ops": str(len(ops)),
        "time ms": "%.2f" % m["execution_time_ms"],
        "slowest operation": "%s %.3f ms" % ops[0] if ops else "-",
        "top function (self)": "%s %.3f ms" % (funcs[0]["name"], funcs[0]["self_ms"]) if funcs else "-",
        "calls": str(m["profile_data"]["total_calls"]),
        "allocs": str(mem["allocation_count"]) if mem["enabled"] else "-",
        "peak KiB": "%.1f" % (mem["peak_memory_mb"] * 1024) if mem["enabled"] else "-",
        "files": os.path.relpath(path[: -len("metrics.json")]) + "*",
    }


def main(paths):
    rows = [row(p) for p in paths]
    cols = list(rows[0].keys())
    shown = cols[:-1]
    width = {c: max(len(c), *(len(r[c]) for r in rows)) for c in shown}
    print("  ".join(c.ljust(width[c]) for c in shown))
    for r in rows:
        print("  ".join(r[c].ljust(width[c]) for c in shown))
    dirs = sorted({os.path.dirname(r["files"]) for r in rows})
    print("\nfile sets (metrics.json, timings.csv, cpu_functions.csv, memory_summary.json, "
          "memory_allocators.csv, memory_traces.csv, performance_report.md) in: " + ", ".join(dirs))
    if len(rows) == 1:
        print("prefix: " + rows[0]["files"])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
