#!/usr/bin/env python3
"""Runs a profiled program many times, ending each run by a signal, and
checks that every run ends with the expected status and leaves exactly one
complete file set: the seven files parse (test/tools/tpq.py check), no
temporary file is left, and the heap figures agree with each other
(allocated - freed = current, allocations - deallocations = live blocks,
peak >= current, the leaks add up to current). The call-count cross-checks
of test/unit/check_file_set.py are not applied: the other threads keep
running while the set is written, so their counts are a sample, not a cut.

  signal_stress.py --runs N --status S [--term] [--min-allocations M] OUTDIR EXE [EXE...]

N runs in all, taking the executables in turn (e.g. the -O0 and the -O2
build). Each run gets its own output directory under OUTDIR. With --term the
program must print "ready" once its threads are allocating; the run then
gets SIGTERM after a random pause of 0-50 ms. Without it the program ends
itself (its own timer). --min-allocations: the set must count at least M
allocations (what the program did before printing "ready").

Hang detector: a correct run ends a few milliseconds after its signal. A run
that is still there 60 s later has made no progress for far longer than any
load can explain: it is counted as hung and killed with SIGKILL. Nothing
else depends on time. Prints one summary line:
  runs N hung H bad_status B bad_sets P taken_mid_update M
(M: sets that say a hook's event was half counted; informative.)
"""
import argparse
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys

HANG_SECONDS = 60
tpq = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "tpq.py")


def set_problems(d):
    """What is wrong with the file set in d, or an empty list."""
    chk = subprocess.run([sys.executable, tpq, d, "check"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = chk.stdout.decode(errors="replace")
    if chk.returncode != 0 or "temporary files left: 0" not in out:
        return [out[-800:]]
    prefix = glob.glob(os.path.join(d, "*_metrics.json"))[0][: -len("metrics.json")]
    with open(prefix + "metrics.json") as f:
        h = json.load(f)["heap"]
    with open(prefix + "memory_summary.json") as f:
        leaks = json.load(f)["leaks"]
    bad = []
    if h["allocated_bytes"] - h["freed_bytes"] != h["current_bytes"]:
        bad.append("allocated - freed != current: %r" % h)
    if h["allocation_count"] - h["deallocation_count"] != h["live_blocks"]:
        bad.append("allocations - deallocations != live blocks: %r" % h)
    if h["peak_bytes"] < h["current_bytes"]:
        bad.append("peak below current: %r" % h)
    if sum(l["live_bytes"] for l in leaks) != h["current_bytes"]:
        bad.append("leaks do not add up to current: %r %r" % (leaks, h))
    if h["allocation_count"] < a.min_allocations:
        bad.append("fewer than %d allocations counted: %r" % (a.min_allocations, h))
    if h.get("taken_mid_update"):
        mid_update[0] += 1
    return bad

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, required=True)
ap.add_argument("--status", type=int, required=True)
ap.add_argument("--term", action="store_true")
ap.add_argument("--min-allocations", type=int, default=0)
ap.add_argument("outdir")
ap.add_argument("exes", nargs="+")
a = ap.parse_args()

shutil.rmtree(a.outdir, ignore_errors=True)
os.makedirs(a.outdir)
env = dict(os.environ)
hung = bad_status = bad_sets = 0
mid_update = [0]
for run in range(a.runs):
    exe = a.exes[run % len(a.exes)]
    d = os.path.join(a.outdir, "run%d" % run)
    env["TPROF_OPTIONS"] = "output_dir=" + d
    # SIGTERM at its default action in the child, whatever the runner set.
    p = subprocess.Popen([exe], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL))
    if a.term:
        line = p.stdout.readline()  # waits for progress, however slow the machine
        if line.strip() == b"ready":
            random_pause = random.random() * 0.05
            try:
                p.wait(timeout=random_pause)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGTERM)
    try:
        _, err = p.communicate(timeout=HANG_SECONDS)
        status = 128 - p.returncode if p.returncode < 0 else p.returncode
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        hung += 1
        print("run %d (%s): hung, killed" % (run, exe))
        continue
    if status != a.status:
        bad_status += 1
        print("run %d (%s): status %d, expected %d: %s" % (run, exe, status, a.status, err.decode(errors="replace")[-500:]))
    problems = set_problems(d)
    if problems:
        bad_sets += 1
        print("run %d (%s): bad file set: %s" % (run, exe, "; ".join(problems)))
    else:
        shutil.rmtree(d)
print("runs %d hung %d bad_status %d bad_sets %d taken_mid_update %d" % (a.runs, hung, bad_status, bad_sets, mid_update[0]))
