#!/usr/bin/env python3
"""Writes N synthetic metrics files (schema_version 2, with call_stacks and a
small timeline) into DIR, for scale runs of `tprof report`:

  gen_metrics.py N DIR [SEED]

Programs have 2-6 operations of the grid-DSL types, numbered as the
transpiler numbers them; figures are pseudo-random but fixed by SEED."""
import json
import os
import random
import sys

TYPES = ["rotate", "flip", "transpose", "color_replace", "flood_fill", "crop", "tile", "scale", "gravity",
         "overlay", "extract_objects", "shift", "invert"]


def program(i, rnd):
    ops = []
    for k in range(1, rnd.randint(2, 6) + 1):
        t = rnd.choice(TYPES)
        ops.append(("%s_%d" % (t, k), "op_%s_%d" % (t, k), "grid_" + t, rnd.lognormvariate(-1, 1.2)))
    stacks, funcs, edges, events = [[["main"], 1, 0.05, 0, 0, 0]], [], [], []
    total = 0.05
    start = 10.0
    for name, fn, lib, ms in ops:
        own = ms * 0.1
        stacks.append([["main", "run_program", fn], 12, own, ms, 0, 0])
        stacks.append([["main", "run_program", fn, lib], 12, ms - own, ms - own, 24, 24 * rnd.randint(64, 4096)])
        funcs.append((fn, 12, own, ms))
        funcs.append((lib, 12, ms - own, ms - own))
        edges.append(("run_program", fn, 12, own, ms))
        edges.append((fn, lib, 12, ms - own, ms - own))
        total += ms
        for r in range(2):
            events.append((fn, start, ms * 500))
            start += ms * 500 + 1
    run_ms = sum(o[3] for o in ops)
    stacks.append([["main", "run_program"], 12, 0.01, run_ms + 0.01, 0, 0])
    exec_ms = total + 0.02
    peak = rnd.uniform(0.01, 5.0)
    used = peak * rnd.choice([0, 0, 0, 0.1, 0.6, 1.0])
    allocs = rnd.randint(50, 5000)
    deallocs = allocs if rnd.random() < 0.9 else allocs // 2
    slow = sorted([[o[0], o[3]] for o in ops if o[3] > 10], key=lambda x: -x[1])
    pid = 10000 + i
    ids = {"main": 1, "run_program": 2}
    for f in funcs:
        ids.setdefault(f[0], len(ids) + 1)
    op_of = {o[1]: o[0] for o in ops}
    rows, row_of = [], {}
    for st in sorted(stacks, key=lambda st: len(st[0])):
        path = tuple(st[0])
        rows.append({"id": len(rows) + 1, "parent": row_of.get(path[:-1], 0), "function": ids[path[-1]],
                     "thread": 1, "calls": st[1], "self_ns": round(st[2] * 1e6), "inclusive_ns": round(st[3] * 1e6),
                     "alloc_count": st[4], "alloc_bytes": st[5]})
        row_of[path] = len(rows)

    merged = {}  # a library function called by two operations of one type is one function
    for f in funcs:
        c, a, b = merged.get(f[0], (0, 0.0, 0.0))
        merged[f[0]] = (c + f[1], a + f[2], b + f[3])

    def func(name, file, line, calls, self_ms, incl_ms):
        d = {"id": ids[name], "name": name}
        if name in op_of:
            d["operation"] = op_of[name]
        d.update(kind="operation" if name in op_of else "function", file=file, line=line, calls=calls,
                 primitive_calls=calls, self_ms=self_ms, inclusive_ms=incl_ms, is_operation=name in op_of)
        return d
    return {
        "schema_version": 2, "generator": "tprof 0.1.0", "program_id": "gen%06d" % i, "pid": pid,
        "timestamp": "20260101_000000", "export_reason": "exit",
        "execution_time_ms": exec_ms, "memory_used_mb": used,
        "operation_timings": {o[0]: o[3] for o in ops}, "slow_operations": slow,
        "profile_data": {"enabled": True, "total_calls": 1 + 12 + 24 * len(ops), "total_time": total / 1000,
                         "top_functions": [[f[0], f[1], f[2] / 1000, f[3] / 1000] for f in funcs[:20]]},
        "memory_allocation_data": {"enabled": True, "peak_memory_mb": peak, "current_memory_mb": used,
                                   "allocation_count": allocs, "deallocation_count": deallocs,
                                   "net_allocations": allocs - deallocs,
                                   "top_allocators": [["grid.c:13", peak * 0.7], ["grid.c:9", peak * 0.1]]},
        "functions": [func("main", "driver.c", 15, 1, 0.05, exec_ms),
                      func("run_program", "p.c", 5, 12, 0.01, run_ms + 0.01)] +
                     [func(n, "p.c", 10, *merged[n]) for n in merged],
        "call_graph": [{"caller": 0, "callee": 1, "calls": 1, "self_ms": 0.05, "inclusive_ms": exec_ms}] +
                      [{"caller": ids[e[0]], "callee": ids[e[1]], "calls": e[2], "self_ms": e[3], "inclusive_ms": e[4]}
                       for e in edges],
        "operations": [{"name": o[0], "function": o[1], "function_id": ids[o[1]], "calls": 12, "total_ms": o[3],
                        "mean_ms": o[3] / 12, "max_ms": o[3] / 6} for o in ops],
        "heap": {"allocated_bytes": allocs * 300, "freed_bytes": deallocs * 300, "peak_bytes": int(peak * 1048576)},
        "call_stacks_limits": {"max_rows": 50000, "max_depth": 256, "nodes": len(rows), "rows": len(rows)},
        "call_stacks_folded": [],
        "call_stacks": rows,
        "timeline": {"max_events": 10000, "dropped_events": 0, "columns": ["function", "thread", "start_ns", "dur_ns"],
                     "events": [[ids[e[0]], 1, round(e[1] * 1e3), round(e[2] * 1e3)] for e in events]},
    }


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    n, d = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) == 4 else 1)
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        p = program(i, rnd)
        with open(os.path.join(d, "gen%06d_20260101_000000_%d_metrics.json" % (i, p["pid"])), "w") as f:
            json.dump(p, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
