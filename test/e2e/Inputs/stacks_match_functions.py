"""Checks each metrics.json in a directory: call_stacks and functions[]
describe the same moment (docs/FILES.md). For every timed function, its
functions[] calls are its rows' calls plus its call_stacks_folded calls,
plus at most RUNNING more (calls that threads still running during the
export had just begun: counted, in no row yet); and the rows' self_ns add
up to profile_data.total_time to within a nanosecond per row. Prints one
line per set with the largest differences, and "mismatched K of N".

  stacks_match_functions.py DIR RUNNING
"""
import glob
import json
import os
import sys

sets = sorted(glob.glob(os.path.join(sys.argv[1], "*_metrics.json")))
running = int(sys.argv[2])
mismatched = 0
for path in sets:
    m = json.load(open(path))
    row_calls, folded = {}, {}
    row_self_ns = 0
    for r in m["call_stacks"]:
        row_calls[r["function"]] = row_calls.get(r["function"], 0) + r["calls"]
        row_self_ns += r["self_ns"]
    for f in m["call_stacks_folded"]:
        folded[f["function"]] = folded.get(f["function"], 0) + f["calls"]
    worst_calls, calls_bad = 0, False
    for f in m["functions"]:
        if not f["timed"]:
            continue
        d = f["calls"] - row_calls.get(f["id"], 0) - folded.get(f["id"], 0)
        worst_calls = max(worst_calls, abs(d))
        calls_bad = calls_bad or not 0 <= d <= running
    total_ns = round(m["profile_data"]["total_time"] * 1e9)
    time_diff = abs(row_self_ns - total_ns)
    bad = calls_bad or time_diff > len(m["call_stacks"])
    mismatched += bad
    print("%s calls off by %d, self time off by %d ns%s"
          % (os.path.basename(path)[-40:], worst_calls, time_diff, " MISMATCH" if bad else ""))
print("mismatched %d of %d" % (mismatched, len(sets)))
