#!/usr/bin/env python3
"""Check the pass on a corpus of C files, at -O0 and -O2.

  check_pass_corpus.py --clang CLANG --opt OPT --plugin TPROF_SO --rt LIBTPROF_RT_A
                       --work DIR [--cflags FLAGS] [--ir FILE...] [--run FILE[::ARGS]...]

--ir files: compiled to IR, then `opt -passes=tprof,verify` must accept the
instrumented module. --run files: also built twice, without and with the
plugin (TPROF_VERIFY=1 makes the pass verify the module inside clang), run,
and their exit status and output must be the same; the profiled run must
leave a file set. A file that does not compile on its own without the
plugin is listed as skipped, with the compiler's first error line. Prints
one line per file and level and ends with "N checked, N failed, N skipped".
"""
import argparse
import glob
import os
import shlex
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--clang", required=True)
ap.add_argument("--opt", required=True)
ap.add_argument("--plugin", required=True)
ap.add_argument("--rt", required=True)
ap.add_argument("--work", required=True)
ap.add_argument("--cflags", default="")
ap.add_argument("--ir", nargs="*", default=[])
ap.add_argument("--run", nargs="*", default=[])
args = ap.parse_args()
os.makedirs(args.work, exist_ok=True)
cflags = shlex.split(args.cflags)
checked = failed = skipped = 0


def sh(cmd, env=None, **kw):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace", env=e, **kw)


def first_error(p):
    lines = [l for l in (p.stderr or "").splitlines() if "error" in l]
    return (lines or (p.stderr or "?").splitlines() or ["?"])[0][:200]


def check(path, level, run_args):
    global checked, failed, skipped
    base = os.path.join(args.work, os.path.basename(path).replace(".", "_") + level)
    ll = base + ".ll"
    p = sh([args.clang, level, "-g", "-emit-llvm", "-S", path, "-o", ll] + cflags)
    if p.returncode != 0:
        skipped += 1
        print("skipped %s %s: does not compile alone: %s" % (path, level, first_error(p)))
        return
    checked += 1
    p = sh([args.opt, "-load-pass-plugin=" + args.plugin, "-passes=tprof,verify", ll, "-disable-output"])
    if p.returncode != 0:
        failed += 1
        print("FAILED %s %s: opt -passes=tprof,verify: %s" % (path, level, first_error(p)))
        return
    if run_args is None:
        print("ok %s %s: valid IR" % (path, level))
        return
    plain, profiled = base + ".plain", base + ".profiled"
    p1 = sh([args.clang, level, path, "-o", plain] + cflags)
    p2 = sh([args.clang, level, "-fpass-plugin=" + args.plugin, path, args.rt, "-lpthread", "-o", profiled] + cflags,
            env={"TPROF_VERIFY": "1"})
    if p1.returncode or p2.returncode:
        failed += 1
        print("FAILED %s %s: build: %s" % (path, level, first_error(p2 if p2.returncode else p1)))
        return
    out_dir = base + ".sets"
    subprocess.run(["rm", "-rf", out_dir])
    r1 = sh([plain] + run_args, timeout=120)
    r2 = sh([profiled] + run_args, env={"TPROF_OPTIONS": "output_dir=" + out_dir}, timeout=120)
    sets = glob.glob(os.path.join(out_dir, "*_metrics.json"))
    if (r1.returncode, r1.stdout) != (r2.returncode, r2.stdout) or len(sets) != 1:
        failed += 1
        print("FAILED %s %s: plain (status %d, %r...) != profiled (status %d, %r..., %d file sets)"
              % (path, level, r1.returncode, r1.stdout[:60], r2.returncode, r2.stdout[:60], len(sets)))
        return
    print("ok %s %s: valid IR, same result (status %d, %d bytes of output)" % (path, level, r1.returncode,
                                                                              len(r1.stdout)))


for level in ("-O0", "-O2"):
    for f in args.ir:
        check(f, level, None)
    for spec in args.run:
        f, _, rest = spec.partition("::")
        check(f, level, shlex.split(rest))
print("%d checked, %d failed, %d skipped" % (checked, failed, skipped))
sys.exit(1 if failed or not checked else 0)
