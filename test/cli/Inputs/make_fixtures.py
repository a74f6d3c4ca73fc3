#!/usr/bin/env python3
"""Writes the fixed metrics files of test/cli (run from this directory; the
outputs are committed). Figures are chosen so the expected results can be
worked out by hand; see the comments and the CHECK lines of the tests."""
import copy
import json
import os


SCHEMA = 2  # include/tprof/schema.h


def metrics(pid, program_id, exec_ms, used_mb, peak_mb, allocs, deallocs, ops, slow, funcs, edges,
            stacks=None, timeline=None):
    """funcs: (name, file, line, calls, self_ms, inclusive_ms), ids 1, 2, ... in that order; edges
    and stacks name functions, written as ids; stacks: (path, calls, self_ms, inclusive_ms,
    alloc_count, alloc_bytes[, thread]), a path after its parent path; timeline: (function name,
    thread, start_us, dur_us)."""
    ids = {f[0]: i + 1 for i, f in enumerate(funcs)}
    op_of = {o[1]: o[0] for o in ops}
    d = {
        "schema_version": SCHEMA, "generator": "tprof 0.1.0", "program_id": program_id, "pid": pid,
        "timestamp": "20260101_000000", "export_reason": "exit",
        "execution_time_ms": exec_ms, "memory_used_mb": used_mb,
        "operation_timings": {o[0]: o[3] for o in ops},
        "slow_operations": slow,
        "profile_data": {"enabled": True, "total_calls": sum(f[3] for f in funcs),
                         "total_time": sum(f[4] for f in funcs) / 1000.0,
                         "top_functions": [[f[0], f[3], f[4] / 1000.0, f[5] / 1000.0] for f in funcs]},
        "memory_allocation_data": {"enabled": True, "peak_memory_mb": peak_mb, "current_memory_mb": used_mb,
                                   "allocation_count": allocs, "deallocation_count": deallocs,
                                   "net_allocations": allocs - deallocs,
                                   "top_allocators": [["grid.c:13", 0.00390625], ["grid.c:9", 0.0009765625]]},
        "functions": [dict({"id": ids[f[0]], "name": f[0]},
                           **({"operation": op_of[f[0]]} if f[0] in op_of else {}),
                           kind="operation" if f[0] in op_of else "function", file=f[1], line=f[2], calls=f[3],
                           primitive_calls=f[3], self_ms=f[4], inclusive_ms=f[5], is_operation=f[0] in op_of)
                      for f in funcs],
        "call_graph": [{"caller": ids[e[0]] if e[0] else 0, "callee": ids[e[1]], "calls": e[2], "self_ms": e[3],
                        "inclusive_ms": e[4]} for e in edges],
        "operations": [{"name": o[0], "function": o[1], "function_id": ids[o[1]], "calls": o[2], "total_ms": o[3],
                        "mean_ms": o[3] / o[2], "max_ms": o[3] / o[2]} for o in ops],
        "heap": {"allocated_bytes": 5120, "freed_bytes": 4096, "current_bytes": 1024, "peak_bytes": 4096,
                 "allocation_count": allocs, "deallocation_count": deallocs},
    }
    if stacks is not None:
        rows, row_of = [], {}
        for s in stacks:
            thread = s[6] if len(s) > 6 else 1
            parent = row_of[(thread, tuple(s[0][:-1]))] if len(s[0]) > 1 else 0
            rows.append({"id": len(rows) + 1, "parent": parent, "function": ids[s[0][-1]], "thread": thread,
                         "calls": s[1], "self_ns": round(s[2] * 1e6), "inclusive_ns": round(s[3] * 1e6),
                         "alloc_count": s[4], "alloc_bytes": s[5]})
            row_of[(thread, tuple(s[0]))] = len(rows)
        d["call_stacks_limits"] = {"max_rows": 50000, "max_depth": 256, "nodes": len(rows), "rows": len(rows)}
        d["call_stacks_folded"] = []
        d["call_stacks"] = rows
    if timeline is not None:
        d["timeline"] = {"max_events": 10000, "dropped_events": 0,
                         "columns": ["function", "thread", "start_ns", "dur_ns"],
                         "events": [[ids[t[0]], t[1], round(t[2] * 1e3), round(t[3] * 1e3)] for t in timeline]}
    return d


