#!/usr/bin/env python3
"""Check one tprof file set against docs/FILES.md, with Python's own json and
csv modules (so a runtime mistake cannot be read back "right").

  check_file_set.py DIR

DIR must hold exactly one set. Checks: all seven files exist, are valid UTF-8
and parse (JSON without NaN/Infinity); every documented key, column and shape
is there (extra keys are reported too: the documentation must follow); the
figures agree with each other (net allocations, memory_used_mb, row counts,
sort orders, slow operations above the threshold). Prints "file set ok" and
one line per file, or the problems and exit status 1.
"""
import csv
import glob
import io
import json
import os
import sys

problems = []


def bad(msg):
    problems.append(msg)


def refuse_constant(name):
    raise ValueError("JSON has " + name)


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad("%s: not UTF-8 (%s)" % (os.path.basename(path), e))
        return data.decode("utf-8", "replace")


def load_json(path):
    return json.loads(read_text(path), parse_constant=refuse_constant)


def load_csv(path, header):
    text = read_text(path)
    if "\r" in text.replace('"\r', ""):
        bad("%s: \\r line ends" % os.path.basename(path))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or rows[0] != header:
        bad("%s: header %r, expected %r" % (os.path.basename(path), rows[0] if rows else None, header))
        return []
    for r in rows[1:]:
        if len(r) != len(header):
            bad("%s: row %r has %d fields, expected %d" % (os.path.basename(path), r, len(r), len(header)))
    return [dict(zip(header, r)) for r in rows[1:]]


def keys(obj, want, where):
    if not isinstance(obj, dict):
        bad("%s: not an object" % where)
        return
    missing = [k for k in want if k not in obj]
    extra = [k for k in obj if k not in want]
    if missing:
        bad("%s: missing %s" % (where, ", ".join(missing)))
    if extra:
        bad("%s: undocumented %s" % (where, ", ".join(extra)))


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def types(obj, spec, where):
    for k, t in spec.items():
        if k in obj and not t(obj[k]):
            bad("%s.%s: wrong type (%r)" % (where, k, obj[k]))


