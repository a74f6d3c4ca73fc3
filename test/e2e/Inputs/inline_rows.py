# For inline_functions.c: the rows of sq and cube in a file set's
# metrics.json (rows with calls), with their calls, file and line.
import glob
import json
import os
import sys

m = json.load(open(glob.glob(os.path.join(sys.argv[1], "*_metrics.json"))[0]))
for name in ("sq", "cube"):
    rows = [f for f in m["functions"] if f["name"] == name and f["calls"] > 0]
    where = " ".join("at %s:%d" % (os.path.basename(f["file"]), f["line"]) for f in rows if f["line"])
    print(name, "rows", len(rows), "calls", sum(f["calls"] for f in rows), where)
