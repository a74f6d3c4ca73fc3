#!/usr/bin/env python3
"""Writes the fixed metrics files of test/cli (run from this directory; the
outputs are committed). Figures are chosen so the expected results can be
worked out by hand; see the comments and the CHECK lines of the tests."""
import copy
import json
import os


def metrics(pid, program_id, exec_ms, used_mb, peak_mb, allocs, deallocs, ops, slow, funcs, edges,
            stacks=None, timeline=None):
    d = {
        "schema_version": 1, "generator": "tprof 0.1.0", "program_id": program_id, "pid": pid,
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
        "functions": [{"name": f[0], "file": f[1], "line": f[2], "calls": f[3], "primitive_calls": f[3],
                       "self_ms": f[4], "inclusive_ms": f[5], "is_operation": f[0].startswith("op_")}
                      for f in funcs],
        "call_graph": [{"caller": e[0], "callee": e[1], "calls": e[2], "self_ms": e[3], "inclusive_ms": e[4]}
                       for e in edges],
        "operations": [{"name": o[0], "function": o[1], "calls": o[2], "total_ms": o[3],
                        "mean_ms": o[3] / o[2], "max_ms": o[3] / o[2]} for o in ops],
        "heap": {"allocated_bytes": 5120, "freed_bytes": 4096, "current_bytes": 1024, "peak_bytes": 4096,
                 "allocation_count": allocs, "deallocation_count": deallocs},
    }
    if stacks is not None:
        d["call_stacks"] = [{"stack": s[0], "calls": s[1], "self_ms": s[2], "inclusive_ms": s[3],
                             "alloc_count": s[4], "alloc_bytes": s[5]} for s in stacks]
        d["call_stacks_dropped"] = 0
    if timeline is not None:
        d["timeline"] = {"max_events": 10000, "dropped_events": 0,
                         "events": [{"name": t[0], "kind": t[1], "thread": t[2], "start_us": t[3], "dur_us": t[4]}
                                    for t in timeline]}
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
A_TIMELINE = [("rotate_1", "operation", 1, 100.0, 2000.0), ("flip_2", "operation", 1, 2200.0, 1500.0),
              ("rotate_1", "operation", 1, 4000.0, 2000.0), ("flip_2", "operation", 1, 6100.0, 1500.0)]
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
    f.write('{"schema_version": 1,\n "generator": "tprof 0.1.0",\n "execution_time_ms": [1, \n')
write("mixed/other_metrics.json", {"hello": "world"})
future = copy.deepcopy(prog_a)
future["schema_version"] = 2
write("mixed/future_metrics.json", future)
with open("mixed/notes.txt", "w") as f:
    f.write("not a metrics file, and not named like one\n")
