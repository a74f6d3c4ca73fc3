"""cancel_in_export.c's check: the calls of `after` in the set the exit
wrote, and the temporary files (names starting with '.') left in DIR."""
import glob
import json
import os
import sys

d = sys.argv[1]
calls = None
for path in glob.glob(os.path.join(d, "*_metrics.json")):
    with open(path) as f:
        m = json.load(f)
    if m["export_reason"] == "exit":
        calls = sum(fn["calls"] for fn in m["functions"] if fn["name"] == "after")
print("exit set: after %s calls" % calls)
print("temporary files: %d" % len([n for n in os.listdir(d) if n.startswith(".") and n.endswith(".tmp")]))
