#!/usr/bin/env python3
"""Checks the file set of test/e2e/Inputs/deep_walks.c (issue 13's program)
with calls_reader.py, independently of tprof's own code:

  check_deep_walks.py DIR WALKS DEPTH LEAF_CALLS MAX_BYTES

- every function's incoming edges add up to its calls (whatever the call
  stacks' cap folded);
- the counts the program implies: step WALKS x (DEPTH + 1), left + right
  WALKS x DEPTH, leaf LEAF_CALLS, all from flat_loop;
- flat_loop and its time are there: in functions[] and on the edge
  main -> flat_loop, and on the call stacks as main;flat_loop or, when the
  runtime's calling-context tree was full, accounted in call_stacks_folded;
- call_stacks within its stated cap, and what the cap folded accounted for;
- metrics.json under MAX_BYTES.
Prints one line of figures; exit status 1 naming the first failed check."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import calls_reader as cr  # noqa: E402


def main():
    d, walks, depth, leaf_calls, max_bytes = sys.argv[1], *map(int, sys.argv[2:6])
    path = [p for p in os.listdir(d) if p.endswith("_metrics.json")]
    if len(path) != 1:
        cr.die("%d metrics files in %s" % (len(path), d))
    size = os.path.getsize(os.path.join(d, path[0]))
    m = cr.load(d)
    fs = {f["name"]: f for f in m["functions"]}
    fails = []

    def check(ok, what):
        if not ok:
            fails.append(what)

    inc = cr.incoming(m)
    for f in m["functions"]:
        check(inc.get(f["id"], 0) == f["calls"], "%s: %d calls, incoming edges %d" % (f["name"], f["calls"],
                                                                                    inc.get(f["id"], 0)))
    for name in ("main", "deep_walks", "step", "left", "right", "flat_loop", "leaf"):
        check(name in fs, "%s missing from functions[]" % name)
    if fails:
        cr.die("; ".join(fails))
    check(fs["step"]["calls"] == walks * (depth + 1), "step calls %d" % fs["step"]["calls"])
    check(fs["left"]["calls"] + fs["right"]["calls"] == walks * depth, "left + right calls")
    check(fs["leaf"]["calls"] == leaf_calls, "leaf calls %d" % fs["leaf"]["calls"])
    check(fs["flat_loop"]["calls"] == 1 and fs["flat_loop"]["inclusive_ms"] > 0, "flat_loop's time")
    edges = {(c, e): n for c, e, n, _, _ in cr.edges(m)}
    check(edges.get(("flat_loop", "leaf")) == leaf_calls, "flat_loop -> leaf: %r" % edges.get(("flat_loop", "leaf")))
    check(edges.get(("deep_walks", "step")) == walks, "deep_walks -> step: %r" % edges.get(("deep_walks", "step")))
    check(edges.get(("left", "step"), 0) + edges.get(("right", "step"), 0) == walks * depth, "left/right -> step")

    rows = cr.rows(m)
    flat = [r for r in rows if r["path"][-2:] == ("main", "flat_loop")]
    flat_folded = [x for x in m["call_stacks_folded"] if x["function"] == fs["flat_loop"]["id"]]
    check((len(flat) == 1 and flat[0]["calls"] == 1 and flat[0]["inclusive_ns"] > 0) or
          (not flat and len(flat_folded) == 1 and flat_folded[0]["calls"] == 1),
          "main;flat_loop neither on the call stacks nor in call_stacks_folded: %r %r" % (flat, flat_folded))
    main_flat = [e for e in m["call_graph"] if e["callee"] == fs["flat_loop"]["id"]]
    check(len(main_flat) == 1 and main_flat[0]["caller"] == fs["main"]["id"] and main_flat[0]["inclusive_ms"] > 0,
          "the edge main -> flat_loop and its time: %r" % main_flat)
    lim = m["call_stacks_limits"]
    threads = len({r["thread"] for r in rows})
    check(len(rows) == lim["rows"] <= lim["max_rows"] + threads, "call_stacks rows %d, limits %r" % (len(rows), lim))
    check(max(len(r["path"]) for r in rows) <= lim["max_depth"], "a row deeper than max_depth")
    folded = {x["function"]: x["calls"] for x in m["call_stacks_folded"]}
    on_rows = {}
    for r in rows:
        on_rows[r["function"]] = on_rows.get(r["function"], 0) + r["calls"]
    for f in m["functions"]:
        check(on_rows.get(f["id"], 0) + folded.get(f["id"], 0) <= f["calls"], "%s: rows + folded above calls" % f["name"])
    check(size < max_bytes, "metrics.json is %d bytes, the limit %d" % (size, max_bytes))
    if fails:
        cr.die("; ".join(fails))
    print("deep_walks ok: %d walks, every function's incoming calls add up, flat_loop %s, %d of %d paths as rows, "
          "metrics.json under %d bytes" % (walks, "on the stacks" if flat else "folded", len(rows), lim["nodes"],
                                           max_bytes))


if __name__ == "__main__":
    main()
