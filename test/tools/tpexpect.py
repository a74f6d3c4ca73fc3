#!/usr/bin/env python3
"""Check a file set against expectations written as Python expressions.

  tpexpect.py [--set PREFIX_SUBSTRING] DIR [--from FILE [--prefix P]] EXPR...

--vars FILE (before --from) reads lines "name=number" (e.g. what the
program printed) into names the expressions can use.
--from FILE adds the expressions of FILE's lines "// EXPECT: expr" (with
--prefix P: "// P: expr"), so a test checks several builds with one list.

Each EXPR may use:
  f(name, field)            field of the functions[] entry `name` (None when absent)
  e(caller, callee, field)  field of the call_graph edge (caller None: no caller),
                            None when the edge is absent
  g("a.b.c")                value at a dotted path of metrics.json
  sets()                    number of file sets in DIR
  m                         the whole metrics.json
Prints one line per expression, PASS or FAIL with the values it read, so a
failure shows what tprof wrote; exits 1 when any failed. Reads the files
with Python's json module only (independent of tprof, as tpq.py).
"""
import glob
import json
import os
import sys


def main(argv):
    args = argv[1:]
    want = None
    if args and args[0] == "--set":
        want, args = args[1], args[2:]
    d, exprs = args[0], args[1:]
    names = {}
    if exprs and exprs[0] == "--vars":
        with open(exprs[1], encoding="utf-8") as fh:
            for line in fh:
                k, eq, v = line.strip().partition("=")
                if eq and k.isidentifier():
                    try:
                        names[k] = int(v)
                    except ValueError:
                        names[k] = float(v)
        exprs = exprs[2:]
    if exprs and exprs[0] == "--from":
        source, exprs = exprs[1], exprs[2:]
        tag = "EXPECT"
        if exprs and exprs[0] == "--prefix":
            tag, exprs = exprs[1], exprs[2:]
        with open(source, encoding="utf-8") as fh:
            marker = "// %s: " % tag
            exprs = [l.split(marker, 1)[1].strip() for l in fh if l.lstrip().startswith(marker)] + exprs
        if not exprs:
            print("tpexpect: no '// %s:' lines in %s" % (tag, source), file=sys.stderr)
            return 1
    prefixes = sorted(glob.glob(os.path.join(d, "*_metrics.json")))
    if want:
        prefixes = [p for p in prefixes if want in os.path.basename(p)]
    m = None
    if len(prefixes) == 1:
        with open(prefixes[0], encoding="utf-8") as fh:
            m = json.load(fh)
    seen = []

    def need():
        if m is None:
            raise LookupError("expected one file set in %s, found %d" % (d, len(prefixes)))

    def f(name, field):
        need()
        rows = [x for x in m["functions"] if x["name"] == name]
        v = rows[0].get(field) if len(rows) == 1 else None
        seen.append("f(%s,%s)=%r" % (name, field, v))
        return v

    def fid(name):
        """Schema 2 names functions by id in call_graph (0: no caller)."""
        if name is None:
            return 0
        ids = [x["id"] for x in m["functions"] if x["name"] == name]
        return ids[0] if len(ids) == 1 else -1

    def e(caller, callee, field):
        need()
        if "id" in (m["functions"][0] if m["functions"] else {}):
            rows = [x for x in m["call_graph"] if x["caller"] == fid(caller) and x["callee"] == fid(callee)]
        else:
            rows = [x for x in m["call_graph"] if x["caller"] == caller and x["callee"] == callee]
        v = rows[0].get(field) if rows else None
        seen.append("e(%s,%s,%s)=%r" % (caller, callee, field, v))
        return v

    def g(path):
        need()
        v = m
        for part in path.split("."):
            v = v[int(part)] if isinstance(v, list) else v.get(part) if isinstance(v, dict) else None
        seen.append("g(%s)=%r" % (path, v))
        return v

    def sets():
        n = len(glob.glob(os.path.join(d, "*_metrics.json")))
        seen.append("sets()=%d" % n)
        return n

    failed = 0
    for expr in exprs:
        del seen[:]
        try:
            ok = bool(eval(expr, dict(names, f=f, e=e, g=g, sets=sets, m=m)))
        except Exception as exc:  # a missing field or set is a failure, shown as such
            ok = False
            seen.append("error: %s" % exc)
        failed += not ok
        print("%s %s   [%s]" % ("PASS" if ok else "FAIL", expr, ", ".join(seen)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
