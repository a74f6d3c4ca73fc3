#!/usr/bin/env python3
"""Run the seed guide's own analysis functions, unchanged, on tprof metrics.

The functions are taken at run time from the guide's code blocks (found via
$TPROF_SEED_DIR, normally ../shared/seed), not copied into this repository,
so what runs is exactly what the guide's users run.

  guide_analysis.py METRICS_JSON...

Each metrics.json is loaded into attribute objects the way the guide's
ExecutionMetrics look (profile_data and memory_allocation_data as objects,
operation_timings as a dict), then analyze_execution_metrics runs on each,
identify_performance_bottlenecks and detect_memory_leaks on all of them.
"""
import glob
import json
import os
import re
import sys
import types

WANTED = ["analyze_execution_metrics", "identify_performance_bottlenecks", "detect_memory_leaks"]


def load_guide_functions():
    seed_dir = os.environ.get("TPROF_SEED_DIR") or os.path.join(
        os.path.dirname(__file__), "..", "..", "..", "shared", "seed")
    namespace = {}
    for path in sorted(glob.glob(os.path.join(seed_dir, "*"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for block in re.findall(r"```python\n(.*?)```", text, re.S):
            if any("def %s(" % name in block for name in WANTED):
                exec(compile(block, path, "exec"), namespace)
    missing = [n for n in WANTED if n not in namespace]
    if missing:
        sys.exit("guide_analysis: functions not found in %s: %s" % (seed_dir, missing))
    return namespace


def as_metrics(doc):
    m = types.SimpleNamespace(**doc)
    m.profile_data = types.SimpleNamespace(**doc["profile_data"]) if doc.get("profile_data") else None
    m.memory_allocation_data = (types.SimpleNamespace(**doc["memory_allocation_data"])
                                if doc.get("memory_allocation_data") else None)
    return m


def main(paths):
    guide = load_guide_functions()
    metrics_list = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            metrics_list.append(as_metrics(json.load(f)))
    for p, m in zip(paths, metrics_list):
        print("== analyze_execution_metrics(%s)" % os.path.basename(p))
        guide["analyze_execution_metrics"](m)
    print("== identify_performance_bottlenecks")
    for b in guide["identify_performance_bottlenecks"](metrics_list):
        print("bottleneck %(operation)s frequency=%(frequency)d avg=%(avg_time_ms).3f ms max=%(max_time_ms).3f ms" % b)
    print("== detect_memory_leaks")
    issues, trends = guide["detect_memory_leaks"](metrics_list)
    for t in trends:
        print("trend execution=%(execution)d peak=%(peak_memory_mb).3f MB final=%(final_memory_mb).3f MB "
              "net_allocations=%(net_allocations)d" % t)
    for issue in issues:
        print("issue: " + issue)
    print("guide analysis: %d metrics files, OK" % len(metrics_list))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