# prog_a: total self time 10 ms; stacks, timeline and call graph agree.
A_FUNCS = [("main", "driver.c", 5, 1, 1.0, 10.0), ("run", "prog_a.c", 40, 2, 2.0, 9.0),
           ("op_rotate_1", "prog_a.c", 10, 2, 0.5, 4.0), ("grid_rotate", "grid.c", 100, 2, 3.5, 3.5),
           ("op_flip_2", "prog_a.c", 20, 2, 0.25, 3.0), ("grid_flip", "grid.c", 200, 2, 2.75, 2.75)]
A_EDGES = [(None, "main", 1, 1.0, 10.0), ("main", "run", 2, 2.0, 9.0), ("run", "op_rotate_1", 2, 0.5, 4.0),
           ("op_rotate_1", "grid_rotate", 2, 3.5, 3.5), ("run", "op_flip_2", 2, 0.25, 3.0),
           ("op_flip_2", "grid_flip", 2, 2.75, 2.75)]
A_STACKS = [(["main"], 1, 1.0, 10.0, 0, 0), (["main", "run"], 2, 2.0, 9.0, 0, 0),
            (["main", "run", "op_rotate_1"], 2, 0.5, 4.0, 0, 0),
            (["main", "run", "op_rotate_1", "grid_rotate"], 2, 3.5, 3.5, 4, 4096),
            (["main", "run", "op_flip_2"], 2, 0.25, 3.0, 0, 0),
            (["main", "run", "op_flip_2", "grid_flip"], 2, 2.75, 2.75, 2, 1024)]
A_TIMELINE = [("op_rotate_1", 1, 100.0, 2000.0), ("op_flip_2", 1, 2200.0, 1500.0),
              ("op_rotate_1", 1, 4000.0, 2000.0), ("op_flip_2", 1, 6100.0, 1500.0)]
prog_a = metrics(101, "prog_a", 10.0, 0.5, 2.0, 10, 10,
                 [("rotate_1", "op_rotate_1", 2, 4.0), ("flip_2", "op_flip_2", 2, 3.0)], [],
                 A_FUNCS, A_EDGES, A_STACKS, A_TIMELINE)

# prog_b: a name that needs quoting in CSV and escaping in Markdown; 3x more
# allocations than deallocations; one slow operation.
prog_b = metrics(102, 'prog_b,"x"|y', 20.0, 1.0, 1.0, 30, 10,
                 [("rotate_1", "op_rotate_1", 1, 12.0), ("color_replace_2", "op_color_replace_2", 1, 5.0)],
                 [["rotate_1", 12.0]],
                 [("main", "driver.c", 5, 1, 3.0, 20.0), ("op_rotate_1", "b.c", 10, 1, 12.0, 12.0),
                  ("op_color_replace_2", "b.c", 20, 1, 5.0, 5.0)],
                 [(None, "main", 1, 3.0, 20.0), ("main", "op_rotate_1", 1, 12.0, 12.0),
                  ("main", "op_color_replace_2", 1, 5.0, 5.0)],
                 [(["main"], 1, 3.0, 20.0, 0, 0), (["main", "op_rotate_1"], 1, 12.0, 12.0, 30, 30720),
                  (["main", "op_color_replace_2"], 1, 5.0, 5.0, 0, 0)])