def check_metrics(m):
    top = ["execution_time_ms", "memory_used_mb", "operation_timings", "slow_operations", "profile_data",
           "memory_allocation_data", "schema_version", "generator", "program_id", "pid", "timestamp",
           "export_reason", "config", "clock", "runtime_memory_mb", "threads_seen", "functions", "call_graph",
           "call_stacks_limits", "call_stacks_folded", "call_stacks", "timeline", "operations", "heap",
           "resource_usage", "timestamp_iso8601", "allocation_sites"]
    keys(m, top, "metrics")
    types(m, {"execution_time_ms": is_num, "memory_used_mb": is_num, "schema_version": is_int, "pid": is_int,
              "threads_seen": is_int, "runtime_memory_mb": is_num}, "metrics")
    if m.get("schema_version") != 2:
        bad("schema_version is %r" % m.get("schema_version"))
    if m.get("export_reason") not in ("exit", "api", "signal", "exec", "snapshot"):
        bad("export_reason %r" % m.get("export_reason"))
    ts = m.get("timestamp", "")
    if len(ts) != 15 or ts[8] != "_" or not (ts[:8] + ts[9:]).isdigit():
        bad("timestamp %r is not YYYYMMDD_HHMMSS" % ts)
    cfg = m.get("config", {})
    keys(cfg, ["cpu_profiling_enabled", "memory_tracking_enabled", "resource_monitoring_enabled",
               "export_profiling_data", "max_traced_allocations", "slow_operation_threshold_ms", "output_dir",
               "program_id", "verbosity", "handle_signals", "cpu_functions_per_thread", "timeline_max_events",
               "timeline_functions", "flush_interval_ms", "cpu_timing", "operation_timing_enabled"], "config")
    clock = m.get("clock", {})
    keys(clock, ["source", "ticks_per_ns"], "clock")
    if clock.get("source") not in ("tsc", "clock_gettime") or not (is_num(clock.get("ticks_per_ns")) and clock["ticks_per_ns"] > 0):
        bad("clock %r" % clock)

    pd = m.get("profile_data", {})
    keys(pd, ["enabled", "total_calls", "total_time", "top_functions"], "profile_data")
    tf = pd.get("top_functions", [])
    if len(tf) > 20:
        bad("top_functions has %d rows" % len(tf))
    for row in tf:
        if not (isinstance(row, list) and len(row) == 4 and isinstance(row[0], str) and is_int(row[1])
                and is_num(row[2]) and is_num(row[3])):
            bad("top_functions row %r" % row)
    if [r[3] for r in tf] != sorted((r[3] for r in tf), reverse=True):
        bad("top_functions not by cumulative time")
    # Seconds are whole nanoseconds: the double nearest n / 1e9, written in
    # the fewest digits (7.3538e-05, never ms / 1e3's 7.353799999999999e-05).
    for v in [pd.get("total_time", 0)] + [x for r in tf if len(r) == 4 for x in r[2:]]:
        if is_num(v) and v != round(v * 1e9) / 1e9:
            bad("seconds value %r is not a whole number of ns" % v)

    funcs = m.get("functions", [])
    for f in funcs:
        keys(f, ["id", "name", "kind", "file", "line", "calls", "primitive_calls", "self_ms", "inclusive_ms",
                 "is_operation", "timed"] + (["operation"] if "operation" in f else []), "functions[]")
        if f.get("kind") not in ("function", "operation", "region") or ("operation" in f) != (f["kind"] != "function"):
            bad("function %r: kind and operation disagree" % f)
    ids = {f["id"]: f for f in funcs}
    if len(ids) != len(funcs) or 0 in ids:
        bad("function ids not unique and non-zero")
        if f.get("primitive_calls", 0) > f.get("calls", 0) or f.get("self_ms", 0) < 0:
            bad("function %r: impossible figures" % f)
        if f.get("timed") is False and (f.get("self_ms") or f.get("inclusive_ms")):
            bad("function %r: not timed, but has times" % f)
    if sum(f["calls"] for f in funcs) != pd.get("total_calls"):
        bad("total_calls %r != sum of functions' calls" % pd.get("total_calls"))
    total_self_ns = sum(round(f["self_ms"] * 1e6) for f in funcs)
    if is_num(pd.get("total_time")) and round(pd["total_time"] * 1e9) != total_self_ns:
        bad("total_time %r != sum of self times %r ns" % (pd.get("total_time"), total_self_ns))

    for e in m.get("call_graph", []):
        keys(e, ["caller", "callee", "calls", "self_ms", "inclusive_ms"], "call_graph[]")
    by_callee = {}
    for e in m.get("call_graph", []):
        if e["callee"] not in ids or (e["caller"] and e["caller"] not in ids):
            bad("call_graph edge %r names an unknown id" % e)
        by_callee[e["callee"]] = by_callee.get(e["callee"], 0) + e["calls"]
    for f in funcs:
        if by_callee.get(f["id"], 0) != f["calls"]:
            bad("calls of %s (%d) != sum of its incoming edges (%d)" % (f["name"], f["calls"], by_callee.get(f["id"], 0)))

    # call stacks: a tree per thread whose self times are the functions'
    # self times; every timed call is on its function's rows or in
    # call_stacks_folded (untimed calls are on neither: at most calls)
    stacks = m.get("call_stacks", [])
    lim = m.get("call_stacks_limits", {})
    keys(lim, ["max_rows", "max_depth", "nodes", "rows"], "call_stacks_limits")
    if lim.get("rows") != len(stacks) or len(stacks) > lim.get("max_rows", 0) + m.get("threads_seen", 0):
        bad("call_stacks has %d rows, limits %r" % (len(stacks), lim))
    for i, st in enumerate(stacks):
        keys(st, ["id", "parent", "function", "thread", "calls", "self_ns", "inclusive_ns", "alloc_count",
                  "alloc_bytes"], "call_stacks[]")
        if st.get("id") != i + 1 or not 0 <= st.get("parent", -1) <= i or st.get("function") not in ids or \
                (st["parent"] and stacks[st["parent"] - 1]["thread"] != st["thread"]):
            bad("call_stacks row %r" % st)
    stack_self_s = sum(st["self_ns"] for st in stacks) / 1e9
    # each row's self_ns is rounded to a whole nanosecond: up to 1 ns a row
    if abs(stack_self_s - pd.get("total_time", 0)) > 1e-6 + 1e-6 * stack_self_s + 1e-9 * len(stacks):
        bad("call_stacks self times %r != total_time %r" % (stack_self_s, pd.get("total_time")))
    folded = {x["function"]: x["calls"] for x in m.get("call_stacks_folded", [])}
    on_rows = {}
    for st in stacks:
        on_rows[st["function"]] = on_rows.get(st["function"], 0) + st["calls"]
    for f in funcs:
        if on_rows.get(f["id"], 0) + folded.get(f["id"], 0) > f["calls"]:
            bad("calls of %s on call_stacks %d + folded %d != %d" % (f["name"], on_rows.get(f["id"], 0),
                                                                     folded.get(f["id"], 0), f["calls"]))
    tl = m.get("timeline", {})
    keys(tl, ["max_events", "dropped_events", "columns", "events"], "timeline")
    if tl.get("columns") != ["function", "thread", "start_ns", "dur_ns"]:
        bad("timeline columns %r" % tl.get("columns"))
    events = tl.get("events", [])
    if len(events) > tl.get("max_events", 0):
        bad("timeline has %d events, more than max_events" % len(events))
    for ev in events:
        if not (isinstance(ev, list) and len(ev) == 4 and all(is_int(x) and x >= 0 for x in ev) and ev[0] in ids):
            bad("timeline event %r" % ev)
    if [ev[2] for ev in events] != sorted(ev[2] for ev in events):
        bad("timeline events not by start")

    ops = m.get("operations", [])
    for o in ops:
        keys(o, ["name", "function", "function_id", "calls", "total_ms", "mean_ms", "max_ms", "type", "slow"], "operations[]")
    for a in m.get("allocation_sites", []):
        keys(a, ["location", "function", "allocations", "deallocations", "allocated_bytes", "allocated_mb",
                 "live_blocks", "live_bytes"], "allocation_sites[]")
    timings = m.get("operation_timings", {})
    if set(timings) != {o["name"] for o in ops}:
        bad("operation_timings names %r != operations names" % sorted(timings))
    threshold = cfg.get("slow_operation_threshold_ms", 10)
    slow = m.get("slow_operations", [])
    want_slow = sorted(([o["name"], o["total_ms"]] for o in ops if o["total_ms"] > threshold), key=lambda r: -r[1])
    if [r[0] for r in slow] != [r[0] for r in want_slow]:
        bad("slow_operations %r, expected %r" % (slow, want_slow))

    mad = m.get("memory_allocation_data", {})
    keys(mad, ["enabled", "peak_memory_mb", "current_memory_mb", "allocation_count", "deallocation_count",
               "net_allocations", "top_allocators"], "memory_allocation_data")
    if mad.get("net_allocations") != mad.get("allocation_count", 0) - mad.get("deallocation_count", 0):
        bad("net_allocations is not allocation_count - deallocation_count")
    if mad.get("enabled") and m.get("memory_used_mb") != mad.get("current_memory_mb"):
        bad("memory_used_mb != current_memory_mb")
    for row in mad.get("top_allocators", []):
        if not (isinstance(row, list) and len(row) == 2 and isinstance(row[0], str) and is_num(row[1])):
            bad("top_allocators row %r" % row)

    heap = m.get("heap", {})
    keys(heap, ["allocated_bytes", "freed_bytes", "current_bytes", "peak_bytes", "allocation_count",
                "deallocation_count", "reallocation_count", "failed_allocations", "untracked_frees", "live_blocks",
                "traced_events", "dropped_traces", "taken_mid_update"], "heap")
    for k, v in heap.items():
        if k == "taken_mid_update":
            if not isinstance(v, bool):
                bad("heap.taken_mid_update = %r" % v)
        elif not is_int(v) or v < 0:
            bad("heap.%s = %r" % (k, v))
    if heap.get("allocated_bytes", 0) - heap.get("freed_bytes", 0) != heap.get("current_bytes"):
        bad("heap: allocated - freed != current")
    if heap.get("allocation_count", 0) - heap.get("deallocation_count", 0) != heap.get("live_blocks"):
        bad("heap: allocations - deallocations != live_blocks")
    if heap.get("peak_bytes", 0) < heap.get("current_bytes", 0):
        bad("heap: peak below current")
    keys(m.get("resource_usage", {}), ["enabled", "user_cpu_ms", "system_cpu_ms", "max_rss_mb", "minor_page_faults",
                                       "major_page_faults", "voluntary_context_switches",
                                       "involuntary_context_switches"], "resource_usage")


