#!/usr/bin/env python3
"""Checks of tprof's outputs with Python's own json, csv and xml modules, for
the lit tests of test/cli (so a mistake in tprof cannot be read back "right"
by the same code). Each command prints facts for FileCheck and exits 1 with
a message when a file is malformed.

  batch DIR NAME                 the batch CSV and JSON agree; prints rows and summary figures
  against DIR NAME METRICS...    each CSV row and the bottleneck totals match the metrics files
  svg FILE                       well-formed, self-contained SVG; prints the number of frames/bars
  chrome TRACE METRICS           Chrome trace structure; one X event per timeline event
  speedscope FILE METRICS        speedscope structure; weights sum to the total self time
  folded FILE METRICS            folded lines sum to the total self time in microseconds
  callgrind ANNOTATED METRICS    call counts shown by callgrind_annotate --tree=caller equal call_graph's
"""
import math
import csv
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import calls_reader  # noqa: E402  (test/tools: the independent reader of the call sections)


def die(msg):
    print("cli_checks: " + msg, file=sys.stderr)
    sys.exit(1)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_constant=lambda c: die("non-standard constant %s in %s" % (c, path)))


def total_self_ms(m):
    return calls_reader.total_self_ms(m)


def op_type(name):
    return re.sub(r"(?<=.)_\d+$", "", name)


