#!/usr/bin/env python3
"""Compares a tprof file set with valgrind's own figures.

  compare_valgrind.py memcheck VALGRIND_LOG TPROF_DIR
      memcheck's "total heap usage: A allocs, F frees, B bytes allocated"
      against tprof's allocation_count, deallocation_count, allocated_bytes.
  compare_valgrind.py callgrind CALLGRIND_OUT TPROF_DIR
      for every function tprof reports that has code of its own in the
      binary, the calls callgrind counted to it (the calls= lines under its
      cfn=, recursion levels fn'2... included) against tprof's calls.

Prints one line per figure and a final line "N compared, M differ"; exits 1
when any differs. Reads tprof's metrics.json with Python's json module.
"""
import glob
import json
import re
import sys


def metrics(d):
    paths = glob.glob(d + "/*_metrics.json")
    if len(paths) != 1:
        sys.exit("expected one metrics.json in %s, found %d" % (d, len(paths)))
    with open(paths[0], encoding="utf-8") as f:
        return json.load(f)


def report(rows):
    differ = 0
    for name, ours, theirs in rows:
        same = ours == theirs
        differ += not same
        print("%-28s tprof %-10d valgrind %-10d %s" % (name, ours, theirs, "equal" if same else "DIFFERENT"))
    print("%d compared, %d differ" % (len(rows), differ))
    return 1 if differ or not rows else 0


def memcheck(log, d):
    text = open(log, encoding="utf-8", errors="replace").read()
    m = re.search(r"total heap usage: ([\d,]+) allocs, ([\d,]+) frees, ([\d,]+) bytes allocated", text)
    if not m:
        sys.exit("no 'total heap usage' line in " + log)
    allocs, frees, nbytes = (int(x.replace(",", "")) for x in m.groups())
    heap = metrics(d)["heap"]
    return report([("allocations", heap["allocation_count"], allocs),
                   ("frees", heap["deallocation_count"], frees),
                   ("bytes allocated", heap["allocated_bytes"], nbytes)])


def callgrind(out, d):
    names, calls, current_cfn, defined = {}, {}, None, set()

    def name_of(value):
        # "(12) name" defines id 12, "(12)" refers to it, "name" has no id
        m = re.match(r"\((\d+)\)(?: (.*))?$", value)
        if not m:
            return value
        if m.group(2) is not None:
            names[m.group(1)] = m.group(2)
        return names.get(m.group(1), value)

    with open(out, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("fn="):
                defined.add(re.sub(r"'\d+$", "", name_of(line[3:])))
            elif line.startswith("cfn="):
                # recursion levels are separate names: fib, fib'2, ...
                current_cfn = re.sub(r"'\d+$", "", name_of(line[4:]))
            elif line.startswith("calls=") and current_cfn is not None:
                calls[current_cfn] = calls.get(current_cfn, 0) + int(line[6:].split()[0])
    rows = []
    for fn in metrics(d)["functions"]:
        if fn["name"] in defined:
            rows.append((fn["name"], fn["calls"], calls.get(fn["name"], 0)))
        else:  # always_inline: no code of its own, so no call for callgrind to see
            print("%-28s tprof %-10d not in the binary (inlined), not compared" % (fn["name"], fn["calls"]))
    return report(sorted(rows))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("memcheck", "callgrind"):
        sys.exit(__doc__)
    sys.exit((memcheck if sys.argv[1] == "memcheck" else callgrind)(sys.argv[2], sys.argv[3]))
