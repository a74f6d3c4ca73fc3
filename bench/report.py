#!/usr/bin/env python3
"""Prints the benchmark tables from the results bench/run.sh left in RESULTS
(hyperfine JSON files, status.tsv, check.tsv, phases/, ir.tsv,
functions.tsv, churn_export.tsv, one_export.tsv and grid_export.tsv with
their _floor.tsv, meta.json, clock.txt, export.txt, machine.txt), as
Markdown. With --write-doc FILE, also replaces the text
between the markers <!-- bench:begin --> and <!-- bench:end --> of FILE;
with --write-readme FILE, the short table of what each mode costs between
<!-- bench:costs:begin --> and <!-- bench:costs:end -->.

    report.py RESULTS [--write-doc docs/BENCHMARKS.md] [--write-readme README.md]
"""
import json
import os
import re
import statistics
import sys

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
# README.md's table of what each mode costs (costs_table)
COSTS_BEGIN, COSTS_END = "<!-- bench:costs:begin -->", "<!-- bench:costs:end -->"
# clock.txt keys that are a page's cost at its first use, not a clock read (the timestamp section)
PAGE_COSTS = ("first_touch_page", "populated_page_write", "file_page_read", "huge_range_page_write")

LABELS = {
    "base": "uninstrumented `-O2`",
    "tprof-cpu": "tprof, CPU profiling only",
    "tprof-mem": "tprof, memory tracking only",
    "tprof-all": "tprof, everything on",
    "tprof-light": "tprof, light level",
    "tprof-off": "tprof compiled in, everything off at run time",
    "tall-all": "tprof built with `TPROF_TIMING=all`, everything on",
    "floor": "floor: timestamp reads + allocation table only",
    "fin-count": "`-finstrument-functions`, counting hooks",
    "fin-clock": "`-finstrument-functions`, `clock_gettime` hooks",
    "instrprof": "clang `-fprofile-instr-generate` (exact counters, no times)",
    "gprof": "gprof (`-pg`)",
    "uftrace": "uftrace record (`-pg` build)",
    "xray": "LLVM XRay, basic mode",
    "callgrind": "valgrind callgrind",
    "heaptrack": "heaptrack",
    "massif": "valgrind massif",
}
ORDER = list(LABELS)
# tprof's three run-time levels in one-line rows (the targets table).
SHORT_LABELS = {"tprof-off": "compiled in but off", "tprof-light": "light", "tprof-all": "defaults"}


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def results(res, name):
    """{config: {median, times, ...}} of one hyperfine group."""
    j = load(os.path.join(res, name + ".json"))
    return {r["command"]: r for r in j["results"]} if j else {}


def rounds(r):
    """The run times of each round (pass) of an interleaved group, or None."""
    sizes, t = r.get("pass_runs"), r["times"]
    if not sizes or sum(sizes) != len(t):
        return None
    out, at = [], 0
    for n in sizes:
        out.append(t[at:at + n])
        at += n
    return out


def side_ratio(r, base):
    """The ratio to the base build: the median over the rounds of each
    round's ratio of medians when both ran in the same rounds (a machine
    whose speed changes between rounds moves both commands of a round
    alike), else the ratio of the medians."""
    a, b = rounds(r), rounds(base)
    if a and b and len(a) == len(b) and len(a) > 1 and all(x and y for x, y in zip(a, b)):
        return statistics.median(statistics.median(x) / statistics.median(y) for x, y in zip(a, b))
    return r["median"] / base["median"]


def statuses(res):
    st = {}
    try:
        for line in open(os.path.join(res, "status.tsv")):
            g, c, s = line.rstrip("\n").split("\t", 2)
            st[(g, c)] = s
    except OSError:
        pass
    return st


def spread(r):
    t = sorted(r["times"])
    if len(t) < 4:
        return "%.0f%%" % (100 * (t[-1] - t[0]) / r["median"]) + " (range)"
    q = statistics.quantiles(t, n=4)
    return "%.1f%%" % (100 * (q[2] - q[0]) / r["median"])


def fmt_int(n):
    return "{:,}".format(int(n))


def fib_calls(n):
    a, b = 0, 1
    for _ in range(n + 1):
        a, b = b, a + b
    return 2 * a - 1  # 2 * fib(n + 1) - 1


def fmt_bytes(n):
    if n is None or n < 0:
        return "–"
    return "%.1f MB" % (n / 1e6) if n >= 1e5 else "%.0f kB" % (n / 1e3)