# prog_c: no call_stacks, no timeline (an older file): stacks are rebuilt.
prog_c = metrics(103, "prog_c", 30.0, 2.0, 3.0, 5, 4,
                 [("rotate_3", "op_rotate_3", 1, 6.0), ("color_replace_1", "op_color_replace_1", 1, 2.0)], [],
                 [("main", "driver.c", 5, 1, 22.0, 30.0), ("op_rotate_3", "c.c", 10, 1, 6.0, 6.0),
                  ("op_color_replace_1", "c.c", 20, 1, 2.0, 2.0)],
                 [(None, "main", 1, 22.0, 30.0), ("main", "op_rotate_3", 1, 6.0, 6.0),
                  ("main", "op_color_replace_1", 1, 2.0, 2.0)])

# prog_d: final heap 12 MB (11.5 MB more than prog_a's 0.5); a slow gravity.
prog_d = metrics(104, "prog_d", 40.0, 12.0, 12.0, 8, 8,
                 [("gravity_1", "op_gravity_1", 1, 15.0)], [["gravity_1", 15.0]],
                 [("main", "driver.c", 5, 1, 25.0, 40.0), ("op_gravity_1", "d.c", 10, 1, 15.0, 15.0)],
                 [(None, "main", 1, 25.0, 40.0), ("main", "op_gravity_1", 1, 15.0, 15.0)],
                 [(["main"], 1, 25.0, 40.0, 0, 0), (["main", "op_gravity_1"], 1, 15.0, 15.0, 8, 8192)])


def write(path, obj):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


write("batch/prog_a_20260101_000000_101_metrics.json", prog_a)
write("batch/prog_b_20260101_000000_102_metrics.json", prog_b)
write("batch/prog_c_20260101_000000_103_metrics.json", prog_c)
write("batch/prog_d_20260101_000000_104_metrics.json", prog_d)
write("single_metrics.json", prog_a)
write("no_timeline_metrics.json", prog_c)

# diff: grid_rotate twice as slow (3.5 -> 7 ms), so op_rotate_1 (+87.5%),
# run, main and the run (+35%) too; call counts unchanged.
new = copy.deepcopy(prog_a)
new["execution_time_ms"] = 13.5
for f in new["functions"]:
    f["self_ms"] = {"grid_rotate": 7.0}.get(f["name"], f["self_ms"])
    f["inclusive_ms"] = {"grid_rotate": 7.0, "op_rotate_1": 7.5, "run": 12.5, "main": 13.5}.get(f["name"], f["inclusive_ms"])
for o in new["operations"]:
    if o["name"] == "rotate_1":
        o["total_ms"], o["mean_ms"], o["max_ms"] = 7.5, 3.75, 3.75
new["operation_timings"]["rotate_1"] = 7.5
write("diff_base_metrics.json", prog_a)
write("diff_new_metrics.json", new)

# A directory with files to skip: not JSON, JSON but not tprof's, a newer
# schema; and a file whose name does not end in _metrics.json (ignored).
write("mixed/good_a_metrics.json", prog_a)
write("mixed/good_d_metrics.json", prog_d)
with open("mixed/broken_metrics.json", "w") as f:
    f.write('{"schema_version": 2,\n "generator": "tprof 0.1.0",\n "execution_time_ms": [1, \n')
write("mixed/other_metrics.json", {"hello": "world"})
future = copy.deepcopy(prog_a)
future["schema_version"] = SCHEMA + 1
write("mixed/future_metrics.json", future)
older = copy.deepcopy(prog_d)
older["schema_version"] = SCHEMA - 1
write("mixed/older_metrics.json", older)
with open("mixed/notes.txt", "w") as f:
    f.write("not a metrics file, and not named like one\n")

