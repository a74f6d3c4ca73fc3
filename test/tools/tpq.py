#!/usr/bin/env python3
"""Query a tprof file set with Python's own json and csv modules.

The tests use this instead of tprof code, so a file that tprof writes wrong
cannot be read back "right" by the same mistake.

  tpq.py DIR sets                 number of file sets in DIR, then their prefixes
  tpq.py DIR check                all seven files of every set exist and parse;
                                  prints one line per file with its row/key count
  tpq.py DIR get PATH             value at a dotted path in metrics.json
                                  (profile_data.total_calls, operation_timings.rotate_1)
  tpq.py DIR func NAME... FIELD   FIELD of the functions[] entry called NAME,
                                  a line for each NAME
  tpq.py DIR edge CALLER CALLEE FIELD
                                  FIELD of the call_graph edge CALLER -> CALLEE
                                  ("-" for a null caller), or "none" when absent
  tpq.py DIR csv SUFFIX KEY=VAL COLUMN
                                  COLUMN of the row of <prefix>SUFFIX whose KEY is VAL
  tpq.py DIR header SUFFIX        header row of the CSV file <prefix>SUFFIX

With several sets in DIR, --set PREFIX_SUBSTRING (before the command)
selects one. Exit status 1 with a message on any problem.
"""
import csv
import glob
import json
import os
import sys

SUFFIXES = ["metrics.json", "timings.csv", "cpu_functions.csv", "memory_summary.json",
            "memory_allocators.csv", "memory_traces.csv", "performance_report.md"]


def die(msg):
    print("tpq: " + msg, file=sys.stderr)
    sys.exit(1)


def set_prefixes(d):
    return sorted(p[: -len("metrics.json")] for p in glob.glob(os.path.join(d, "*_metrics.json")))


def pick_set(d, want):
    prefixes = set_prefixes(d)
    if want:
        prefixes = [p for p in prefixes if want in os.path.basename(p)]
    if len(prefixes) != 1:
        die("expected exactly one file set in %s%s, found %d: %s" % (
            d, " matching " + want if want else "", len(prefixes), prefixes))
    return prefixes[0]


def load_json(path):
    with open(path, "rb") as f:
        raw = f.read()
    # strict: the bytes must be UTF-8 and the JSON must be standard (no NaN)
    def no_constants(c):
        raise ValueError("non-standard JSON constant " + c)
    return json.loads(raw.decode("utf-8"), parse_constant=no_constants)


def load_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    if not rows:
        die("%s is empty (no header)" % path)
    header, body = rows[0], rows[1:]
    for i, r in enumerate(body):
        if len(r) != len(header):
            die("%s row %d has %d fields, header has %d" % (path, i + 2, len(r), len(header)))
    return header, [dict(zip(header, r)) for r in body]


def show(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True)
    return str(v)


def get_path(obj, path):
    for part in path.split("."):
        if isinstance(obj, dict):
            if part not in obj:
                die("no key %r in path %s" % (part, path))
            obj = obj[part]
        elif isinstance(obj, list):
            obj = obj[int(part)]
        else:
            die("cannot descend into %r at %s" % (obj, part))
    return obj


def main(argv):
    if len(argv) < 3:
        die(__doc__)
    d, args = argv[1], argv[2:]
    want = None
    if args[0] == "--set":
        want, args = args[1], args[2:]
    cmd, rest = args[0], args[1:]
    if cmd == "sets":
        prefixes = set_prefixes(d)
        print(len(prefixes))
        for p in prefixes:
            print(os.path.basename(p))
        return
    prefix = pick_set(d, want)
    if cmd == "check":
        for suffix in SUFFIXES:
            path = prefix + suffix
            if not os.path.isfile(path):
                die("missing " + path)
            if suffix.endswith(".json"):
                print("%s: json, %d keys" % (suffix, len(load_json(path))))
            elif suffix.endswith(".csv"):
                header, rows = load_csv(path)
                print("%s: csv, %d columns, %d rows" % (suffix, len(header), len(rows)))
            else:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                print("%s: markdown, %d lines" % (suffix, text.count("\n")))
        leftovers = [p for p in os.listdir(d) if p.startswith(".") and p.endswith(".tmp")]
        print("temporary files left: %d" % len(leftovers))
    elif cmd == "get":
        print(show(get_path(load_json(prefix + "metrics.json"), rest[0])))
    elif cmd == "func":
        if len(rest) < 2:
            die(__doc__)
        *names, field = rest
        functions = load_json(prefix + "metrics.json")["functions"]
        for name in names:
            funcs = [f for f in functions if f["name"] == name]
            if len(funcs) != 1:
                die("expected one function %r, found %d" % (name, len(funcs)))
            print(show(funcs[0][field]))
    elif cmd == "edge":
        caller, callee, field = rest
        want_caller = None if caller == "-" else caller
        edges = [e for e in load_json(prefix + "metrics.json")["call_graph"]
                 if e["caller"] == want_caller and e["callee"] == callee]
        if len(edges) > 1:
            die("%d edges %s -> %s" % (len(edges), caller, callee))
        print(show(edges[0][field]) if edges else "none")
    elif cmd == "csv":
        suffix, cond, column = rest
        key, val = cond.split("=", 1)
        header, rows = load_csv(prefix + suffix)
        match = [r for r in rows if r.get(key) == val]
        if len(match) != 1:
            die("expected one row with %s=%s in %s, found %d" % (key, val, suffix, len(match)))
        print(match[0][column])
    elif cmd == "header":
        header, _ = load_csv(prefix + rest[0])
        print(",".join(header))
    else:
        die("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
