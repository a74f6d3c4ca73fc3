#!/usr/bin/env python3
"""An independent reader of the call sections of a tprof metrics.json
(schema 2, docs/FILES.md): function ids, call_graph, call_stacks (a tree per
thread), call_stacks_folded and the timeline, with Python's json only, so a
mistake in the runtime or in tools/tprof cannot be read back "right" by the
same code.

  calls_reader.py FILE_OR_DIR edges      "caller -> callee: calls" by name, sorted (caller 0 is None)
  calls_reader.py FILE_OR_DIR sums       each function's incoming calls against its calls
  calls_reader.py FILE_OR_DIR stacks     merged paths "a;b;c calls=N" (all threads), sorted
  calls_reader.py FILE_OR_DIR allocs     merged paths that allocated "a;b;c allocs=N bytes=B", sorted
  calls_reader.py FILE_OR_DIR threads    paths per thread "T a;b;c calls=N", sorted
  calls_reader.py FILE_OR_DIR timeline   "label kind thread" per event, in file order
  calls_reader.py FILE_OR_DIR folded     call_stacks_folded by name "name calls=N"
  calls_reader.py FILE_OR_DIR func NAME FIELD
A directory means its one *_metrics.json. Exit status 1 with a message on any problem.
"""
import glob
import json
import os
import sys

SCHEMA = 2


def die(msg):
    print("calls_reader: " + msg, file=sys.stderr)
    sys.exit(1)


def load(path):
    if os.path.isdir(path):
        found = glob.glob(os.path.join(path, "*_metrics.json"))
        if len(found) != 1:
            die("%d metrics files in %s" % (len(found), path))
        path = found[0]
    with open(path, encoding="utf-8") as f:
        m = json.load(f, parse_constant=lambda c: die("non-standard constant %s" % c))
    if m.get("schema_version") != SCHEMA:
        die("schema_version %r, expected %d" % (m.get("schema_version"), SCHEMA))
    return m


def functions(m):
    """id -> the functions[] entry; ids are unique."""
    by_id = {}
    for f in m["functions"]:
        if f["id"] in by_id:
            die("function id %d twice" % f["id"])
        by_id[f["id"]] = f
    return by_id


def labels(m):
    """id -> what the viewers show: the operation's name for an operation, else the function's,
    with " (file:line)" when two functions would show the same text."""
    fs = functions(m)
    base = {i: f.get("operation") or f["name"] for i, f in fs.items()}
    count = {}
    for v in base.values():
        count[v] = count.get(v, 0) + 1
    return {i: (v if count[v] == 1 else "%s (%s:%d)" % (v, fs[i]["file"], fs[i]["line"])) for i, v in base.items()}


def name_of(m, fid, fs=None):
    fs = fs or functions(m)
    if fid not in fs:
        die("id %r is not in functions[]" % fid)
    return fs[fid]["name"]


def edges(m):
    fs = functions(m)
    return [(name_of(m, e["caller"], fs) if e["caller"] else None, name_of(m, e["callee"], fs), e["calls"],
             e["self_ms"], e["inclusive_ms"]) for e in m["call_graph"]]


def incoming(m):
    inc = {}
    for e in m["call_graph"]:
        inc[e["callee"]] = inc.get(e["callee"], 0) + e["calls"]
    return inc


def rows(m, label=None):
    """call_stacks rows with their path (names, outermost first), checked: ids in order, parents
    earlier, every function known."""
    fs = functions(m)
    label = label or (lambda fid: name_of(m, fid, fs))
    out = []
    for i, r in enumerate(m["call_stacks"]):
        if r["id"] != i + 1:
            die("call_stacks row %d has id %r" % (i + 1, r["id"]))
        if not 0 <= r["parent"] <= i:
            die("call_stacks row %d: parent %r is not an earlier row" % (i + 1, r["parent"]))
        parent = out[r["parent"] - 1] if r["parent"] else None
        if parent and parent["thread"] != r["thread"]:
            die("call_stacks row %d: parent on another thread" % (i + 1))
        path = (parent["path"] if parent else ()) + (label(r["function"]),)
        out.append(dict(r, path=path))
    return out


def merged(m, label=None):
    paths = {}
    for r in rows(m, label):
        p = paths.setdefault(r["path"], {"calls": 0, "self_ns": 0, "inclusive_ns": 0, "alloc_count": 0,
                                         "alloc_bytes": 0})
        for k in p:
            p[k] += r[k]
    return paths


def total_self_ms(m):
    if m.get("call_stacks") is not None:
        return sum(r["self_ns"] for r in m["call_stacks"]) / 1e6
    return sum(f["self_ms"] for f in m["functions"])


def timeline(m):
    fs, lab = functions(m), labels(m)
    cols = m["timeline"]["columns"]
    if cols != ["function", "thread", "start_ns", "dur_ns"]:
        die("timeline columns %r" % cols)
    return [{"name": lab[e[0]], "kind": fs[e[0]]["kind"], "thread": e[1], "start_us": e[2] / 1e3,
             "dur_us": e[3] / 1e3} for e in m["timeline"]["events"]]


def main(argv):
    if len(argv) < 3:
        die(__doc__)
    m, cmd = load(argv[1]), argv[2]
    if cmd == "edges":
        for c, d, n, _, _ in sorted(edges(m), key=lambda e: (str(e[0]), e[1])):
            print("%s -> %s: %d" % (c, d, n))
    elif cmd == "sums":
        inc, bad = incoming(m), 0
        for f in m["functions"]:
            if inc.get(f["id"], 0) != f["calls"]:
                print("DIFFERENT %s: calls %d, incoming edges %d" % (f["name"], f["calls"], inc.get(f["id"], 0)))
                bad += 1
        print("%d functions, %d whose incoming calls differ from their calls" % (len(m["functions"]), bad))
    elif cmd == "stacks":
        for p, v in sorted(merged(m).items()):
            print("%s calls=%d" % (";".join(p), v["calls"]))
    elif cmd == "allocs":
        for p, v in sorted(merged(m).items()):
            if v["alloc_count"] or v["alloc_bytes"]:
                print("%s allocs=%d bytes=%d" % (";".join(p), v["alloc_count"], v["alloc_bytes"]))
    elif cmd == "threads":
        for r in sorted(rows(m), key=lambda r: (r["thread"], r["path"])):
            print("%d %s calls=%d" % (r["thread"], ";".join(r["path"]), r["calls"]))
    elif cmd == "timeline":
        for e in timeline(m):
            print("%s %s %d" % (e["name"], e["kind"], e["thread"]))
    elif cmd == "folded":
        fs = functions(m)
        for f in sorted(m["call_stacks_folded"], key=lambda f: name_of(m, f["function"], fs)):
            print("%s calls=%d" % (name_of(m, f["function"], fs), f["calls"]))
    elif cmd == "func":
        hits = [f for f in m["functions"] if f["name"] == argv[3]]
        if len(hits) != 1:
            die("%d functions named %r" % (len(hits), argv[3]))
        print(hits[0][argv[4]])
    else:
        die("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