# Two threads, and two static functions op_step (operation "step") in a.c and
# b.c: two operations, told apart by their id everywhere. Self time 11.5 ms:
# thread 1 main 1 + step(a.c) 2.5 + step(b.c) 2; thread 2 worker 0.5 + step(a.c) 5.5.
threads = {
    "schema_version": SCHEMA, "generator": "tprof 0.1.0", "program_id": "pool", "pid": 105,
    "timestamp": "20260101_000000", "export_reason": "exit", "execution_time_ms": 12.0, "memory_used_mb": 0.0,
    "operation_timings": {"step": 10.0}, "slow_operations": [],
    "profile_data": {"enabled": True, "total_calls": 7, "total_time": 0.0115, "top_functions": []},
    "functions": [
        {"id": 1, "name": "main", "kind": "function", "file": "/src/driver.c", "line": 5, "calls": 1,
         "primitive_calls": 1, "self_ms": 1.0, "inclusive_ms": 5.5, "is_operation": False},
        {"id": 2, "name": "worker", "kind": "function", "file": "/src/pool.c", "line": 30, "calls": 1,
         "primitive_calls": 1, "self_ms": 0.5, "inclusive_ms": 6.0, "is_operation": False},
        {"id": 3, "name": "op_step", "operation": "step", "kind": "operation", "file": "/src/a.c", "line": 10,
         "calls": 3, "primitive_calls": 3, "self_ms": 8.0, "inclusive_ms": 8.0, "is_operation": True},
        {"id": 4, "name": "op_step", "operation": "step", "kind": "operation", "file": "/src/b.c", "line": 20,
         "calls": 2, "primitive_calls": 2, "self_ms": 2.0, "inclusive_ms": 2.0, "is_operation": True}],
    "operations": [
        {"name": "step", "function": "op_step", "function_id": 3, "calls": 3, "total_ms": 8.0, "mean_ms": 8.0 / 3,
         "max_ms": 5.5},
        {"name": "step", "function": "op_step", "function_id": 4, "calls": 2, "total_ms": 2.0, "mean_ms": 1.0,
         "max_ms": 1.0}],
    "call_graph": [
        {"caller": 0, "callee": 1, "calls": 1, "self_ms": 1.0, "inclusive_ms": 5.5},
        {"caller": 0, "callee": 2, "calls": 1, "self_ms": 0.5, "inclusive_ms": 6.0},
        {"caller": 1, "callee": 3, "calls": 2, "self_ms": 2.5, "inclusive_ms": 2.5},
        {"caller": 1, "callee": 4, "calls": 2, "self_ms": 2.0, "inclusive_ms": 2.0},
        {"caller": 2, "callee": 3, "calls": 1, "self_ms": 5.5, "inclusive_ms": 5.5}],
    "call_stacks_limits": {"max_rows": 50000, "max_depth": 256, "nodes": 5, "rows": 5},
    "call_stacks_folded": [],
    "call_stacks": [
        {"id": 1, "parent": 0, "function": 1, "thread": 1, "calls": 1, "self_ns": 1000000, "inclusive_ns": 5500000,
         "alloc_count": 0, "alloc_bytes": 0},
        {"id": 2, "parent": 1, "function": 3, "thread": 1, "calls": 2, "self_ns": 2500000, "inclusive_ns": 2500000,
         "alloc_count": 1, "alloc_bytes": 100},
        {"id": 3, "parent": 1, "function": 4, "thread": 1, "calls": 2, "self_ns": 2000000, "inclusive_ns": 2000000,
         "alloc_count": 0, "alloc_bytes": 0},
        {"id": 4, "parent": 0, "function": 2, "thread": 2, "calls": 1, "self_ns": 500000, "inclusive_ns": 6000000,
         "alloc_count": 0, "alloc_bytes": 0},
        {"id": 5, "parent": 4, "function": 3, "thread": 2, "calls": 1, "self_ns": 5500000, "inclusive_ns": 5500000,
         "alloc_count": 2, "alloc_bytes": 300}],
    "timeline": {"max_events": 10000, "dropped_events": 0, "columns": ["function", "thread", "start_ns", "dur_ns"],
                 "events": [[3, 1, 100000, 1250000], [3, 2, 200000, 5500000], [4, 1, 1400000, 1000000],
                            [3, 1, 2500000, 1250000], [4, 1, 3800000, 1000000]]},
}
write("threads_metrics.json", threads)