def read_batch(d, name):
    with open("%s/%s_batch.csv" % (d, name), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    header, body = rows[0], rows[1:]
    for r in body:
        if len(r) != len(header):
            die("CSV row with %d fields, header has %d" % (len(r), len(header)))
    return [dict(zip(header, r)) for r in body], load("%s/%s_batch.json" % (d, name))


def cmd_batch(d, name):
    rows, js = read_batch(d, name)
    progs = js["programs"]
    if len(progs) != len(rows):
        die("%d CSV rows, %d JSON programs" % (len(rows), len(progs)))
    for r, p in zip(rows, progs):
        # cJSON prints 15 significant digits; the CSV has every digit.
        if r["program_id"] != p["program_id"] or abs(float(r["execution_time_ms"]) - p["execution_time_ms"]) > \
                1e-13 * abs(p["execution_time_ms"]):
            die("CSV and JSON disagree on %r" % r["program_id"])
    print("rows %d" % len(rows))
    for r in rows:
        print("row %s time %s peak %s allocs %s deallocs %s slowest %s" % (
            r["program_id"], r["execution_time_ms"], r["peak_memory_mb"], r["allocation_count"],
            r["deallocation_count"], r["slowest_operation"]))
    s = js["summary"]
    print("programs %d skipped %d" % (s["programs"], s["files_skipped"]))
    for k in ("execution_time_ms", "peak_memory_mb"):
        v = s["distributions"][k]
        print("%s median %g p90 %g max %g total %g exact %s" % (k, v["median"], v["p90"], v["max"], v["total"],
                                                                v["quantiles_exact"]))
    for b in s["bottlenecks"]:
        print("bottleneck %s frequency %d avg %.4f max %g total %g" % (
            b["operation"], b["frequency"], b["avg_time_ms"], b["max_time_ms"], b["total_time_ms"]))
    for f in s["top_functions"][:3]:
        print("top function %s self %g" % (f["name"], f["self_ms"]))
    lk = s["memory_leaks"]
    print("leaks growth %g above10 %s spikes %d %s imbalanced %d %s" % (
        lk["final_memory_growth_mb"], lk["growth_above_10mb"], lk["peak_above_2x_final"]["count"],
        lk["peak_above_2x_final"]["programs"], lk["allocations_above_1_5x_deallocations"]["count"],
        lk["allocations_above_1_5x_deallocations"]["programs"]))
    so = s["slow_operations"]
    print("slow %d in %d programs; slowest %s" % (so["count"], so["programs"],
                                                  [(x["program_id"], x["operation"], x["time_ms"]) for x in so["slowest"]]))


def cmd_against(d, name, *metrics):
    rows, js = read_batch(d, name)
    by_id = {r["program_id"]: r for r in rows}
    want_types = defaultdict(float)
    want_freq = defaultdict(int)
    for path in metrics:
        m = load(path)
        r = by_id.get(m["program_id"]) or die("no row for %s" % m["program_id"])
        checks = [("execution_time_ms", float(r["execution_time_ms"]), m["execution_time_ms"]),
                  ("total_calls", int(r["total_calls"]), m["profile_data"]["total_calls"]),
                  ("operations", int(r["operations"]), len(m["operations"])),
                  ("allocation_count", int(r["allocation_count"]), m["memory_allocation_data"]["allocation_count"])]
        for what, got, want in checks:
            if abs(got - want) > 1e-9 * max(1, abs(want)):
                die("%s: %s is %r in the CSV, %r in the metrics file" % (m["program_id"], what, got, want))
        for op, ms in m["operation_timings"].items():
            want_types[op_type(op)] += ms
            want_freq[op_type(op)] += 1
    got = {b["operation"]: b for b in js["summary"]["bottlenecks"]}
    if set(got) != set(want_types):
        die("operation types %s, expected %s" % (sorted(got), sorted(want_types)))
    for t, ms in want_types.items():
        if abs(got[t]["total_time_ms"] - ms) > 1e-9 * max(1, ms) or got[t]["frequency"] != want_freq[t]:
            die("type %s: %r ms x%d, expected %r x%d" % (t, got[t]["total_time_ms"], got[t]["frequency"], ms,
                                                       want_freq[t]))
    totals = [b["total_time_ms"] for b in js["summary"]["bottlenecks"]]
    if totals != sorted(totals, reverse=True):
        die("bottlenecks not sorted by total time")
    print("%d programs match their metrics files; %d operation types match" % (len(metrics), len(want_types)))


def cmd_svg(path):
    text = open(path, encoding="utf-8").read()
    root = ET.fromstring(text)
    if root.tag != "{http://www.w3.org/2000/svg}svg":
        die("root element is %s" % root.tag)
    # Self-contained: no external reference of any kind (a flame graph's
    # zoom and search script is inline, its own).
    for bad in ("href=", "url(", "@import", "<image", "<foreignObject", "src=", "import(", "fetch(", "XMLHttpRequest"):
        if bad in text:
            die("%s contains %s" % (path, bad))
    ns = "{http://www.w3.org/2000/svg}"
    rects = root.findall(".//%sg/%srect" % (ns, ns))
    titles = [t.text for t in root.iter(ns + "title")]
    print("svg ok: %d shapes" % len(rects))
    for t in titles[:40]:
        print("title: %s" % t)


def cmd_chrome(trace, metrics):
    t, m = load(trace), load(metrics)
    if set(t) - {"traceEvents", "displayTimeUnit", "otherData"} or t.get("displayTimeUnit") != "ms":
        die("top level keys %s" % sorted(t))
    x = [e for e in t["traceEvents"] if e["ph"] == "X"]
    meta = [e for e in t["traceEvents"] if e["ph"] == "M"]
    threads = sorted({e["tid"] for e in x})
    names = {e["tid"]: e["args"]["name"] for e in meta if e["name"] == "thread_name"}
    order = {e["tid"]: e["args"]["sort_index"] for e in meta if e["name"] == "thread_sort_index"}
    if sorted(names) != threads or sorted(order) != threads:
        die("thread metadata for %s / %s, events on threads %s" % (sorted(names), sorted(order), threads))
    if sorted(threads, key=lambda t: order[t]) != threads:
        die("threads not ordered by number")
    for e in x:
        for k, typ in (("name", str), ("cat", str), ("ts", (int, float)), ("dur", (int, float)), ("pid", int), ("tid", int)):
            if not isinstance(e.get(k), typ):
                die("event without a proper %s: %r" % (k, e))
        if e["pid"] != m["pid"]:
            die("pid %r, expected %r" % (e["pid"], m["pid"]))
    want = calls_reader.timeline(m)
    if len(x) != len(want):
        die("%d X events, timeline has %d" % (len(x), len(want)))
    for e, w in zip(x, want):
        if e["name"] != w["name"] or abs(e["ts"] - w["start_us"]) > 0.001 or abs(e["dur"] - w["dur_us"]) > 0.001:
            die("event %r does not match %r" % (e, w))
    ops = defaultdict(float)
    for e in x:
        if e["cat"] == "operation":
            ops[e["name"]] += e["dur"] / 1000.0
    print("chrome ok: %d complete events, %d operations, threads %s" % (
        len(x), len(ops), ", ".join(names[t] for t in threads)))
    for k in sorted(ops):
        print("op %s %.3f ms" % (k, ops[k]))


def cmd_speedscope(path, metrics):
    """One profile per thread (or one, merged): the weights of each add up to that thread's self
    time in call_stacks, and every sample's frame names spell a path of that thread."""
    s, m = load(path), load(metrics)
    if s.get("$schema") != "https://www.speedscope.app/file-format-schema.json":
        die("no $schema")
    frames = s["shared"]["frames"]
    if not all(isinstance(f.get("name"), str) for f in frames):
        die("a frame without a name")
    lab = calls_reader.labels(m)
    rows = calls_reader.rows(m, lambda fid: lab[fid])
    threads = sorted({r["thread"] for r in rows})
    if len(s["profiles"]) not in (1, len(threads)):
        die("%d profiles for %d threads" % (len(s["profiles"]), len(threads)))
    per_thread = len(s["profiles"]) == len(threads) and len(threads) > 1 or \
        s["profiles"][0]["name"].endswith(" thread %d" % threads[0])
    total_w = 0
    for k, p in enumerate(s["profiles"]):
        if p["type"] != "sampled" or p["unit"] != "milliseconds":
            die("profile type %r unit %r" % (p["type"], p["unit"]))
        if len(p["samples"]) != len(p["weights"]):
            die("%d samples, %d weights" % (len(p["samples"]), len(p["weights"])))
        mine = [r for r in rows if not per_thread or r["thread"] == threads[k]]
        paths = {r["path"] for r in mine}
        for st in p["samples"]:
            if not st or not all(isinstance(i, int) and 0 <= i < len(frames) for i in st):
                die("bad sample %r" % st)
            if tuple(frames[i]["name"] for i in st) not in paths:
                die("sample %r is no path of profile %r" % ([frames[i]["name"] for i in st], p["name"]))
        total = sum(p["weights"])
        want = sum(r["self_ns"] for r in mine) / 1e6
        if abs(total - want) > 1e-6 * max(1, want) or abs(p["endValue"] - p["startValue"] - total) > 1e-6 * max(1, want):
            die("profile %r: weights sum to %r, endValue %r, self time %r" % (p["name"], total, p["endValue"], want))
        total_w += total
    want = total_self_ms(m)
    if abs(total_w - want) > 1e-6 * max(1, want):
        die("weights sum to %r, total self time %r" % (total_w, want))
    print("speedscope ok: %d frames, %d profiles, %d samples, weights sum to the total self time" % (
        len(frames), len(s["profiles"]), sum(len(p["samples"]) for p in s["profiles"])))


def cmd_folded(path, metrics):
    m = load(metrics)
    total = 0
    n = 0
    for line in open(path, encoding="utf-8"):
        stack, _, v = line.rstrip("\n").rpartition(" ")
        if not stack.startswith("thread_") and "--merged" not in sys.argv and m.get("call_stacks") is not None:
            die("folded line %r without its thread frame" % line)
        if not stack or not v.isdigit():
            die("bad folded line %r" % line)
        total += int(v)
        n += 1
    # half away from zero, as the converter's llround (Python's round() takes
    # a total of exactly x.5 us to the even neighbour: a 1 us mismatch)
    want = math.floor(total_self_ms(m) * 1000 + 0.5)
    if total != want:
        die("folded stacks sum to %d us, the total self time is %d us" % (total, want))
    print("folded ok: %d stacks sum to %d us, the total self time" % (n, total))


def cmd_callgrind(annotated, metrics):
    m = load(metrics)
    lab = calls_reader.labels(m)
    # callgrind_annotate lists only functions with a cost: a function counted
    # but not timed (a tiny leaf: its time is its caller's) has none.
    cost = {f["id"]: f["self_ms"] + f["inclusive_ms"] for f in m["functions"]}
    want = {(lab[e["caller"]], lab[e["callee"]]): e["calls"] for e in m["call_graph"]
            if e["caller"] and cost.get(e["callee"], 0) > 0}
    got = {}
    callers = []
    for line in open(annotated, encoding="utf-8"):
        c = re.match(r"\s*[\d,]+ \(\s*[\d.]+%\)\s+<\s+(\S*):(\S+) \(([\d,]+)x\)", line)
        if c:
            callers.append((c.group(2), int(c.group(3).replace(",", ""))))
            continue
        f = re.match(r"\s*[\d,]+ \(\s*[\d.]+%\)\s+\*\s+(\S*):(\S+)", line)
        if f:
            for caller, n in callers:
                got[(caller, f.group(2))] = n
            callers = []
        elif not line.strip():
            callers = []
    differ = 0
    for k, n in sorted(want.items()):
        if got.get(k) != n:
            print("DIFFERENT %s -> %s: call_graph %d, callgrind_annotate %s" % (k[0], k[1], n, got.get(k)))
            differ += 1
    print("%d call edges compared, %d differ" % (len(want), differ))


CMDS = {"batch": cmd_batch, "against": cmd_against, "svg": cmd_svg, "chrome": cmd_chrome,
        "speedscope": cmd_speedscope, "folded": cmd_folded, "callgrind": cmd_callgrind}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in CMDS:
        die(__doc__)
    CMDS[sys.argv[1]](*[a for a in sys.argv[2:] if a != "--merged"])