class Report:
    def __init__(self, res):
        self.res = res
        self.meta = load(os.path.join(res, "meta.json")) or {}
        self.st = statuses(res)
        self.clock = {}
        try:
            for line in open(os.path.join(res, "clock.txt")):
                k, v = line.split()
                self.clock[k] = float(v)
        except OSError:
            pass
        self.figures = {}  # (workload, config) -> dict(median, base, ratio, ns, overhead)
        # (group, config) -> dict(rss_kb, seconds, metrics_bytes, faults) of the checked run
        self.check = {}
        try:
            for line in open(os.path.join(res, "check.tsv")):
                g, c, rss, secs, size, *faults = line.rstrip("\n").split("\t")
                self.check[(g, c)] = dict(rss_kb=int(rss), seconds=float(secs), metrics_bytes=int(size),
                                          faults=int(faults[0]) if faults else -1)
        except (OSError, ValueError):
            pass
        self.ir = {}  # (workload, size, config) -> instructions
        try:
            for line in open(os.path.join(res, "ir.tsv")):
                w, sz, c, ir = line.rstrip("\n").split("\t")
                if ir.isdigit():
                    self.ir[(w, sz, c)] = int(ir)
        except OSError:
            pass
        self.irfig = {}  # (workload, config) -> dict(per_event, ratio)
        self.grid_verdicts = {}  # config -> (limit, verdict of its grid target row), set by target_rows
        self.compute_ir()

    def ir_events(self, w, small, large):
        """Events between the two callgrind sizes of workload w."""
        m = self.meta
        if w == "fib":
            return fib_calls(int(large)) - fib_calls(int(small))
        if w == "trees":
            (i1, d1), (i2, d2) = small.split(":"), large.split(":")
            return int(i2) * (2 ** (int(d2) + 1) - 1) - int(i1) * (2 ** (int(d1) + 1) - 1)
        if w == "grid":
            g = m.get("grid", {})
            try:
                per_round = ((g["calls"] + g["allocations"] - g["slow_calls"] - g["slow_allocations"]) /
                             (g["repeat"] - g["slow_repeat"]))
            except (KeyError, TypeError, ZeroDivisionError):
                return None
            return per_round * (int(large) - int(small))
        return None

    def compute_ir(self):
        for w, sizes in (self.meta.get("ir_sizes") or {}).items():
            sizes = sizes.split()
            if len(sizes) != 2:
                continue
            small, large = sizes
            ev = self.ir_events(w, small, large)
            b0, b1 = self.ir.get((w, small, "base")), self.ir.get((w, large, "base"))
            if not ev or b0 is None or b1 is None:
                continue
            for (ww, sz, c), _ in list(self.ir.items()):
                if ww != w or sz != large:
                    continue
                c0, c1 = self.ir.get((w, small, c)), self.ir.get((w, large, c))
                if c0 is None or c1 is None:
                    continue
                self.irfig[(w, c)] = dict(per_event=((c1 - c0) - (b1 - b0)) / ev, ratio=(c1 - c0) / (b1 - b0),
                                          small=c0, large=c1, events=ev)

    def phases(self, group, config):
        """{part: median seconds} of what the workload timed itself."""
        parts = {}
        try:
            for line in open(os.path.join(self.res, "phases", "%s-%s.txt" % (group, config))):
                k, v = line.split()
                parts.setdefault(k, []).append(float(v))
        except (OSError, ValueError):
            return {}
        return {k: statistics.median(v) for k, v in parts.items()}

    def notes(self, group):
        return ["%s: %s" % (c[:-5], s) for (g, c), s in sorted(self.st.items()) if g == group and c.endswith(":note")]

    def workload_table(self, w, title, events, slow_events, unit, size, slow_size):
        out = []
        fast, slow = results(self.res, w), results(self.res, w + "-slow")
        out.append("### " + title)
        out.append("")
        out.append("| configuration | median s | ratio to base | ns per %s | runs | spread (IQR) "
                   "| instructions: ratio | instructions added per %s | page faults (one run) |" % (
                       unit, unit.split(" ")[0]))
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for group, rs, ev, sz in ((w, fast, events, size), (w + "-slow", slow, slow_events, slow_size)):
            base = rs.get("base")
            for c in ORDER:
                if group.endswith("-slow") and c not in ("base", "callgrind", "heaptrack", "massif"):
                    continue
                if not group.endswith("-slow") and c in ("callgrind", "heaptrack", "massif"):
                    continue
                label = LABELS[c]
                if c == "tprof-light":
                    label += " (`%s`)" % self.meta.get("light_options", "?")
                if group.endswith("-slow"):
                    label += " — " + slow_size
                s = self.st.get((group, c))
                if s is None and c not in rs:
                    continue
                r = rs.get(c)
                if r is None or not base:
                    why = s if s and s != "ok" else "not measured"
                    out.append("| %s | %s | | | | | | | |" % (label, why))
                    continue
                ratio = side_ratio(r, base)
                overhead = (ratio - 1) * base["median"]
                ns = overhead / ev * 1e9 if ev else float("nan")
                self.figures[(group, c)] = dict(median=r["median"], base=base["median"], ratio=ratio, ns=ns,
                                                overhead=overhead)
                irf = self.irfig.get((w, c)) if not group.endswith("-slow") else None
                faults = self.check.get((group, c), {}).get("faults", -1)
                out.append("| %s | %.4f | %s | %s | %d | %s | %s | %s | %s |" % (
                    label, r["median"], "1" if c == "base" else "%.3f" % ratio,
                    "–" if c == "base" else "%.1f" % ns, len(r["times"]), spread(r),
                    "%.3f" % irf["ratio"] if irf else "", "%.1f" % irf["per_event"] if irf and c != "base" else "",
                    fmt_int(faults) if faults >= 0 else ""))
        out.append("")
        for n in self.notes(w) + self.notes(w + "-slow"):
            out.append("- " + n)
        if self.notes(w) or self.notes(w + "-slow"):
            out.append("")
        return out

    def simple_table(self, group, title, extra_cols, extra):
        """A hyperfine group of the issue 11/13 workloads: median, ratio, max
        RSS and metrics.json size of the checked run, then extra(config)."""
        rs = results(self.res, group)
        base = rs.get("base")
        out = ["### " + title, "",
               "| configuration | median s | ratio to base | runs | spread (IQR) | max RSS | metrics.json |"
               + "".join(" %s |" % c for c in extra_cols),
               "|---|---:|---:|---:|---:|---:|---:|" + "---:|" * len(extra_cols)]
        for c in ORDER:
            s = self.st.get((group, c))
            r = rs.get(c)
            if s is None and r is None:
                continue
            if r is None or not base:
                out.append("| %s | %s |" % (LABELS[c], s if s and s != "ok" else "not measured") +
                           " |" * (5 + len(extra_cols)))
                continue
            ratio = side_ratio(r, base)
            self.figures[(group, c)] = dict(median=r["median"], base=base["median"], ratio=ratio,
                                            overhead=(ratio - 1) * base["median"])
            ck = self.check.get((group, c), {})
            rss = ck.get("rss_kb")
            out.append("| %s | %.4f | %s | %d | %s | %s | %s |" % (
                LABELS[c], r["median"], "1" if c == "base" else "%.3f" % ratio, len(r["times"]), spread(r),
                "%.1f MB" % (rss / 1024) if rss else "–", fmt_bytes(ck.get("metrics_bytes"))) +
                "".join(" %s |" % x for x in extra(c)))
        out.append("")
        for n in self.notes(group):
            out.append("- " + n)
        if self.notes(group):
            out.append("")
        return out

    def target_rows(self):
        """(target, measured, verdict, reason key): verdict True/False, None
        (not measured) or "info" (a figure the issues ask for, no limit)."""
        F = self.figures
        rows = []

        def add(target, measured, ok, reason_if_not="", ir=None):
            # ir = (workload, config, limit): a row met by its time while its
            # instruction ratio (which does not move with the load) is above
            # the limit says so: the time alone was this run's luck.
            irf = self.irfig.get(ir[:2]) if ir and ok is True else None
            if irf and irf["ratio"] > ir[2]:
                ok, reason_if_not = "time-only", (
                    "by the time only: the instructions (%.2f×) are above the limit, and a time within ~0.1× "
                    "of it or with a wide spread is met or not by chance here (see How it measures)" % irf["ratio"])
            rows.append((target, measured, ok, reason_if_not))

        def get(g, c):
            return F.get((g, c))

        def missing(g, c):
            return "not measured: " + self.st.get((g, c), "no run")

        def with_ir(text, w, c):
            irf = self.irfig.get((w, c))
            return text + ("; instructions %.2f×" % irf["ratio"] if irf else "")

        # issue 12: the grid-DSL rows
        for c, lim, what in (("tprof-all", 1.3, SHORT_LABELS["tprof-all"] + " (everything on)"),
                             ("tprof-light", 1.1, SHORT_LABELS["tprof-light"] + " level (`cpu_timing=operations`)"),
                             ("tprof-off", 1.03, SHORT_LABELS["tprof-off"])):
            r = get("grid", c)
            target = "grid-DSL, %s ≤ %.2f× the plain `-O2` build" % (what, lim)
            if r:
                add(target, with_ir("%.2f×" % r["ratio"], "grid", c), r["ratio"] <= lim, "grid-" + c, ("grid", c, lim))
            else:
                add(target, missing("grid", c), None)
            self.grid_verdicts[c] = (lim, rows[-1][2])  # README's cost table (costs_table)
        tall, floor = get("grid", "tall-all"), get("grid", "floor")
        target = "grid-DSL, `TPROF_TIMING=all` build: overhead ≤ 1.13 × the floor's (every call timed by 2 `rdtsc`)"
        if tall and floor and floor["overhead"] > 0:
            q = tall["overhead"] / floor["overhead"]
            add(target, "%.1f ms vs floor %.1f ms (%.2f×); %.2f× the plain build" % (
                tall["overhead"] * 1e3, floor["overhead"] * 1e3, q, tall["ratio"]), q <= 1.13, "grid-tall")
        else:
            add(target, missing("grid", "tall-all" if not tall else "floor"), None)
        fns = self.functions()
        if fns.get("base") and fns.get("tprof"):
            add("grid-DSL: functions emitted at `-O2`, instrumented vs plain",
                "%s with tprof (%s with `TPROF_TIMING=all`), %s plain, %s with `-fprofile-instr-generate`" % (
                    fmt_int(fns["tprof"]), fmt_int(fns.get("tall", 0)), fmt_int(fns["base"]),
                    fmt_int(fns.get("ipg", 0))), "info")
        # fib
        light, rdtsc, cpu = get("fib", "tprof-light"), self.clock.get("rdtsc"), get("fib", "tprof-cpu")
        if light:
            add("fib(32), counts only (light level) ≤ 2× the plain build",
                with_ir("%.2f× (%.1f ns per call)" % (light["ratio"], light["ns"]), "fib", "tprof-light")
                + (" (clang's instrprof %.2f×)" % get("fib", "instrprof")["ratio"] if get("fib", "instrprof") else ""),
                light["ratio"] <= 2, "fib-light", ("fib", "tprof-light", 2))
        else:
            add("fib(32), counts only (light level) ≤ 2× the plain build", missing("fib", "tprof-light"), None)
        if cpu and rdtsc:
            lim = 2 * rdtsc + 5
            irf = self.irfig.get(("fib", "tprof-cpu"))
            add("fib(32), timed call (enter + exit, CPU on) ≤ 2 timestamp reads + 5 ns",
                "%.1f ns/call; limit 2 × %.1f + 5 = %.1f ns%s" % (
                    cpu["ns"], rdtsc, lim, "; %.0f instructions added per call" % irf["per_event"] if irf else ""),
                cpu["ns"] <= lim, "call")
        else:
            add("fib(32), timed call ≤ 2 timestamp reads + 5 ns", missing("fib", "tprof-cpu"), None)
        fclk, uf = get("fib", "fin-clock"), get("fib", "uftrace")
        if cpu and fclk:
            add("fib(32), timed call < ½ of the `clock_gettime` hooks'",
                "%.1f vs %.1f ns/call (%.2f×)" % (cpu["ns"], fclk["ns"], cpu["ns"] / fclk["ns"]),
                cpu["ns"] < 0.5 * fclk["ns"], "call-clock")
        if cpu and uf:
            add("fib(32), timed call < ¼ of uftrace's",
                "%.1f vs %.1f ns/call (%.2f×)" % (cpu["ns"], uf["ns"], cpu["ns"] / uf["ns"]),
                cpu["ns"] < 0.25 * uf["ns"], "call-uftrace")
        # trees
        mem, ht = get("trees", "tprof-mem"), get("trees-slow", "heaptrack")
        if mem:
            add("binary trees, memory tracking only ≤ 1.5× the plain build",
                with_ir("%.2f× (%.1f ns per allocation)" % (mem["ratio"], mem["ns"]), "trees", "tprof-mem"),
                mem["ratio"] <= 1.5, "mem", ("trees", "tprof-mem", 1.5))
        else:
            add("binary trees, memory tracking only ≤ 1.5× the plain build", missing("trees", "tprof-mem"), None)
        if mem and ht:
            add("binary trees, memory tracking only: overhead < 1/10 of heaptrack's",
                "+%.0f%% vs heaptrack +%.0f%% (%.3f×)" % (100 * (mem["ratio"] - 1), 100 * (ht["ratio"] - 1),
                                                         (mem["ratio"] - 1) / (ht["ratio"] - 1)),
                (mem["ratio"] - 1) < (ht["ratio"] - 1) / 10, "heaptrack")
        # compile time
        fair, big = self.compile_figures("fair"), self.compile_figures("big")
        if fair:
            t, i = fair.get("clang -O2 + tprof pass"), fair.get("clang -O2 -fprofile-instr-generate")
            # judged on the median wall time, as every other target (a mean
            # of 5 runs moved 7 points with one slow run); the instructions,
            # which do not move with the load, beside it, and a "time only"
            # verdict when they are above the limit
            ok = t["ratio"] <= 1.10
            if ok and t["ir_ratio"] and t["ir_ratio"] > 1.10:
                ok = "time-only"
            add("compile time, code that `-O2` keeps (bench/gen_fair_tu.py): the pass adds ≤ 10%",
                "%+.1f%% time (median of the rounds' ratios)%s (mean user CPU %+.1f%%)%s" % (
                    100 * (t["ratio"] - 1),
                    ", %+.1f%% instructions" % (100 * (t["ir_ratio"] - 1)) if t["ir_ratio"] else "",
                    100 * (t["user_ratio"] - 1),
                    "; instrprof %+.1f%%" % (100 * (i["ratio"] - 1)) if i else ""),
                ok, "compile-fair" if ok != "time-only" else
                "by the time only: the instructions (%+.1f%%) are above the limit" % (100 * (t["ir_ratio"] - 1)))
        if big and big.get("clang -O2 -fprofile-instr-generate"):
            t, i = big["clang -O2 + tprof pass"], big["clang -O2 -fprofile-instr-generate"]
            by_ir = t["ir_ratio"] and i["ir_ratio"]
            ok = t["ratio"] <= i["ratio"] * 1.02
            if ok and by_ir and t["ir_ratio"] > i["ir_ratio"] * 1.02:
                ok = "time-only"
            add("compile time, many small functions (bench/gen_big_tu.py): the pass adds no more than "
                "`-fprofile-instr-generate`",
                "%+.1f%% vs %+.1f%% time (median of the rounds' ratios)%s (mean user CPU %+.1f%% vs %+.1f%%)" % (
                    100 * (t["ratio"] - 1), 100 * (i["ratio"] - 1),
                    "; %+.1f%% vs %+.1f%% instructions" % (100 * (t["ir_ratio"] - 1), 100 * (i["ir_ratio"] - 1))
                    if by_ir else "", 100 * (t["user_ratio"] - 1), 100 * (i["user_ratio"] - 1)),
                ok, "compile" if ok != "time-only" else
                "by the time only: the instructions (%+.1f%% vs %+.1f%%) are above instrprof's" % (
                    100 * (t["ir_ratio"] - 1), 100 * (i["ir_ratio"] - 1)))
        # issue 11, point 4
        ch, chb = get("churn", "tprof-all"), self.check.get(("churn", "base"), {})
        target = "thread churn (%s threads, %s at a time) ≤ 1.5× the plain build" % (
            fmt_int(self.meta.get("churn", {}).get("threads", 0)), self.meta.get("churn", {}).get("batch", "?"))
        if ch:
            ck = self.check.get(("churn", "tprof-all"), {})
            add(target, "%.2f× (%.2f s vs %.2f s); max RSS %.1f MB vs %.1f MB" % (
                ch["ratio"], ch["median"], ch["base"], ck.get("rss_kb", 0) / 1024, chb.get("rss_kb", 0) / 1024),
                ch["ratio"] <= 1.5, "churn")
        else:
            add(target, missing("churn", "tprof-all"), None)
        ex = self.churn_export()
        if len(ex) == 2:
            (t1, m1), (t2, m2) = sorted(ex.items())
            add("thread churn: export time independent of the threads that died (≤ 2× + 1 ms from %s to %s)" % (
                fmt_int(t1), fmt_int(t2)), "%.1f ms after %s threads, %.1f ms after %s" % (m1, fmt_int(t1), m2, fmt_int(t2)),
                m2 <= 2 * m1 + 1, "churn-export")
        # issue 13
        d = self.deep_figures("tall-all")
        target = "deep changing paths: added cost per call within 2× of flat calls' (`TPROF_TIMING=all` build)"
        if d:
            add(target, "deep %.1f ns, flat %.1f ns added per call (%.2f×)" % (d["deep_ns"], d["flat_ns"], d["q"]),
                d["q"] <= 2, "deep")
        else:
            add(target, missing("deep", "tall-all"), None)
        for g, what in (("deep", "deep_walks"), ("interp", "interpreter-like workload")):
            r, ck = get(g, "tprof-all"), self.check.get((g, "tprof-all"), {})
            if r:
                add("%s, defaults: slowdown and metrics.json size" % what,
                    "%.2f× the plain build; metrics.json %s" % (r["ratio"], fmt_bytes(ck.get("metrics_bytes"))),
                    "info")
            if ck.get("metrics_bytes", -1) >= 0:
                add("%s: metrics.json < 20 MB" % what, fmt_bytes(ck["metrics_bytes"]),
                    ck["metrics_bytes"] < 20e6, "size")
        one = {c: get("one", c) for c in ("tprof-off", "tprof-light", "tprof-all")}
        if any(one.values()):
            add("one transpiled program in its own process (the main job's shape): whole process, instrumented vs "
                "plain", ", ".join("%s %.2f× (%+.2f ms)" % (SHORT_LABELS[c], r["ratio"], r["overhead"] * 1e3)
                                   for c, r in one.items() if r), "info")
        ex = self.export_ms()
        if ex:
            med = statistics.median(ex)
            add("export of 100,000 functions + 1,000,000 traces < 1 s", "%.0f ms (median)" % med, med < 1000, "export")
        for name, what in (("one_export.tsv", "one transpiled program in its own process (p22)"),
                           ("grid_export.tsv", "the grid bench's set")):
            gx = self.tsv_times(name)
            if gx:
                med = {k: statistics.median(v) for k, v in gx.items()}
                floor = {k: statistics.median(v) for k, v in self.tsv_times(name.replace(".tsv", "_floor.tsv")).items()}
                add("export at exit of a small program (%s) well under 1 ms" % what,
                    ", ".join("%s %.2f ms%s" % (k, v, " (floor %.2f)" % floor[k] if k in floor else "")
                              for k, v in sorted(med.items(), key=lambda kv: kv[0] != "light")) +
                    " (median of %d)" % min(len(v) for v in gx.values()), max(med.values()) < 1,
                    self.export_floor_why(floor))
        return rows

    @staticmethod
    def export_floor_why(floor):
        """The reason key of an export row: with its floors {level: ms}, and the level whose floor alone is
        1 ms or more, if one is."""
        if not floor:
            return "grid-export"
        level = max(floor, key=floor.get)
        return "grid-export-floor" + (":%s %.2f ms" % (level, floor[level]) if floor[level] >= 1 else "")

    def tsv_times(self, name, key=str):
        """{key: [ms, ...]} of a results file of "key<TAB>ms" lines (a failed run's "failed" is left out)."""
        ms = {}
        try:
            for line in open(os.path.join(self.res, name)):
                k, v = line.split()
                try:
                    ms.setdefault(key(k), []).append(float(v))
                except ValueError:
                    pass
        except OSError:
            pass
        return ms

    def functions(self):
        d = {}
        try:
            for line in open(os.path.join(self.res, "functions.tsv")):
                k, v = line.split()
                d[k] = int(v)
        except (OSError, ValueError):
            pass
        return d

    COMPILE_COMMANDS = {"base": "clang -O2", "tprof": "clang -O2 + tprof pass",
                        "ipg": "clang -O2 -fprofile-instr-generate"}

    def compile_instructions(self, f):
        """{command: callgrind instructions of its compile of f} (compile_ir.tsv)."""
        d = {}
        try:
            for line in open(os.path.join(self.res, "compile_ir.tsv")):
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3 and parts[0] == f and parts[2].isdigit():
                    d[self.COMPILE_COMMANDS.get(parts[1], parts[1])] = int(parts[2])
        except OSError:
            pass
        return d

    def compile_asm_share(self):
        """'; ...' saying what LLVM spent assembling the counters' inline-assembly statements of the
        big file's instrumented compile (compile_asm.tsv), as a share of what the pass adds; '' without it."""
        try:
            parts = open(os.path.join(self.res, "compile_asm.tsv")).read().split()
            asm_ir, statements = int(parts[1]), int(parts[2])
        except (OSError, IndexError, ValueError):
            return ""
        ir = self.compile_instructions("big")
        added = ir.get("clang -O2 + tprof pass", 0) - ir.get("clang -O2", 0)
        if added <= 0 or not statements:
            return ""
        return ("; of the instructions the pass adds, %.0f%% are LLVM's assembly of the counters' %s "
                "inline-assembly statements (`AsmPrinter::emitInlineAsm`, ~%.0fK instructions each: it makes "
                "a new assembly parser for every statement), a cost that instrprof's plain loads and stores "
                "do not have" % (100.0 * asm_ir / added, "{:,}".format(statements), asm_ir / statements / 1e3))

    def compile_figures(self, f):
        comp = results(self.res, "compile-" + f)
        base = comp.get("clang -O2")
        if not base:
            return {}
        ir = self.compile_instructions(f)
        ir_base = ir.get("clang -O2")
        # ratio: the median of the rounds' ratios (side_ratio); a compile
        # takes seconds, and this machine's speed drifts over a group's minutes
        return {k: dict(median=r["median"], ratio=side_ratio(r, base), user=r["user"],
                        user_ratio=r["user"] / base["user"], runs=len(r["times"]), ir=ir.get(k),
                        ir_ratio=ir[k] / ir_base if ir_base and ir.get(k) else None) for k, r in comp.items()}

    def churn_export(self):
        """{threads: median export ms} of the churn-export runs."""
        ms = self.tsv_times("churn_export.tsv", int)
        return {t: statistics.median(v) for t, v in ms.items() if v}

    def deep_figures(self, c):
        calls = self.meta.get("deep", {}).get("calls")
        b, p = self.phases("deep", "base"), self.phases("deep", c)
        if not calls or "deep" not in b or "deep" not in p or "flat" not in b or "flat" not in p:
            return None
        dn = (p["deep"] - b["deep"]) / calls * 1e9
        fn = (p["flat"] - b["flat"]) / calls * 1e9
        return dict(deep_ns=dn, flat_ns=fn, q=dn / fn if fn > 0 else float("inf"),
                    deep_ms=p["deep"] * 1e3, flat_ms=p["flat"] * 1e3,
                    deep_total_ns=p["deep"] / calls * 1e9, flat_total_ns=p["flat"] / calls * 1e9)

    def ir_section(self):
        if not self.ir:
            return []
        out = ["### Instruction counts (valgrind callgrind)", "",
               "Each configuration at two small sizes; what the extra events cost is the difference, so start-up "
               "is left out, and the export is not counted at all (callgrind's `--toggle-collect=tprof_export_now`: "
               "the larger size's set is bigger, and that growth would read as a cost per event; the export has "
               "rows of its own). Instruction counts do not move with the machine's load. "
               "*Ratio* is the configuration's instructions between the two sizes over the plain build's; *added "
               "per event* is (its difference − the plain build's) / the events between the sizes.", "",
               "| workload | sizes | events between | configuration | instructions (small) | instructions (large) "
               "| ratio | added per event |",
               "|---|---|---:|---|---:|---:|---:|---:|"]
        for w, sizes in (self.meta.get("ir_sizes") or {}).items():
            sizes = sizes.split()
            if len(sizes) != 2:
                continue
            ev = self.ir_events(w, *sizes)
            for c in ORDER:
                a, b = self.ir.get((w, sizes[0], c)), self.ir.get((w, sizes[1], c))
                if a is None and b is None:
                    continue
                f = self.irfig.get((w, c))
                out.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    w, " → ".join(sizes), fmt_int(ev) if ev else "?", LABELS[c], fmt_int(a) if a else "failed",
                    fmt_int(b) if b else "failed", "%.3f" % f["ratio"] if f else "–",
                    "%.1f" % f["per_event"] if f and c != "base" else "–"))
        out.append("")
        return out

    def fault_share(self, w, c):
        """The page faults a configuration's checked run took beyond the plain
        build's, and what they cost at this machine's fresh-page price, as a
        share of the plain run: the part of a time ratio that instructions
        do not explain."""
        ck, base = self.check.get((w, c), {}), self.check.get((w, "base"), {})
        page_ns, f = self.clock.get("first_touch_page", 0), self.figures.get((w, "base"))
        if ck.get("faults", -1) < 0 or base.get("faults", -1) < 0 or page_ns <= 0 or not f:
            return ""
        more = ck["faults"] - base["faults"]
        ms = more * page_ns / 1e6
        return ("; %s page faults more than the plain build in one run, ~%.1f ms at %.1f µs a fresh page "
                "(+%.2f× of the ratio)" % (fmt_int(more), ms, page_ns / 1e3, ms / 1e3 / f["base"]))

    def reason(self, why):
        """Why a target was not met, from the figures of this run."""
        F, ck = self.figures, self.clock
        g = lambda w, c, k="ns": F.get((w, c), {}).get(k, float("nan"))
        if why == "call":
            return ("the runtime spends %.1f ns per call, the floor (2 `rdtsc` + one add) %.1f ns and the "
                    "counting hooks %.1f ns; `rdtsc` alone costs %.1f ns on this VM and `clock_gettime` %.1f ns, "
                    "so the per-call work beyond the two reads (per-function figures, call-graph edge, "
                    "frame stack) is what is over" % (g("fib", "tprof-cpu"), g("fib", "floor"),
                                                       g("fib", "fin-count"), ck.get("rdtsc", float("nan")),
                                                       ck.get("clock_gettime", float("nan"))))
        if why == "call-clock":
            return ("`clock_gettime` costs %.1f ns and `rdtsc` %.1f ns per read here, so the `clock_gettime` "
                    "hooks cost %.1f ns per call and half of that is %.1f ns; tprof %.1f ns" % (
                        ck.get("clock_gettime", float("nan")), ck.get("rdtsc", float("nan")),
                        g("fib", "fin-clock"), g("fib", "fin-clock") / 2, g("fib", "tprof-cpu")))
        if why == "call-uftrace":
            return ("uftrace costs %.1f ns per call here (it appends raw records to a buffer and computes "
                    "nothing while the program runs); tprof %.1f ns" % (g("fib", "uftrace"), g("fib", "tprof-cpu")))
        if why.startswith("grid-tprof"):
            c = why[5:]
            irf = self.irfig.get(("grid", c))
            return ("%.1f ns per event (call or allocation) over the plain build%s; the counting hooks of "
                    "`-finstrument-functions` cost %.1f ns, clang's instrprof counters %.1f ns" % (
                        g("grid", c), ", %.1f instructions" % irf["per_event"] if irf else "",
                        g("grid", "fin-count"), g("grid", "instrprof"))) + self.fault_share("grid", c)
        if why == "grid-tall":
            return ("every call timed costs %.1f ns per event, the floor (2 `rdtsc` per call and the allocation "
                    "table) %.1f ns" % (g("grid", "tall-all"), g("grid", "floor")))
        if why == "fib-light":
            return ("each call costs %.1f ns more than the plain build's (clang's instrprof counters: %.1f ns); "
                    "the plain fib(32) runs in %.1f ms" % (g("fib", "tprof-light"), g("fib", "instrprof"),
                                                           1e3 * F.get(("fib", "base"), {}).get("median", float("nan"))))
        if why == "mem":
            return ("memory tracking costs %.1f ns per allocation (with its free and the 3 calls per node "
                    "through the hooks; the run-time-off build costs %.1f ns), the floor (its table plus the timestamps of those 3 calls) %.1f ns"
                    % (g("trees", "tprof-mem"), g("trees", "tprof-off"), g("trees", "floor"))) + self.fault_share(
                        "trees", "tprof-mem")
        if why == "heaptrack":
            return ("heaptrack costs %.0f ns per allocation here (at the smaller size), tprof's memory tracking "
                    "%.0f ns" % (g("trees-slow", "heaptrack"), g("trees", "tprof-mem")))
        if why == "compile-fair":
            t = (self.compile_figures("fair") or {}).get("clang -O2 + tprof pass", {})
            if t.get("ir_ratio") and t["ir_ratio"] <= 1.10:
                return ("the compile with the pass executes %+.1f%% instructions (callgrind; within the limit) "
                        "but takes %+.1f%% time: what it adds costs more per instruction (memory "
                        "touched, cache misses; the VM counts no cycles), or the times' noise (see How it "
                        "measures)" % (100 * (t["ir_ratio"] - 1), 100 * (t["ratio"] - 1)))
            return ("the instrumented module is bigger (counters, hook calls, a record per function "
                    "and per allocation site) and the whole `-O2` pipeline works on it")
        if why == "compile":
            big = self.compile_figures("big")
            t, i = big.get("clang -O2 + tprof pass", {}), big.get("clang -O2 -fprofile-instr-generate", {})
            asm = self.compile_asm_share()
            if t.get("ir_ratio") and i.get("ir_ratio") and t["ir_ratio"] <= i["ir_ratio"]:
                return ("the compile with the pass executes fewer instructions than instrprof's (callgrind, "
                        "%+.1f%% vs %+.1f%%) and still takes more time: what it adds costs more per "
                        "instruction (memory touched, cache misses; the VM counts no cycles), or the times' "
                        "noise (see How it measures)%s" % (100 * (t["ir_ratio"] - 1), 100 * (i["ir_ratio"] - 1),
                                                           asm))
            return ("the instrumented module is bigger (counters, hook calls, a record per function "
                    "and per allocation site) and the whole `-O2` pipeline works on it" + asm)
        if why == "churn":
            return "per-thread set-up and tear-down of the runtime (see max RSS and the export time after churn)"
        if why == "churn-export":
            return "the export walks state kept for every thread that ever ran"
        if why == "deep":
            d = self.deep_figures("tall-all") or {}
            return ("a call on a new path costs more than a call on a known one: deep part %.0f ms, flat part %.0f ms "
                    "for the same number of calls" % (d.get("deep_ms", float("nan")), d.get("flat_ms", float("nan"))))
        if why == "size":
            return "the calling-context data grows with paths × depth"
        if why == "export":
            return "the export writes every function row and every trace row; see the export time above"
        first_use = ("a process's first export uses memory and code that nothing used before in that process "
                     "(its scratch tables and output buffer, mapped in ahead, its own code and the C library's "
                     "file and formatting code), each page of which costs at its first use even without a page "
                     "fault of the process's own (see the timestamp section above): a second export in the same "
                     "process is much faster than the first")
        formatting = ("the grid set also formats its timeline's 10,000 events and (defaults) the allocation "
                      "traces, a few million instructions")
        if why.startswith("grid-export-floor"):
            over = why.split(":")[1] if ":" in why else ""
            return ("the floor in brackets is what a bare program pays on this machine to create, write and "
                    "link seven files of the same sizes in the same directory (bench/export_floor.c, run "
                    "after each export): the file system's and the page cache's share, which no faster "
                    "formatting removes%s; above the floor, %s; %s" % (
                        "; here the floor alone (%s) is over the limit" % over if over else "", first_use,
                        formatting))
        if why == "grid-export":
            return "%s; seven files are created, written and linked; %s" % (first_use, formatting)
        return ""

    def export_ms(self):
        ms = []
        try:
            for line in open(os.path.join(self.res, "export.txt")):
                m = re.match(r"export_ms ([0-9.]+)", line)
                if m:
                    ms.append(float(m.group(1)))
        except OSError:
            pass
        return ms

    def render(self):
        m, out = self.meta, []
        q = " (**--quick: a smoke run, not figures to quote**)" if m.get("quick") else ""
        out.append("Generated by `bench/run.sh%s` on %s%s." % (
            " --quick" if m.get("quick") else "", self.machine().get("date", "?"), q))
        out.append("")
        out.append("### Machine")
        out.append("")
        for k, v in self.machine().items():
            if k != "date":
                out.append("- %s: %s" % (k, v))
        out.append("- other load: %s" % os.environ.get(
            "BENCH_LOAD_NOTE", "none known; the load average above says what else ran"))
        out.append("")
        out.append("Runs per command: %s (warm-up %s); valgrind/heaptrack rows: %s runs, at the smaller size "
                   "shown, against the base build at that size (their own base row)." % (
                       m.get("runs"), m.get("warmup"), m.get("slow_runs")))
        out.append("")
        if self.clock:
            out.append("### Timestamp cost (bench/clock_cost.c)")
            out.append("")
            out.append("| clock | ns per read |")
            out.append("|---|---:|")
            for k, v in self.clock.items():
                if k not in PAGE_COSTS:
                    out.append("| `%s` | %.1f |" % (k, v))
            out.append("")
            if self.clock.get("first_touch_page", 0) > 0:
                out.append("A fresh page of memory costs **%.1f µs** at its first write here (its page fault, median "
                           "of 256-page rounds): start-up and the export touch fresh memory, so their cost moves "
                           "with this figure from machine to machine." % (self.clock["first_touch_page"] / 1e3))
                pop, fil = self.clock.get("populated_page_write", 0), self.clock.get("file_page_read", 0)
                if pop > 0 and fil > 0:
                    out.append("A page the process has not used before costs here even where it takes no page "
                               "fault of its own: **%.1f µs** at the first write to a page mapped in beforehand "
                               "(`MADV_POPULATE_WRITE`, as the runtime maps the tables it fills) and **%.1f µs** "
                               "at the first read of a page of a file in the page cache (code, the C library's "
                               "included). The page-fault columns below count the first kind once, when it is mapped "
                               "in, and the second about once per 16 pages (the kernel maps a file's neighbouring "
                               "pages with each fault), never that cost of their first use: a configuration's "
                               "time can exceed what its instructions and page faults explain." % (
                                   pop / 1e3, fil / 1e3))
                huge = self.clock.get("huge_range_page_write", 0)
                if huge > 0:
                    out.append("In a 2 MiB range advised for a transparent huge page (`MADV_HUGEPAGE`, as the "
                               "runtime's hot range is: timeline, allocation traces, calling-context chunks, the "
                               "export's buffers), the first writes to 256 of its pages cost **%.2f µs** a page "
                               "(%.0f µs in all: the kernel zeroes and maps the whole huge page at the first one)." % (
                                   huge / 1e3, huge * 256 / 1e3))
                out.append("")
        fib, tr, gr = m.get("fib", {}), m.get("trees", {}), m.get("grid", {})
        out += self.workload_table(
            "fib", "Call-heavy: recursive fib(%s), %s calls" % (fib.get("n"), fmt_int(fib.get("calls", 0))),
            fib.get("calls"), fib.get("calls"), "call", "", "fib(%s)" % fib.get("n"))
        if fib.get("tprof_calls"):
            out.append("tprof counted %s calls (fib's plus `main`)." % fmt_int(fib["tprof_calls"]))
            out.append("")
        out += self.workload_table(
            "trees", "Allocation-heavy: %s binary trees of depth %s, %s allocations" % (
                tr.get("iterations"), tr.get("depth"), fmt_int(tr.get("allocations", 0))),
            tr.get("allocations"), tr.get("slow_allocations"), "allocation", "",
            "%s trees, %s allocations" % (tr.get("slow_iterations"), fmt_int(tr.get("slow_allocations", 0))))
        if tr.get("tprof_allocations"):
            out.append("tprof counted %s allocations and %s calls." % (
                fmt_int(tr["tprof_allocations"]), fmt_int(tr["tprof_calls"])))
            out.append("")
        gev = (gr.get("calls") or 0) + (gr.get("allocations") or 0)
        gsev = (gr.get("slow_calls") or 0) + (gr.get("slow_allocations") or 0)
        out += self.workload_table(
            "grid", "Grid-DSL: the %s example programs × %s grids × %s rounds in one process, "
                    "%s calls + %s allocations" % (gr.get("programs"), 6, gr.get("repeat"),
                                                   fmt_int(gr.get("calls") or 0), fmt_int(gr.get("allocations") or 0)),
            gev, gsev, "event (call or allocation)", "", "%s rounds" % gr.get("slow_repeat"))
        floor = self.figures.get(("grid", "floor"))
        if floor:
            out.append("**Floor** (what the timestamp reads and allocation-table updates alone cost on this "
                       "workload): +%.1f ms over the base build, %.1f ns per event; 1.2 × floor = +%.1f ms." % (
                           floor["overhead"] * 1e3, floor["ns"], 1.2 * floor["overhead"] * 1e3))
            out.append("")
        out += self.ir_section()
        fns = self.functions()
        if fns:
            out.append("### Functions emitted at `-O2` for the grid-DSL workload")
            out.append("")
            out.append("Defined function symbols of its 24 objects (`nm`), without the instrumentation's own. "
                       "Fewer functions means more inlining.")
            out.append("")
            out.append("| build | functions |")
            out.append("|---|---:|")
            for k, label in (("base", "plain `-O2`"), ("tprof", "tprof"), ("tall", "tprof, `TPROF_TIMING=all`"),
                             ("ipg", "`-fprofile-instr-generate`")):
                if k in fns:
                    out.append("| %s | %s |" % (label, fmt_int(fns[k])))
            out.append("")
        for f, title in (("big", "%s small functions (bench/gen_big_tu.py)" % fmt_int(m.get("big_funcs", 0))),
                         ("fair", "%s functions of code that `-O2` keeps (bench/gen_fair_tu.py, %s units)" % (
                             fmt_int(8 * m.get("fair_units", 0)), m.get("fair_units")))):
            cf = self.compile_figures(f)
            if not cf:
                continue
            out.append("### Compile time: " + title)
            out.append("")
            out.append("| command | median s | ratio | mean user CPU s | user CPU ratio | runs | instructions | instructions: ratio |")
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
            for k, r in cf.items():
                out.append("| `%s` | %.2f | %.3f | %.2f | %.3f | %d | %s | %s |" % (
                    k, r["median"], r["ratio"], r["user"], r["user_ratio"], r["runs"],
                    fmt_int(r["ir"]) if r["ir"] else "–", "%.3f" % r["ir_ratio"] if r["ir_ratio"] else "–"))
            if f == "big" and any(r["ir"] for r in cf.values()):
                out.append("")
                out.append("Instructions: valgrind callgrind of one compile of the same generator's file at %s "
                           "functions." % fmt_int(m.get("big_ir_funcs", 0)))
            out.append("")
        ch = m.get("churn", {})
        if results(self.res, "churn") or self.st.get(("churn", "base")):
            out += self.simple_table("churn", "Thread churn: %s threads, created and joined %s at a time (bench/churn.c)"
                                     % (fmt_int(ch.get("threads", 0)), ch.get("batch")), [], lambda c: [])
            ex = self.churn_export()
            if ex:
                out.append("`tprof_export()` alone after the churn (`churn-export`, median of the runs): " +
                           ", ".join("%.1f ms after %s threads" % (v, fmt_int(t)) for t, v in sorted(ex.items())) + ".")
                out.append("")
        dp = m.get("deep", {})
        if results(self.res, "deep") or self.st.get(("deep", "base")):
            calls = dp.get("calls") or 0

            def deep_cols(c):
                p = self.phases("deep", c)
                b = self.phases("deep", "base")
                if "deep" not in p or "flat" not in p:
                    return ["–"] * 4
                col = ["%.1f" % (p["deep"] * 1e3), "%.1f" % (p["flat"] * 1e3)]
                if c == "base" or "deep" not in b or not calls:
                    return col + ["–", "–"]
                dn, fn = (p["deep"] - b["deep"]) / calls * 1e9, (p["flat"] - b["flat"]) / calls * 1e9
                return col + ["%.1f / %.1f" % (dn, fn), "%.2f" % (dn / fn) if fn > 0 else "–"]
            out += self.simple_table(
                "deep", "Deep changing paths against flat calls: %s walks %s levels deep, then as many flat calls "
                "(bench/deep_walks.c, %s calls each part)" % (fmt_int(dp.get("walks", 0)), dp.get("depth"), fmt_int(calls)),
                ["deep part ms", "flat part ms", "ns added per call, deep / flat", "deep / flat"], deep_cols)
            out.append("The parts' times are medians of what the program measured around each part in the timed "
                       "runs; `flat_loop`'s `leaf` is a tiny leaf, timed only in the `TPROF_TIMING=all` build, which is "
                       "the like-for-like comparison of a call on a new path with a call on a known one.")
            out.append("")
        it = m.get("interp", {})
        if results(self.res, "interp") or self.st.get(("interp", "base")):
            def interp_cols(c):
                p = self.phases("interp", c)
                return ["%.1f" % (p[k] * 1e3) if k in p else "–" for k in ("parse", "run")]
            out += self.simple_table(
                "interp", "Interpreter-like: %s generated statements parsed and run %s times (bench/interp.c)" % (
                    fmt_int(it.get("statements", 0)), it.get("rounds")),
                ["parse ms", "run ms"], interp_cols)
        if results(self.res, "one") or self.st.get(("one", "base")):
            def one_cols(c):  # the time added: (ratio - 1) x the base median, as the ratio is taken
                f = self.figures.get(("one", c))
                faults = self.check.get(("one", c), {}).get("faults", -1)
                added = "–" if c == "base" or not f else "%+.2f" % (f["overhead"] * 1e3)
                return [added, fmt_int(faults) if faults >= 0 else "–"]
            out += self.simple_table(
                "one", "The main job's shape: one transpiled program in a process of its own (p22: 40 operations on "
                "the 6 example grids, with examples/grid_dsl/driver.c)",
                ["ms added per process", "page faults (one run)"], one_cols)
            out.append("Start-up, the program and the export at exit, whole: a campaign that runs thousands of "
                       "transpiled programs pays this per program. The export's share is in the export rows of "
                       "the targets.")
            out.append("")
        ex = self.export_ms()
        if ex:
            size = ""
            try:
                size = open(os.path.join(self.res, "export_bytes.txt")).read().strip()
                size = ", %.1f MB written" % (int(size) / 1e6)
            except (OSError, ValueError):
                pass
            out.append("### Export time: 100,000 functions, 1,000,000 traced allocations (bench/gen_export_bench.py)")
            out.append("")
            out.append("`tprof_export()` alone, timed with `clock_gettime` around the call: median **%.0f ms** "
                       "over %d runs (%s ms)%s." % (statistics.median(ex), len(ex),
                                                    ", ".join("%.0f" % x for x in ex), size))
            out.append("")
        out.append("### Targets")
        out.append("")
        out.append("| target | measured | verdict |")
        out.append("|---|---|---|")
        for target, measured, ok, why in self.target_rows():
            verdict = ("not measured" if ok is None else "for information" if ok == "info"
                       else "met " + why if ok == "time-only" else "met" if ok else "**NOT MET**")
            if ok is False:
                verdict += ": " + self.reason(why)
            out.append("| %s | %s | %s |" % (target, measured, verdict))
        out.append("")
        return "\n".join(out)

    def costs_table(self):
        """README's table of what each run-time mode costs (call after
        render(), which computes the figures): the grid bench in one
        process, and one transpiled program per process."""
        F, m = self.figures, self.meta
        out = ["What each mode cost in the last `bench/run.sh` (%s; docs/BENCHMARKS.md has every table, the "
               "targets and how it measures)%s:" % (self.machine().get("date", "?"),
                                                    ", **a --quick smoke run**" if m.get("quick") else ""), "",
               "| mode | grid bench, 22 programs in one process: time | instructions | target (issue 12) "
               "| one program per process (p22): time | time added per process |",
               "|---|---:|---:|---|---:|---:|"]
        modes = (("tprof-off", "compiled in, everything off at run time"),
                 ("tprof-light", "light level (`%s`)" % m.get("light_options", "?")),
                 ("tprof-all", "defaults (everything on)"),
                 ("tall-all", "built with `TPROF_TIMING=all`, defaults"),
                 ("instrprof", "for comparison: clang `-fprofile-instr-generate` (counts only)"))
        verdicts = {True: "met", False: "**NOT MET**", "time-only": "met by the time only", None: "not measured"}
        for c, what in modes:
            g, one, irf = F.get(("grid", c)), F.get(("one", c)), self.irfig.get(("grid", c))
            if not g and not one:
                continue
            target = "–"
            if c in self.grid_verdicts:
                lim, ok = self.grid_verdicts[c]
                target = "≤ %.2f×: %s" % (lim, verdicts[ok])
            out.append("| %s | %s | %s | %s | %s | %s |" % (
                what, "%.2f×" % g["ratio"] if g else "–", "%.2f×" % irf["ratio"] if irf else "–", target,
                "%.2f×" % one["ratio"] if one else "–", "%+.2f ms" % (one["overhead"] * 1e3) if one else "–"))
        out.append("")
        return "\n".join(out)

    def machine(self):
        d = {}
        try:
            for line in open(os.path.join(self.res, "machine.txt")):
                if ":" in line:
                    k, v = line.split(":", 1)
                    d[k.strip()] = v.strip()
        except OSError:
            pass
        return d


def replace_between(path, begin, end, text):
    doc = open(path).read()
    if begin not in doc or end not in doc:
        sys.exit("report.py: %s has no %s ... %s markers" % (path, begin, end))
    head, rest = doc.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w") as f:
        f.write(head + begin + "\n" + text + "\n" + end + tail)
    print("report.py: rewrote the generated part of %s" % path, file=sys.stderr)


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2 == 0 or any(a not in ("--write-doc", "--write-readme") for a in args[1::2]):
        sys.exit(__doc__)
    rep = Report(args[0])
    text = rep.render()
    print(text)
    for flag, path in zip(args[1::2], args[2::2]):
        if flag == "--write-doc":
            replace_between(path, BEGIN, END, text)
        else:
            replace_between(path, COSTS_BEGIN, COSTS_END, rep.costs_table())


if __name__ == "__main__":
    main()