def check_memory_summary(s, m):
    keys(s, ["schema_version", "program_id", "pid", "enabled", "allocation_count", "deallocation_count",
             "reallocation_count", "net_allocations", "allocated_bytes", "freed_bytes", "current_bytes", "peak_bytes",
             "peak_memory_mb", "current_memory_mb", "live_blocks", "failed_allocations", "untracked_frees", "sites",
             "traced_events", "dropped_traces", "max_traced_allocations", "leaks"], "memory_summary")
    for k, v in m.get("heap", {}).items():
        if k in s and s[k] != v:
            bad("memory_summary.%s %r != metrics heap.%s %r" % (k, s[k], k, v))
    leaks = s.get("leaks", [])
    for l in leaks:
        keys(l, ["location", "function", "live_blocks", "live_bytes"], "leaks[]")
    if [l["live_bytes"] for l in leaks] != sorted((l["live_bytes"] for l in leaks), reverse=True):
        bad("leaks not by live bytes")
    if sum(l["live_bytes"] for l in leaks) != s.get("current_bytes"):
        bad("leaks' live bytes do not add up to current_bytes")


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    sets = glob.glob(os.path.join(sys.argv[1], "*_metrics.json"))
    if len(sets) != 1:
        print("check_file_set: %d sets in %s, expected 1" % (len(sets), sys.argv[1]), file=sys.stderr)
        return 1
    prefix = sets[0][: -len("metrics.json")]
    try:
        m = load_json(prefix + "metrics.json")
        check_metrics(m)
        check_memory_summary(load_json(prefix + "memory_summary.json"), m)
        t = load_csv(prefix + "timings.csv", ["operation", "function", "calls", "total_ms", "mean_ms", "max_ms", "is_slow"])
        if [r["operation"] for r in t] != [o["name"] for o in sorted(m["operations"], key=lambda o: -o["total_ms"])]:
            bad("timings.csv rows are not the operations, slowest first")
        cpu_header = ["function", "file", "line", "calls", "primitive_calls", "self_ms", "inclusive_ms",
                      "self_per_call_us", "inclusive_per_call_us", "is_operation", "timed"]
        if m["config"]["cpu_functions_per_thread"]:
            cpu_header = ["thread"] + cpu_header
        c = load_csv(prefix + "cpu_functions.csv", cpu_header)
        if not m["config"]["cpu_functions_per_thread"]:
            if [r["function"] for r in c] != [f["name"] for f in m["functions"]]:
                bad("cpu_functions.csv rows differ from metrics functions")
            incl = [float(r["inclusive_ms"]) for r in c]
            if incl != sorted(incl, reverse=True):
                bad("cpu_functions.csv not by inclusive_ms")
        a = load_csv(prefix + "memory_allocators.csv", ["location", "function", "file", "line", "allocations",
                                                        "deallocations", "allocated_bytes", "live_blocks",
                                                        "live_bytes", "size_mb"])
        if sum(int(r["allocations"]) for r in a) != m["heap"]["allocation_count"]:
            bad("memory_allocators.csv allocations do not add up")
        tr = load_csv(prefix + "memory_traces.csv", ["seq", "time_ms", "event", "size_bytes", "address", "location", "thread"])
        if len(tr) != m["heap"]["traced_events"]:
            bad("memory_traces.csv has %d rows, traced_events is %d" % (len(tr), m["heap"]["traced_events"]))
        events = {"malloc", "calloc", "realloc", "free", "aligned_alloc", "posix_memalign", "memalign", "valloc",
                  "reallocarray", "strdup", "strndup"}
        for r in tr:
            if r["event"] not in events or not r["address"].startswith("0x") or int(r["thread"]) < 1:
                bad("memory_traces.csv row %r" % r)
        report = read_text(prefix + "performance_report.md")
        if not report.startswith("# "):
            bad("performance_report.md has no title")
    except (OSError, ValueError, KeyError, TypeError) as e:
        bad("%s: %s" % (type(e).__name__, e))
    if problems:
        for p in problems:
            print("check_file_set: " + p, file=sys.stderr)
        return 1
    print("file set ok: %d functions, %d operations, %d sites, %d traces" % (
        len(m["functions"]), len(m["operations"]), len(a), len(tr)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
