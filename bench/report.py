#!/usr/bin/env python3
"""Prints the benchmark tables from the results bench/run.sh left in RESULTS
(hyperfine JSON files, status.tsv, meta.json, clock.txt, export.txt,
machine.txt), as Markdown. With --write-doc FILE, also replaces the text
between the markers <!-- bench:begin --> and <!-- bench:end --> of FILE.

    report.py RESULTS [--write-doc docs/BENCHMARKS.md]
"""
import json
import os
import re
import statistics
import sys

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

LABELS = {
    "base": "uninstrumented `-O2`",
    "tprof-cpu": "tprof, CPU profiling only",
    "tprof-mem": "tprof, memory tracking only",
    "tprof-all": "tprof, everything on",
    "tprof-light": "tprof, light level",
    "tprof-off": "tprof compiled in, everything off at run time",
    "floor": "floor: timestamp reads + allocation table only",
    "fin-count": "`-finstrument-functions`, counting hooks",
    "fin-clock": "`-finstrument-functions`, `clock_gettime` hooks",
    "gprof": "gprof (`-pg`)",
    "uftrace": "uftrace record (`-pg` build)",
    "xray": "LLVM XRay, basic mode",
    "callgrind": "valgrind callgrind",
    "heaptrack": "heaptrack",
    "massif": "valgrind massif",
}
ORDER = list(LABELS)


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

    def workload_table(self, w, title, events, slow_events, unit, size, slow_size):
        out = []
        fast, slow = results(self.res, w), results(self.res, w + "-slow")
        out.append("### " + title)
        out.append("")
        out.append("| configuration | median s | ratio to base | ns per %s | runs | spread (IQR) |" % unit)
        out.append("|---|---:|---:|---:|---:|---:|")
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
                    out.append("| %s | %s | | | | |" % (label, why))
                    continue
                ratio = r["median"] / base["median"]
                ns = (r["median"] - base["median"]) / ev * 1e9 if ev else float("nan")
                self.figures[(group, c)] = dict(median=r["median"], base=base["median"], ratio=ratio, ns=ns,
                                                overhead=r["median"] - base["median"])
                out.append("| %s | %.4f | %s | %s | %d | %s |" % (
                    label, r["median"], "1" if c == "base" else "%.3f" % ratio,
                    "–" if c == "base" else "%.1f" % ns, len(r["times"]), spread(r)))
        out.append("")
        return out

    def target_rows(self):
        F = self.figures
        rows = []

        def add(target, measured, ok, reason_if_not):
            rows.append((target, measured, ok, reason_if_not))

        def get(g, c):
            return F.get((g, c))

        rdtsc = self.clock.get("rdtsc")
        cpu, fclk, uf = get("fib", "tprof-cpu"), get("fib", "fin-clock"), get("fib", "uftrace")
        if cpu and rdtsc:
            lim = 2 * rdtsc + 5
            add("profiled call (enter + exit, CPU on) ≤ 2 timestamp reads + 5 ns (fib)",
                "%.1f ns/call; limit 2 × %.1f + 5 = %.1f ns" % (cpu["ns"], rdtsc, lim), cpu["ns"] <= lim, "call")
        else:
            add("profiled call ≤ 2 timestamp reads + 5 ns (fib)", "not measured", None, "")
        if cpu and fclk:
            add("profiled call < ½ of the `clock_gettime` hooks' (fib)",
                "%.1f vs %.1f ns/call (%.2f×)" % (cpu["ns"], fclk["ns"], cpu["ns"] / fclk["ns"]),
                cpu["ns"] < 0.5 * fclk["ns"], "call-clock")
        if cpu and uf:
            add("profiled call < ¼ of uftrace's (fib)",
                "%.1f vs %.1f ns/call (%.2f×)" % (cpu["ns"], uf["ns"], cpu["ns"] / uf["ns"]),
                cpu["ns"] < 0.25 * uf["ns"], "call-uftrace")
        elif cpu:
            add("profiled call < ¼ of uftrace's (fib)", "uftrace " + self.st.get(("fib", "uftrace"), "not measured"),
                None, "")
        allon, floor, gclk = get("grid", "tprof-all"), get("grid", "floor"), get("grid", "fin-clock")
        if allon and floor:
            add("grid-DSL, everything on: overhead ≤ 1.2 × the floor's",
                "%.1f ms vs floor %.1f ms (%.2f×)" % (allon["overhead"] * 1e3, floor["overhead"] * 1e3,
                                                     allon["overhead"] / floor["overhead"]
                                                     if floor["overhead"] > 0 else float("inf")),
                allon["overhead"] <= 1.2 * floor["overhead"], "grid")
        if allon and gclk:
            add("grid-DSL, everything on: overhead < ½ of the `clock_gettime` hooks'",
                "%.1f ms vs %.1f ms (%.2f×)" % (allon["overhead"] * 1e3, gclk["overhead"] * 1e3,
                                               allon["overhead"] / gclk["overhead"]),
                allon["overhead"] < 0.5 * gclk["overhead"], "grid")
        light = get("grid", "tprof-light")
        if light:
            add("grid-DSL, light level < 3%", "%+.1f%%" % (100 * (light["ratio"] - 1)), light["ratio"] < 1.03, "light")
        else:
            add("grid-DSL, light level < 3%",
                "not measured: " + self.st.get(("grid", "tprof-light"), "?"), False, "light-missing")
        off = get("grid", "tprof-off")
        if off:
            add("grid-DSL, compiled in but off < 1%", "%+.1f%%" % (100 * (off["ratio"] - 1)), off["ratio"] < 1.01, "off")
        mem, ht = get("trees", "tprof-mem"), get("trees-slow", "heaptrack")
        if mem:
            add("binary trees, memory tracking only < 1.5 × base", "%.2f×" % mem["ratio"], mem["ratio"] < 1.5, "mem")
        if mem and ht:
            add("binary trees, memory tracking only: overhead < 1/10 of heaptrack's",
                "+%.0f%% vs heaptrack +%.0f%% (%.3f×)" % (100 * (mem["ratio"] - 1), 100 * (ht["ratio"] - 1),
                                                         (mem["ratio"] - 1) / (ht["ratio"] - 1)),
                (mem["ratio"] - 1) < (ht["ratio"] - 1) / 10, "heaptrack")
        elif mem:
            add("binary trees, memory tracking only: overhead < 1/10 of heaptrack's",
                "heaptrack " + self.st.get(("trees-slow", "heaptrack"), "not measured"), None, "")
        comp = results(self.res, "compile")
        if len(comp) == 2:
            a, b = comp["clang -O2"], comp["clang -O2 + tprof pass"]
            ratio = b["median"] / a["median"]
            add("compile time: the pass adds ≤ 5% to `clang -O2` (20,000 functions)",
                "%+.1f%% wall (%+.1f%% user CPU)" % (100 * (ratio - 1), 100 * (b["user"] / a["user"] - 1)),
                ratio <= 1.05, "compile")
        ex = self.export_ms()
        if ex:
            med = statistics.median(ex)
            add("export of 100,000 functions + 1,000,000 traces < 1 s", "%.0f ms (median)" % med, med < 1000, "export")
        return rows

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
        if why == "grid":
            return ("everything on costs %.1f ns per event, the floor %.1f ns, CPU only %.1f ns, memory only "
                    "%.1f ns" % (g("grid", "tprof-all"), g("grid", "floor"), g("grid", "tprof-cpu"),
                                 g("grid", "tprof-mem")))
        if why == "light-missing":
            return "the runtime has no such option yet (it warns 'unknown option'), so there is no light level to measure"
        if why == "light":
            return "the light level still costs %.1f ns per event" % g("grid", "tprof-light")
        if why == "off":
            return ("with everything off each call still runs both hooks (%.1f ns per event here); even "
                    "`-finstrument-functions` with a one-increment hook costs %+.0f%% on this workload, whose "
                    "calls are mostly 2-line cell accessors: a call per entry and exit cannot fit in 1%%"
                    % (g("grid", "tprof-off"), 100 * (g("grid", "fin-count", "ratio") - 1)))
        if why == "mem":
            return ("memory tracking costs %.1f ns per allocation (with its free and the 3 calls per node "
                    "through the hooks; the run-time-off build costs %.1f ns), the floor (its table plus the timestamps of those 3 calls) %.1f ns"
                    % (g("trees", "tprof-mem"), g("trees", "tprof-off"), g("trees", "floor")))
        if why == "heaptrack":
            return ("heaptrack costs %.0f ns per allocation here (at the smaller size), tprof's memory tracking "
                    "%.0f ns" % (g("trees-slow", "heaptrack"), g("trees", "tprof-mem")))
        if why == "compile":
            return ("the instrumented module is bigger (two hook calls per function, a record per function "
                    "and per allocation site) and the whole `-O2` pipeline works on it")
        if why == "export":
            return "the export writes every function row and every trace row; see the export time above"
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
        out.append("- shared: two other engineers were compiling and testing on it during the run, so expect noise")
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
                out.append("| `%s` | %.1f |" % (k, v))
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
        comp = results(self.res, "compile")
        if comp:
            out.append("### Compile time: one translation unit of 20,000 functions (bench/gen_big_tu.py)")
            out.append("")
            out.append("| command | median s | ratio | mean user CPU s | runs |")
            out.append("|---|---:|---:|---:|---:|")
            base = comp.get("clang -O2")
            for k, r in comp.items():
                out.append("| `%s` | %.2f | %.3f | %.2f | %d |" % (k, r["median"], r["median"] / base["median"],
                                                                 r["user"], len(r["times"])))
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
            verdict = "not measured" if ok is None else ("met" if ok else "**NOT MET**")
            if ok is False:
                verdict += ": " + self.reason(why)
            out.append("| %s | %s | %s |" % (target, measured, verdict))
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


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    rep = Report(args[0])
    text = rep.render()
    print(text)
    if len(args) >= 3 and args[1] == "--write-doc":
        path = args[2]
        doc = open(path).read()
        if BEGIN not in doc or END not in doc:
            sys.exit("report.py: %s has no %s ... %s markers" % (path, BEGIN, END))
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(path, "w") as f:
            f.write(head + BEGIN + "\n" + text + "\n" + END + tail)
        print("report.py: rewrote the generated part of %s" % path, file=sys.stderr)


if __name__ == "__main__":
    main()
