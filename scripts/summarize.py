#!/usr/bin/env python3
"""Prints a short summary of tprof file sets: slowest operations, top
functions by time, allocations and peak heap, and where the files are.

  summarize.py METRICS_JSON...
"""
import json
import os
import sys


def summarize(path):
    with open(path, encoding="utf-8") as f:
        m = json.load(f)
    prefix = path[: -len("metrics.json")]
    print("%s (pid %d): %.2f ms" % (m["program_id"], m["pid"], m["execution_time_ms"]))
    ops = sorted(m["operation_timings"].items(), key=lambda kv: kv[1], reverse=True)
    if ops:
        print("  slowest operations: " + ", ".join("%s %.3f ms" % kv for kv in ops[:3]))
    prof = m["profile_data"]
    if prof["enabled"]:
        top = sorted(m["functions"], key=lambda f: f["self_ms"], reverse=True)[:3]
        print("  calls: %d; top functions by self time: %s" % (
            prof["total_calls"],
            ", ".join("%s %.3f ms (%d calls)" % (f["name"], f["self_ms"], f["calls"]) for f in top)))
    mem = m["memory_allocation_data"]
    if mem["enabled"]:
        print("  heap: %d allocations, %d frees, peak %.3f MB, live at exit %.3f MB" % (
            mem["allocation_count"], mem["deallocation_count"], mem["peak_memory_mb"],
            mem["current_memory_mb"]))
    print("  files: %s{metrics.json,timings.csv,cpu_functions.csv,memory_summary.json,"
          "memory_allocators.csv,memory_traces.csv,performance_report.md}" % os.path.relpath(prefix))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for p in sys.argv[1:]:
        summarize(p)
