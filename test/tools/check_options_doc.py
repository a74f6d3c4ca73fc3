#!/usr/bin/env python3
"""README.md's option table against runtime/options.def, the one list of
the runtime's options: every option documented with its default, no row
for an option that does not exist.

usage: check_options_doc.py OPTIONS_DEF README_MD
"""
import re
import sys


def options(path):
    text = open(path).read()
    found = re.findall(r'^TPROF_OPTION\((\w+),\s*(\w+),\s*(NULL|"[^"]*")', text, re.M)
    return [(k, kind, None if d == "NULL" else d[1:-1]) for k, kind, d in found]


def readme_rows(path):
    rows, in_table = {}, False
    for line in open(path):
        if line.startswith("| key | default | meaning |"):
            in_table = True
            continue
        if in_table:
            if not line.startswith("|"):
                break
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[0].startswith("---"):
                continue
            rows[cells[0].strip("`")] = cells[1].strip("`")
    return rows


def same(a, b):
    try:
        return float(a) == float(b)
    except ValueError:
        return a == b


def main():
    opts, rows = options(sys.argv[1]), readme_rows(sys.argv[2])
    errors = []
    if not opts:
        errors.append("no TPROF_OPTION line in " + sys.argv[1])
    for key, kind, default in opts:
        if key not in rows:
            errors.append("option %s is missing from README.md's table" % key)
        elif default is not None and not same(default, rows[key]):
            errors.append("option %s: README.md says default %r, options.def %r" % (key, rows[key], default))
    names = {k for k, _, _ in opts}
    for key in rows:
        if key not in names:
            errors.append("README.md documents %s, which options.def does not have" % key)
    for e in errors:
        print("error: " + e)
    print("%d options, %d documented: %s" % (len(opts), len(rows), "FAILED" if errors else "OK"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
