#!/usr/bin/env python3
"""Compares what speedscope's import code made of a converted file (the JSON
that speedscope_import.js prints) with the metrics file it came from:

  check_viewer.py speedscope|trace|folded IMPORTED.json METRICS

speedscope: one profile per thread (or one, merged), each frame's self
  weight (ms) the thread's self time of that function in call_stacks, its
  file and line those of functions[];
trace: one profile per thread of the timeline, named with tprof's thread
  name, each frame's total (us) the summed durations of its events;
folded: the total weight (us) the total self time, each thread_N frame's
  total that thread's.
Prints one line per profile; exit status 1 naming the first difference."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import calls_reader as cr  # noqa: E402


def close(a, b, tol):
    return abs(a - b) <= tol * max(1.0, abs(b))


def main():
    kind, imported, metrics = sys.argv[1:4]
    got = json.load(open(imported))
    m = cr.load(metrics)
    fs = {f["id"]: f for f in m["functions"]}
    lab = cr.labels(m)
    rows = cr.rows(m, lambda fid: lab[fid])
    threads = sorted({r["thread"] for r in rows})
    bad = []
    if kind == "speedscope":
        merged = len(got["profiles"]) == 1 and len(threads) > 1
        for k, p in enumerate(got["profiles"]):
            mine = rows if merged else [r for r in rows if r["thread"] == threads[k]]
            want = {}
            for r in mine:
                want[lab[r["function"]]] = want.get(lab[r["function"]], 0) + r["self_ns"] / 1e6
            for f in p["frames"]:
                func = [x for i, x in fs.items() if lab[i] == f["name"]]
                if not func or f["file"] != func[0]["file"] or f["line"] != func[0]["line"]:
                    bad.append("frame %r: file/line %r:%r" % (f["name"], f["file"], f["line"]))
                if not close(f["self"], want.get(f["name"], 0), 1e-9):
                    bad.append("%s: %s self %r, call_stacks %r" % (p["name"], f["name"], f["self"], want.get(f["name"])))
            if not close(p["total"], sum(want.values()), 1e-9) or p["unit"] != "milliseconds":
                bad.append("%s: total %r %s" % (p["name"], p["total"], p["unit"]))
            print("speedscope profile %r: %d frames, %.6g ms" % (p["name"], len(p["frames"]), p["total"]))
    elif kind == "trace":
        events = cr.timeline(m)
        ev_threads = sorted({e["thread"] for e in events})
        if len(got["profiles"]) != len(ev_threads):
            bad.append("%d profiles for %d threads" % (len(got["profiles"]), len(ev_threads)))
        for t, p in zip(ev_threads, got["profiles"]):
            if "thread %d" % t not in p["name"]:
                bad.append("profile %r is not named after thread %d" % (p["name"], t))
            want = {}
            for e in events:
                if e["thread"] == t:
                    want[e["name"]] = want.get(e["name"], 0) + e["dur_us"]
            for f in p["frames"]:
                if not close(f["total"], want.get(f["name"], -1), 1e-6):
                    bad.append("%s: %s total %r, timeline %r" % (p["name"], f["name"], f["total"], want.get(f["name"])))
            if {f["name"] for f in p["frames"]} != set(want):
                bad.append("%s: frames %r, timeline names %r" % (p["name"], [f["name"] for f in p["frames"]], sorted(want)))
            print("trace profile %r: %d frames" % (p["name"], len(p["frames"])))
    elif kind == "folded":
        (p,) = got["profiles"]
        total_us = sum(r["self_ns"] for r in rows) / 1e3
        if not close(p["total"], round(total_us), 0):
            bad.append("total %r, self time %r us" % (p["total"], total_us))
        for t in threads:
            fr = [f for f in p["frames"] if f["name"] == "thread_%d" % t]
            want = sum(r["self_ns"] for r in rows if r["thread"] == t) / 1e3
            if len(fr) != 1 or abs(fr[0]["total"] - want) > 1 + 1e-9 * want:
                bad.append("thread_%d: %r, self time %r us" % (t, fr, want))
        print("folded profile: %d frames, %.6g us, %d threads" % (len(p["frames"]), p["total"], len(threads)))
    else:
        cr.die("unknown kind " + kind)
    if bad:
        cr.die("; ".join(bad[:5]))


if __name__ == "__main__":
    main()
