#!/usr/bin/env python3
"""The runtime's file-level dependency graph, checked against its layers.

Reads the symbols of the runtime's objects (nm): file A depends on file B
when A.o uses a symbol (function or variable) that B.o defines. Prints
every edge, then checks that
  - every runtime/*.c has a layer below and an object (a new file must be
    placed before it links),
  - each edge goes to a lower layer or within a layer, except the calls
    listed in UPWARD (documented),
  - the graph has no cycle (within a layer either),
  - only messages.c writes to stderr (every message has its level there).
Exit status 1 when a check fails. runtime/README.md ("Layers") explains the
layers; test/unit/runtime_layers.test runs this in the suite.

usage: runtime_deps.py [--sources DIR] [--layer FILE=LAYER]... OBJECT_DIR
  OBJECT_DIR: build/llvm-14/runtime/CMakeFiles/tprof_rt_objects.dir
"""
import argparse
import os
import subprocess
import sys

# Lowest first. A file may use files of its own layer and of the layers
# before it.
LAYERS = [
    ("base", ["memory.c", "sort.c", "sigmask.c", "clock.c", "process.c", "config.c", "messages.c", "options.c", "copies.c", "resources.c",
              "proc_maps.c", "dir_entries.c"]),
    ("recording", ["timeline.c", "registry.c", "context_tables.c", "callstack.c", "regions.c",
                   "heap_shadow.c", "heap_sites.c", "heap_table.c", "heap_traces.c", "heap.c", "thread_figures.c", "calltree.c"]),
    ("output", ["text_escape.c", "number_format.c", "text_format.c", "make_dirs.c", "output.c", "writers.c", "export_calls.c",
                "snapshot.c", "write_json.c", "write_csv.c", "write_report.c", "stale_temps.c", "export.c"]),
    ("control", ["flush.c", "exit_lock.c", "signals.c", "fork.c", "configure.c", "lifecycle.c"]),
]

# Calls to a higher layer that are part of the design, with the reason.
UPWARD = {
    "tprof_ensure_init": "any entry point may be the process's first: it starts the runtime (lifecycle.c)",
}

# Back edges known and not yet removed (file -> symbol: why it stays).
KNOWN = {}


# The only files that may write to stderr.
STDERR_OK = {"messages.c"}


def symbols(path):
    out = subprocess.run(["nm", "--defined-only", path], capture_output=True, text=True, check=True).stdout
    defined = {l.split()[-1] for l in out.splitlines() if len(l.split()) == 3 and l.split()[1].isupper()}
    out = subprocess.run(["nm", "--undefined-only", path], capture_output=True, text=True, check=True).stdout
    used = {l.split()[-1] for l in out.splitlines() if l.split()}
    return defined, used


def find_cycle(graph):
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                c = visit(m)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            c = visit(n)
            if c:
                return c
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("objdir")
    ap.add_argument("--sources", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "runtime"))
    ap.add_argument("--layer", action="append", default=[], help="FILE=LAYER: move a file (to test the check)")
    args = ap.parse_args()

    rank = {}
    names = [name for name, _ in LAYERS]
    for i, (_, files) in enumerate(LAYERS):
        for f in files:
            rank[f] = i
    for item in args.layer:
        f, layer = item.split("=", 1)
        rank[f] = names.index(layer)

    errors = []
    sources = sorted(f for f in os.listdir(args.sources) if f.endswith(".c"))
    for f in sources:
        if f not in rank:
            errors.append("%s has no layer (add it to LAYERS in %s)" % (f, os.path.basename(__file__)))
    defined_by, uses = {}, {}
    for f in sources:
        obj = os.path.join(args.objdir, f + ".o")
        if not os.path.exists(obj):
            errors.append("%s: no object %s" % (f, obj))
            continue
        defined, used = symbols(obj)
        uses[f] = used
        for s in defined:
            defined_by[s] = f

    graph, via = {}, {}
    for f, used in uses.items():
        for s in used:
            g = defined_by.get(s)
            if g and g != f:
                graph.setdefault(f, set()).add(g)
                via.setdefault((f, g), set()).add(s)

    print("runtime dependency graph (file -> files whose symbols it uses), by layer:")
    for i, name in enumerate(names):
        files = sorted((f for f in uses if rank.get(f) == i), key=lambda f: (LAYERS[i][1] + [f]).index(f))
        print("[%s]" % name)
        for f in files:
            print("  %s -> %s" % (f, ", ".join(sorted(graph.get(f, ()))) or "-"))

    allowed_up = []
    for (f, g), syms in sorted(via.items()):
        if f not in rank or g not in rank or rank[g] <= rank[f]:
            continue
        for s in sorted(syms):
            if s in UPWARD:
                allowed_up.append("%s -> %s (%s)" % (f, g, s))
            elif (f, s) in KNOWN:
                print("known back edge: %s -> %s (%s): %s" % (f, g, s, KNOWN[(f, s)]))
            else:
                errors.append("back edge: %s [%s] -> %s [%s] uses %s" % (
                    f, names[rank[f]], g, names[rank[g]], s))
    for a in allowed_up:
        print("documented upward call: " + a)

    # Cycles, ignoring the documented upward calls and the known back edges.
    acyclic = {}
    for (f, g), syms in via.items():
        if any(s not in UPWARD and (f, s) not in KNOWN for s in syms):
            acyclic.setdefault(f, set()).add(g)
    for f, used in sorted(uses.items()):
        if "stderr" in used and f not in STDERR_OK:
            errors.append("%s uses stderr: messages go through messages.c (tprof_error, tprof_warn, tprof_note)" % f)

    cycle = find_cycle(acyclic)
    if cycle:
        errors.append("cycle: " + " -> ".join(cycle))

    for e in errors:
        print("error: " + e)
    print("layers: %s" % ("FAILED" if errors else "OK"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
