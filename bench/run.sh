#!/usr/bin/env bash
# tprof benchmarks (docs/BENCHMARKS.md): builds tprof into build/bench-14,
# every workload variant into build/bench-work/, runs them side by side with
# hyperfine and prints the tables (median, ratio to the uninstrumented -O2
# build, ns per event), the compile-time and export-time figures and the
# targets.
#
#   bench/run.sh [--quick] [--write-doc]
#
#   --quick       3 runs per command (1 warm-up, 2 for the slow tools):
#                 a smoke test, figures not meant to be quoted
#   --write-doc   also rewrite the generated part of docs/BENCHMARKS.md
#                 and README.md's table of what each mode costs
#
# Environment: BENCH_RUNS (runs per command, default 30), BENCH_WARMUP
# (default 2), BENCH_SLOW_RUNS (valgrind/heaptrack and thread-churn runs,
# default 5), BENCH_COMPILE_RUNS (default 5, no warm-up), BENCH_PASSES
# (default: as many as the runs: each group's runs are split into that many
# rounds over all its commands, one run of each per round, so that the
# machine's changes of speed fall on every command alike), BENCH_EXPORT_RUNS (default 5), BENCH_LONG_RUN (seconds, default 10: a group in which one run
# of a command takes longer gets 2 runs and no warm-up, so that a slow
# runtime cannot make the bench take hours), BENCH_LIGHT_OPTIONS (the
# TPROF_OPTIONS of the "light" level, default
# cpu_timing=operations:memory_tracking_enabled=0:resource_monitoring_enabled=0).
set -eu
cd "$(dirname "$0")/.."

quick=0 write_doc=0
for a in "$@"; do
  case $a in
    --quick) quick=1 ;;
    --write-doc) write_doc=1 ;;
    -h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$a' (try --help)" >&2; exit 2 ;;
  esac
done
runs=${BENCH_RUNS:-30} warmup=${BENCH_WARMUP:-2} slow_runs=${BENCH_SLOW_RUNS:-5}
compile_runs=${BENCH_COMPILE_RUNS:-15} passes=${BENCH_PASSES:-$runs} export_runs=${BENCH_EXPORT_RUNS:-5} long_run=${BENCH_LONG_RUN:-10}
if [ $quick = 1 ]; then runs=3 warmup=1 slow_runs=2 compile_runs=2 export_runs=3 passes=1; fi
light_opts=${BENCH_LIGHT_OPTIONS:-cpu_timing=operations:memory_tracking_enabled=0:resource_monitoring_enabled=0}

# Workload sizes. The slow tools (valgrind, heaptrack) run a smaller size,
# side by side with the base build at that size.
fib_n=32 fib_calls=7049155                        # 2*fib(33)-1 calls of fib
trees_iter=10 trees_depth=16 trees_slow_iter=2
grid_repeat=20 grid_slow_repeat=2
churn_threads=20000 churn_batch=4
deep_walks=3000 deep_depth=300
interp_statements=4000 interp_rounds=25
# Instruction counts (callgrind) at two small sizes: the difference between
# them is what the events cost, without start-up and export.
fib_ir_sizes="20 22" trees_ir_sizes="1:14 2:14" grid_ir_sizes="1 2"
big_funcs=6000 fair_units=80
# The compiles' instruction counts: gen_big_tu.py at a smaller size (its
# ratios at 1,500 and 6,000 functions differ by ~1 point), gen_fair_tu.py whole.
big_ir_funcs=1500

. scripts/lib/deps.sh
tprof_require_packages $(tprof_base_packages 14) hyperfine binutils time || exit 2
for p in uftrace heaptrack valgrind; do
  tprof_require_packages "$p" || echo "bench: $p could not be installed; its rows will read 'not available'" >&2
done

b=build/bench-14
work=build/bench-work
res=$work/results
tmp=$work/tmp
dsl=examples/grid_dsl
mkdir -p build "$work/bin" "$work/obj" "$work/grid" "$res" "$tmp"
rm -rf "${res:?}"/*

echo "bench: building tprof (Release, LLVM 14) into $b" >&2
if [ ! -f "$b/CMakeCache.txt" ] || grep -q '^CJSON_INCLUDE_DIR:PATH=.*NOTFOUND' "$b/CMakeCache.txt"; then
  cmake -S . -B "$b" -DTPROF_LLVM_VERSION=14 -DCMAKE_BUILD_TYPE=Release -U 'CJSON_*' >"$work/configure.log" 2>&1 ||
    { cat "$work/configure.log" >&2; exit 1; }
fi
cmake --build "$b" -j2 >"$work/build.log" 2>&1 || { tail -50 "$work/build.log" >&2; exit 1; }
[ -x "$b/bin/tprof-dsl" ] || { echo "bench: $b/bin/tprof-dsl was not built (libcjson-dev?)" >&2; exit 1; }

cc=/usr/lib/llvm-14/bin/clang
plugin=$b/lib/tprof.so
rt=$b/lib/libtprof_rt.a
export cc plugin work dsl

# ---- building the variants -------------------------------------------------
# Object flavours: base (-O2 -g), tprof (+ the pass), tall (+ the pass with
# TPROF_TIMING=all: every function timed), fin (+ -finstrument-functions),
# pg (+ -pg), xray (+ -fxray-instrument), ipg (+ -fprofile-instr-generate,
# clang's own exact counters). All with the same clang 14;
# -gdwarf-4 because valgrind 3.19 cannot read the DWARF 5 of the grid build.
flags_of() {
  case $1 in
    base) echo "-O2 -g -gdwarf-4" ;;
    tprof | tall) echo "-O2 -g -gdwarf-4 -fpass-plugin=$plugin -Iinclude" ;;
    ipg) echo "-O2 -g -gdwarf-4 -fprofile-instr-generate" ;;
    fin) echo "-O2 -g -gdwarf-4 -finstrument-functions" ;;
    pg) echo "-O2 -g -gdwarf-4 -pg" ;;
    xray) echo "-O2 -g -gdwarf-4 -fxray-instrument -fxray-instruction-threshold=1" ;;
  esac
}
# obj FLAVOUR SRC OUT [PREFIX]: compiles; with PREFIX, every global symbol
# the object defines gets PREFIX_ in front (the 22 programs define the same
# names: run_program, program_operations, op_rotate_1, ...).
obj() {
  local flavour=$1 src=$2 out=$3 prefix=${4:-} f
  f=$(flags_of "$flavour")
  # TPROF_TIMING is read by the pass (the compile-time switch); a pass that
  # does not know it times every function anyway.
  if [ "$flavour" = tall ]; then export TPROF_TIMING=all; else unset TPROF_TIMING; fi
  # shellcheck disable=SC2086
  "$cc" $f -I"$dsl" -I"$work/grid" -Ibench -c "$src" -o "$out" || return 1
  if [ -n "$prefix" ]; then
    local args=()
    for s in $(nm --defined-only -g "$out" | awk '{print $3}'); do args+=(--redefine-sym "$s=${prefix}_$s"); done
    objcopy "${args[@]}" "$out"
  fi
}
export -f flags_of obj

flavours="base tprof tall fin pg xray ipg"
# The workloads of issues 11 and 13 are compared with the plain build only.
extra_workloads="churn deep_walks interp"
programs=("$dsl"/programs/*.json)
: >"$work/grid/grid_programs.h"
jobs=$work/compile.jobs
: >"$jobs"
for p in "${programs[@]}"; do
  name=$(basename "$p" .json)
  "$b/bin/tprof-dsl" "$p" -o "$work/grid/$name.c"
  echo "PROGRAM($name)" >>"$work/grid/grid_programs.h"
done
for f in $flavours; do
  mkdir -p "$work/obj/$f"
  for s in bench/fib.c bench/trees.c "$dsl/grid.c" bench/grid_bench.c; do
    echo "$f $s $work/obj/$f/$(basename "$s" .c).o" >>"$jobs"
  done
  for p in "${programs[@]}"; do
    name=$(basename "$p" .json)
    echo "$f $work/grid/$name.c $work/obj/$f/$name.o $name" >>"$jobs"
  done
done
for f in base tprof tall; do
  for w in $extra_workloads; do echo "$f bench/$w.c $work/obj/$f/$w.o" >>"$jobs"; done
done
# The main job's shape: one transpiled program (p22, 40 operations) in a
# process of its own, with the example driver, as scripts/demo.sh builds it.
for f in base tprof ipg; do
  echo "$f $work/grid/p22.c $work/obj/$f/one_p22.o" >>"$jobs"
  echo "$f $dsl/driver.c $work/obj/$f/driver.o" >>"$jobs"
done
echo "bench: compiling $(wc -l <"$jobs") objects" >&2
xargs -P 2 -L 1 bash -c 'obj "$@"' _ <"$jobs" || { echo "bench: a compilation failed" >&2; exit 1; }
"$cc" -O2 -Iinclude -c bench/floor_runtime.c -o "$work/obj/floor_runtime.o"
"$cc" -O2 -c bench/finstrument_hooks.c -o "$work/obj/hooks_count.o"
"$cc" -O2 -DCLOCK_HOOKS -c bench/finstrument_hooks.c -o "$work/obj/hooks_clock.o"
"$cc" -O2 -c bench/env_file.c -o "$work/obj/env_file.o"
"$cc" -O2 bench/clock_cost.c -o "$work/bin/clock_cost"
"$cc" -O2 -g -fpass-plugin="$plugin" -Iinclude -DTIME_EXPORT -c bench/churn.c -o "$work/obj/churn_export.o"
"$cc" "$work/obj/churn_export.o" "$rt" -lpthread -o "$work/bin/churn-export"

# link WORKLOAD VARIANT: VARIANT is a flavour, or floor / fin-count / fin-clock,
# or export (the tprof objects with bench/export_timer.c).
# The floor times every call, so it links the TPROF_TIMING=all objects.
link() {
  local w=$1 v=$2 fl objs=() extra=()
  case $v in
    base | tprof | tall | pg | xray | ipg) fl=$v ;;
    floor) fl=tall ;;
    fin-count | fin-clock) fl=fin ;;
    export) fl=tprof ;;
  esac
  case $w in
    fib | trees | churn | deep_walks | interp) objs=("$work/obj/$fl/$w.o") ;;
    one) objs=("$work/obj/$fl/one_p22.o" "$work/obj/$fl/grid.o" "$work/obj/$fl/driver.o") ;;
    grid)
      objs=("$work/obj/$fl/grid_bench.o" "$work/obj/$fl/grid.o")
      for p in "${programs[@]}"; do objs+=("$work/obj/$fl/$(basename "$p" .json).o"); done ;;
  esac
  case $v in
    tprof | tall) extra=("$rt" -lpthread) ;;
    export) extra=("$work/obj/export_timer.o" "$rt" -lpthread) ;;
    ipg) extra=(-fprofile-instr-generate) ;;
    floor) extra=("$work/obj/floor_runtime.o") ;;
    fin-count) extra=("$work/obj/hooks_count.o") ;;
    fin-clock) extra=("$work/obj/hooks_clock.o") ;;
    pg) extra=(-pg) ;;
    xray) extra=(-fxray-instrument) ;;
  esac
  "$cc" "${objs[@]}" "$work/obj/env_file.o" "${extra[@]}" -lpthread -o "$work/bin/$w-$v"
}
for w in fib trees grid; do
  for v in base tprof tall floor fin-count fin-clock pg xray ipg; do link "$w" "$v"; done
done
for w in $extra_workloads; do
  for v in base tprof tall; do link "$w" "$v"; done
done
for v in base tprof ipg; do link one "$v"; done

# Functions emitted at -O2 for the grid bench: defined function symbols of
# its objects, without the instrumentation's own (module constructors,
# instrprof's helpers). Inlining decides most of this number.
for f in base tprof tall ipg; do
  n=0
  for o in "$work/obj/$f/grid_bench.o" "$work/obj/$f/grid.o" "${programs[@]}"; do
    case $o in *.json) o=$work/obj/$f/$(basename "$o" .json).o ;; esac
    n=$((n + $(nm --defined-only "$o" | awk '$2 ~ /^[TtWw]$/ && $3 !~ /tprof|__llvm_prof|__profc|__profd/' | wc -l)))
  done
  printf '%s\t%s\n' "$f" "$n" >>"$res/functions.tsv"
done

# ---- measuring -------------------------------------------------------------
tp_out=$tmp/tprof
status=$res/status.tsv
: >"$status"
rm -rf "$res/phases" && mkdir -p "$res/phases"
light_ok=0
if env TPROF_OPTIONS="$light_opts:export_profiling_data=0" "$work/bin/fib-tprof" 5 2>&1 >/dev/null |
  grep -q "unknown option\|bad value"; then
  echo "bench: the light level ($light_opts) is not implemented in the runtime yet" >&2
else
  light_ok=1
fi

# variant_cmd WORKLOAD CONFIG ARGS...: the command line of one configuration.
variant_cmd() {
  local w=$1 c=$2; shift 2
  local a="$*"
  case $c in
    base) echo "env $work/bin/$w-base $a" ;;
    tprof-cpu) echo "env TPROF_OPTIONS=output_dir=$tp_out:memory_tracking_enabled=0:resource_monitoring_enabled=0 $work/bin/$w-tprof $a" ;;
    tprof-mem) echo "env TPROF_OPTIONS=output_dir=$tp_out:cpu_profiling_enabled=0 $work/bin/$w-tprof $a" ;;
    tprof-all) echo "env TPROF_OPTIONS=output_dir=$tp_out $work/bin/$w-tprof $a" ;;
    tprof-light) echo "env TPROF_OPTIONS=output_dir=$tp_out:$light_opts $work/bin/$w-tprof $a" ;;
    tprof-off) echo "env TPROF_OPTIONS=cpu_profiling_enabled=0:memory_tracking_enabled=0:operation_timing_enabled=0:resource_monitoring_enabled=0:export_profiling_data=0 $work/bin/$w-tprof $a" ;;
    tall-all) echo "env TPROF_OPTIONS=output_dir=$tp_out $work/bin/$w-tall $a" ;;
    instrprof) echo "env LLVM_PROFILE_FILE=$tmp/instrprof.profraw $work/bin/$w-ipg $a" ;;
    floor) echo "env $work/bin/$w-floor $a" ;;
    fin-count) echo "env $work/bin/$w-fin-count $a" ;;
    fin-clock) echo "env $work/bin/$w-fin-clock $a" ;;
    gprof) echo "env GMON_OUT_PREFIX=$tmp/gmon $work/bin/$w-pg $a" ;;
    uftrace) echo "env GMON_OUT_PREFIX=$tmp/gmon uftrace record -d $tmp/uftrace.data $work/bin/$w-pg $a" ;;
    xray) echo "env XRAY_OPTIONS='patch_premain=true xray_mode=xray-basic verbosity=0 xray_logfile_base=$tmp/xray-log.' $work/bin/$w-xray $a" ;;
    callgrind) echo "valgrind --tool=callgrind --callgrind-out-file=$tmp/callgrind.out $work/bin/$w-base $a" ;;
    heaptrack) echo "heaptrack -o $tmp/heaptrack $work/bin/$w-base $a" ;;
    massif) echo "valgrind --tool=massif --massif-out-file=$tmp/massif.out $work/bin/$w-base $a" ;;
  esac
}

available() {
  case $1 in
    uftrace) command -v uftrace >/dev/null ;;
    heaptrack) command -v heaptrack >/dev/null ;;
    callgrind | massif) command -v valgrind >/dev/null ;;
    tprof-light) [ $light_ok = 1 ] ;;
    *) true ;;
  esac
}

# checked_run NAME CONFIG CMD: runs CMD once (through sh) and prints its
# stdout; appends "NAME CONFIG max-RSS-KiB seconds metrics.json-bytes
# minor-page-faults" to check.tsv. GNU time measures the RSS and the faults:
# a child forked by python would count python's own pages (the RSS before
# exec counts).
checked_run() {
  python3 -c '
import subprocess, sys, time, glob, os
rss = sys.argv[6]
t = time.monotonic()
p = subprocess.run(["/usr/bin/time", "-q", "-f", "%M %R", "-o", rss, "sh", "-c", sys.argv[4]], stdout=subprocess.PIPE)
t = time.monotonic() - t
sys.stdout.buffer.write(p.stdout)
m = glob.glob(os.path.join(sys.argv[5], "*_metrics.json"))
size = os.path.getsize(m[0]) if m else -1
try:
    kb, faults = (int(x) for x in open(rss).read().split()[-2:])
except (OSError, ValueError):
    kb, faults = -1, -1
with open(sys.argv[1], "a") as f:
    f.write("%s\t%s\t%d\t%.3f\t%d\t%d\n" % (sys.argv[2], sys.argv[3], kb, t, size, faults))
sys.exit(p.returncode)' "$res/check.tsv" "$1" "$2" "$3" "$tp_out" "$work/checked_run.rss"
}

# interleaved OUT.json RUNS WARMUP HYPERFINE-ARGS...: RUNS runs of every
# command, taken in up to $passes rounds of hyperfine over all the commands
# (the first round after WARMUP runs; later ones find the page cache warm),
# merged into one hyperfine-style OUT.json.
# In one invocation, hyperfine runs all of a command's runs back to back:
# on a shared VM whose speed drifts over minutes, the command timed last
# then ran on another machine than the base build (ratios of unchanged
# code moved by 0.2x between bench runs). One run of each command per
# round (the default) pairs a command's run with the base build's a
# fraction of a second apart, where rounds of 3 runs left seconds between
# them, and the median is taken over as many round ratios as runs
# (2026-12-05, binary trees memory-only, three trials each: the median of
# 5 rounds of 3 runs gave 1.452-1.505x, of 15 rounds of 1 run
# 1.471-1.498x; 40 rounds of 1 run, a 95% bootstrap interval of +-0.03x).
interleaved() {
  local out=$1 n=$2 w=$3; shift 3
  local k=$passes p per done=0 parts=()
  [ "$k" -gt "$n" ] && k=$n
  [ "$k" -lt 1 ] && k=1
  for p in $(seq "$k"); do
    per=$(((n - done) / (k - p + 1)))
    done=$((done + per))
    "$@" --warmup "$w" --runs "$per" --export-json "$out.pass$p" || return 1
    w=0
    parts+=("$out.pass$p")
  done
  python3 - "$out" "${parts[@]}" <<'PY'
import json, statistics, sys
out, parts = sys.argv[1], [json.load(open(p)) for p in sys.argv[2:]]
merged = []
for i, first in enumerate(parts[0]["results"]):
    rs = [p["results"][i] for p in parts]
    times = [t for r in rs for t in r["times"]]
    weight = lambda key: sum(r[key] * len(r["times"]) for r in rs) / len(times)
    m = dict(first, times=times, mean=statistics.mean(times), median=statistics.median(times),
             min=min(times), max=max(times), user=weight("user"), system=weight("system"),
             stddev=statistics.stdev(times) if len(times) > 1 else 0.0)
    m["pass_runs"] = [len(r["times"]) for r in rs]  # the rounds' boundaries in times (report.py's ratios)
    if "exit_codes" in first:
        m["exit_codes"] = [c for r in rs for c in r["exit_codes"]]
    merged.append(m)
json.dump({"results": merged}, open(out, "w"), indent=1)
PY
  rm -f "${parts[@]}"
}

# direct_cmd RUN CMD: CMD ("env NAME=VALUE... PROGRAM ARGS...") as a plain
# exec of PROGRAM hard-linked as $work/run/RUN, its environment in
# $work/run/RUN.env (read by bench/env_file.c's constructor): an env(1) in
# front of every run cost ~2.4 ms of exec on the bench's VM, in the plain
# build's time too, which shrank every ratio. Wrapped programs (valgrind,
# heaptrack, uftrace) and XRay (it reads XRAY_OPTIONS before any
# constructor runs) keep CMD.
direct_cmd() {
  local run=$1 cmd=$2 envs=() prog
  eval "set -- ${cmd#env }"
  while [ $# -gt 0 ] && [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do envs+=("$1") && shift; done
  prog=${1:-}
  if [[ $prog != "$work"/bin/* || $prog == *-xray ]]; then
    echo "$cmd"
    return
  fi
  shift
  mkdir -p "$work/run"
  ln -f "$prog" "$work/run/$run"
  printf '%s\n' "${envs[@]}" >"$work/run/$run.env"
  echo "$work/run/$run $*"
}

# group NAME RUNS WORKLOAD ARGS -- CONFIGS...: one hyperfine invocation with
# every configuration side by side. Each configuration is run once first:
# when it fails or prints another result than the base build, it is left out
# (and the status says why). That run also gives the max RSS and the size of
# metrics.json (check.tsv); when it takes longer than BENCH_LONG_RUN seconds,
# that configuration gets 2 runs and no warm-up, in a hyperfine run of its
# own after the others' (a slow tool, such as XRay's basic mode on this VM,
# once cut every row of its group to 2 runs; when the base build itself is
# that slow, the whole group gets 2 runs). Workloads that time their own parts
# append them to phases/NAME-CONFIG.txt (BENCH_PHASES, bench/phases.h), one
# line per part and run, warm-up runs included.
group() {
  local name=$1 n=$2 w=$3 args=$4; shift 5
  local hf=(hyperfine -N --style basic --prepare "sh -c 'rm -rf $tmp && mkdir -p $tmp'")
  local hf_long=("${hf[@]}") prefix_len=${#hf[@]} nlong=0 expect="" c cmd out secs long=0 is_long
  for c in "$@"; do
    if ! available "$c"; then
      if [ "$c" = tprof-light ]; then printf '%s\t%s\tnot implemented in the runtime yet\n' "$name" "$c" >>"$status"
      else printf '%s\t%s\tnot available (not installed)\n' "$name" "$c" >>"$status"; fi
      continue
    fi
    cmd=$(variant_cmd "$w" "$c" $args)
    cmd=$(direct_cmd "$name-$c" "env BENCH_PHASES=$res/phases/$name-$c.txt ${cmd#env }")
    rm -rf "$tmp" && mkdir -p "$tmp"
    if ! out=$(checked_run "$name" "$c" "$cmd" 2>"$work/$name-$c.stderr"); then
      printf '%s\t%s\tfailed: %s\n' "$name" "$c" "$(tail -1 "$work/$name-$c.stderr" | tr '\t' ' ')" >>"$status"
      continue
    fi
    rm -f "$res/phases/$name-$c.txt"
    secs=$(tail -1 "$res/check.tsv" | cut -f4)
    is_long=0
    if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" "$secs" "$long_run"; then
      is_long=1
      [ "$c" = base ] && long=1
      printf '%s\t%s:note\tone run took %s s (> BENCH_LONG_RUN=%s s): 2 runs, no warm-up\n' "$name" "$c" "$secs" "$long_run" >>"$status"
    fi
    out=$(echo "$out" | grep -E '^(fib|trees|grid_bench|churn|deep_walks|interp|[0-9]+ operations)' | tail -1)
    if [ "$c" = base ]; then expect=$out
    elif [ "$out" != "$expect" ]; then
      printf '%s\t%s\tfailed: printed "%s", the base build "%s"\n' "$name" "$c" "$out" "$expect" >>"$status"
      continue
    fi
    printf '%s\t%s\tok\n' "$name" "$c" >>"$status"
    if [ $is_long = 1 ]; then hf_long+=(-n "$c" "$cmd") && nlong=$((nlong + 1)); else hf+=(-n "$c" "$cmd"); fi
  done
  local warm=$warmup
  if [ $long = 1 ]; then # the base build is slow: every configuration gets 2 runs, side by side
    n=2 warm=0
    hf+=("${hf_long[@]:$prefix_len}") && nlong=0
  fi
  echo "bench: $name: hyperfine, $n runs per command" >&2
  interleaved "$res/$name.json" "$n" "$warm" "${hf[@]}" >"$work/$name.hyperfine.log" 2>&1 || {
    tail -20 "$work/$name.hyperfine.log" >&2
    printf '%s\t-\tfailed: hyperfine (%s)\n' "$name" "$(tail -1 "$work/$name.hyperfine.log")" >>"$status"
  }
  if [ $nlong -gt 0 ]; then
    echo "bench: $name: the slow configurations, 2 runs each" >&2
    if interleaved "$res/$name.long.json" 2 0 "${hf_long[@]}" >"$work/$name.long.hyperfine.log" 2>&1; then
      python3 - "$res/$name.json" "$res/$name.long.json" <<'PY'
import json, os, sys
extra = json.load(open(sys.argv[2]))
main = json.load(open(sys.argv[1])) if os.path.exists(sys.argv[1]) else {"results": []}
main["results"] += extra["results"]
json.dump(main, open(sys.argv[1], "w"), indent=1)
PY
    else
      tail -20 "$work/$name.long.hyperfine.log" >&2
      printf '%s\t-\tfailed: hyperfine of the slow configurations (%s)\n' "$name" \
        "$(tail -1 "$work/$name.long.hyperfine.log")" >>"$status"
    fi
    rm -f "$res/$name.long.json"
  fi
}

# Event counts: tprof's own metrics of one all-on run.
metrics() {
  local w=$1 args=$2
  rm -rf "$work/metrics-$w"
  TPROF_OPTIONS="output_dir=$work/metrics-$w" "$work/bin/$w-tprof" $args >/dev/null || true
  python3 - "$work/metrics-$w"/*_metrics.json <<'PY'
import json, sys
try:
    m = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    print("bench: no tprof metrics (%s)" % e, file=sys.stderr)
    print("None None")
    sys.exit(0)
def find(o, k):
    if isinstance(o, dict):
        if k in o and not isinstance(o[k], (dict, list)):
            return o[k]
        for v in o.values():
            r = find(v, k)
            if r is not None:
                return r
    elif isinstance(o, list):
        for v in o:
            r = find(v, k)
            if r is not None:
                return r
    return None
print(find(m, "total_calls"), find(m, "allocation_count"))
PY
}
read -r fib_tcalls fib_tallocs <<<"$(metrics fib "$fib_n")"
read -r trees_tcalls trees_tallocs <<<"$(metrics trees "$trees_iter $trees_depth")"
read -r trees_slow_tcalls trees_slow_tallocs <<<"$(metrics trees "$trees_slow_iter $trees_depth")"
read -r grid_tcalls grid_tallocs <<<"$(metrics grid "$dsl/grids/inputs.txt $grid_repeat")"
read -r grid_slow_tcalls grid_slow_tallocs <<<"$(metrics grid "$dsl/grids/inputs.txt $grid_slow_repeat")"
trees_allocs=$("$work/bin/trees-base" "$trees_iter" "$trees_depth" | sed -n 's/.* \([0-9]*\) allocations.*/\1/p')
trees_slow_allocs=$("$work/bin/trees-base" "$trees_slow_iter" "$trees_depth" | sed -n 's/.* \([0-9]*\) allocations.*/\1/p')

"$work/bin/clock_cost" >"$res/clock.txt"

fast="base tprof-cpu tprof-mem tprof-all tprof-light tprof-off tall-all floor fin-count fin-clock instrprof gprof uftrace xray"
slow="base callgrind heaptrack massif"
# shellcheck disable=SC2086
{
  group fib "$runs" fib "$fib_n" -- $fast
  group fib-slow "$slow_runs" fib "$fib_n" -- $slow
  group trees "$runs" trees "$trees_iter $trees_depth" -- $fast
  group trees-slow "$slow_runs" trees "$trees_slow_iter $trees_depth" -- $slow
  group grid "$runs" grid "$dsl/grids/inputs.txt $grid_repeat" -- $fast
  group grid-slow "$slow_runs" grid "$dsl/grids/inputs.txt $grid_slow_repeat" -- $slow
  group churn "$slow_runs" churn "$churn_threads $churn_batch" -- base tprof-all tprof-off
  group deep "$runs" deep_walks "$deep_walks $deep_depth" -- base tprof-all tprof-light tall-all
  group interp "$runs" interp "$interp_statements $interp_rounds" -- base tprof-all tprof-light tall-all
  group one "$runs" one "$dsl/grids/inputs.txt" -- base tprof-off tprof-light tprof-all instrprof
}

# ---- thread churn: export time after N/10 and N dead threads ----------------
: >"$res/churn_export.tsv"
churn_export_runs=3
[ $quick = 1 ] && churn_export_runs=1
for t in $((churn_threads / 10)) "$churn_threads"; do
  for i in $(seq "$churn_export_runs"); do
    rm -rf "$tmp/export" && mkdir -p "$tmp/export"
    ms=$(TPROF_OPTIONS="output_dir=$tmp/export:export_profiling_data=0" \
      "$work/bin/churn-export" "$t" "$churn_batch" 2>"$work/churn-export.stderr" | sed -n 's/^export_ms //p')
    printf '%s\t%s\n' "$t" "${ms:-failed}" >>"$res/churn_export.tsv"
  done
done

# ---- a small program's export at exit ---------------------------------------
# (issue 12: "the export of a small program should cost well under a
# millisecond"). tprof_export() timed in a destructor (bench/export_timer.c),
# for two programs: one transpiled DSL program in a process of its own, as
# the main job runs them (p22, the longest: 40 operations; built as
# scripts/demo.sh builds it, with the grid library and the driver), and the
# grid bench (all 22 programs x 6 grids x 20 rounds in one process: a
# timeline at its 10,000-event cap). Each kind writes into one directory
# made before its first run and kept, as a campaign's output directory is:
# removing the files between runs made ext4 create every next file through
# its recently-deleted inode search (twice the export's time here).
# After each timed export, bench/export_floor.c (a process of its own)
# creates, writes and links files of the same sizes in the same directory
# and nothing else: the file system's share of that export, its floor here.
"$cc" -O2 -Iinclude -c bench/export_timer.c -o "$work/obj/export_timer.o"
"$cc" -O2 bench/export_floor.c -o "$work/bin/export_floor"
link grid export
link one export
for kind in one grid; do : >"$res/${kind}_export.tsv"; : >"$res/${kind}_export_floor.tsv"; done
rm -rf "$tmp/grid-export" "$tmp/one-export"
mkdir -p "$tmp/grid-export" "$tmp/one-export"
for i in $(seq "$export_runs"); do
  for level in light defaults; do
    for kind in one grid; do
      dir=$tmp/$kind-export
      opts="output_dir=$dir"
      [ $level = light ] && opts="$opts:$light_opts"
      args=("$dsl/grids/inputs.txt")
      [ $kind = grid ] && args+=("$grid_repeat")
      TPROF_OPTIONS="$opts" "$work/bin/$kind-export" "${args[@]}" >/dev/null 2>"$tmp/export.stderr" &
      pid=$!
      wait "$pid" || true
      ms=$(sed -n 's/^export_ms //p' "$tmp/export.stderr")
      printf '%s\t%s\n' "$level" "${ms:-failed}" >>"$res/${kind}_export.tsv"
      # the set that run wrote: <program>_<date>_<time>_<pid>_<file>
      sizes=$(find "$dir" -maxdepth 1 -name "$kind-export_*_*_${pid}_*" -printf '%s\n')
      floor=
      [ "$(wc -l <<<"$sizes")" = 7 ] && floor=$("$work/bin/export_floor" "$dir" $sizes | sed -n 's/^floor_ms //p')
      printf '%s\t%s\n' "$level" "${floor:-failed}" >>"$res/${kind}_export_floor.tsv"
    done
  done
done

# ---- instruction counts (valgrind callgrind): load-independent -------------
# Each configuration at two small sizes; (Ir(large) - Ir(small)) is what the
# extra events cost, with start-up left out. The export is not counted at
# all (--toggle-collect stops counting inside tprof_export_now): the set of
# the larger size is bigger (more timeline events and traces), and that
# growth read as a cost per event (light level: 1.165x instead of 1.098x).
# The export has rows of its own.
ir_configs="base tprof-cpu tprof-mem tprof-all tprof-light tprof-off tall-all floor fin-count instrprof"
if command -v valgrind >/dev/null; then
  echo "bench: instruction counts (callgrind)" >&2
  irjobs=$work/ir.jobs
  : >"$irjobs"
  for w in fib trees grid; do
    case $w in
      fib) sizes=$fib_ir_sizes ;;
      trees) sizes=$trees_ir_sizes ;;
      grid) sizes=$grid_ir_sizes ;;
    esac
    for sz in $sizes; do
      case $w in grid) a="$dsl/grids/inputs.txt $sz" ;; *) a=${sz/:/ } ;; esac
      for c in $ir_configs; do
        cmd=$(variant_cmd "$w" "$c" $a)
        # one output directory per job: the jobs run two at a time
        cmd=${cmd//$tmp\//$tmp/ir-$w-$sz-$c/}
        cmd=${cmd/$work\/bin\//valgrind --tool=callgrind --toggle-collect=tprof_export_now --collect-atstart=yes --callgrind-out-file=$tmp/ir-$w-$sz-$c.out $work/bin/}
        printf '%s\t%s\t%s\t%s\n' "$w" "$sz" "$c" "$cmd" >>"$irjobs"
      done
    done
  done
  : >"$res/ir.tsv"
  export tmp res
  # shellcheck disable=SC2016
  tr '\n' '\0' <"$irjobs" | xargs -0 -P 2 -n 1 bash -c '
    IFS=$(printf "\t") read -r w sz c cmd <<<"$1"
    mkdir -p "$tmp/ir-$w-$sz-$c"
    if eval "$cmd" >/dev/null 2>"$tmp/ir-$w-$sz-$c.stderr"; then
      ir=$(sed -n "s/^summary: *//p;s/^totals: *//p" "$tmp/ir-$w-$sz-$c.out" | head -1 | cut -d" " -f1)
    else ir=failed; fi
    printf "%s\t%s\t%s\t%s\n" "$w" "$sz" "$c" "${ir:-failed}" >>"$res/ir.tsv"' _
fi

# ---- compile time: many small functions, and code that -O2 must keep -------
python3 bench/gen_big_tu.py "$big_funcs" >"$work/big.c"
python3 bench/gen_fair_tu.py "$fair_units" >"$work/fair.c"
echo "bench: compile time ($compile_runs runs)" >&2
for f in big fair; do
  interleaved "$res/compile-$f.json" "$compile_runs" 0 hyperfine -N --style basic \
    -n "clang -O2" "$cc -O2 -c $work/$f.c -o $tmp/$f-base.o" \
    -n "clang -O2 + tprof pass" "$cc -O2 -fpass-plugin=$plugin -c $work/$f.c -o $tmp/$f-tprof.o" \
    -n "clang -O2 -fprofile-instr-generate" "$cc -O2 -fprofile-instr-generate -c $work/$f.c -o $tmp/$f-ipg.o" \
    >"$work/compile-$f.hyperfine.log" 2>&1 || { tail -20 "$work/compile-$f.hyperfine.log" >&2; }
done

# The same compiles' instruction counts (callgrind; clang runs cc1 in its own
# process, so the whole compile is counted): their times moved by up to
# 0.2x of the ratio between the rounds of one run on this VM.
if command -v valgrind >/dev/null; then
  echo "bench: compile instruction counts (callgrind)" >&2
  python3 bench/gen_big_tu.py "$big_ir_funcs" >"$work/big-ir.c"
  : >"$res/compile_ir.tsv"
  export tmp res
  for f in big fair; do
    src=$work/$f.c
    [ $f = big ] && src=$work/big-ir.c
    for c in base tprof ipg; do
      case $c in base) fl="" ;; tprof) fl="-fpass-plugin=$plugin" ;; ipg) fl="-fprofile-instr-generate" ;; esac
      printf '%s\t%s\t%s\n' "$f" "$c" "valgrind --tool=callgrind --callgrind-out-file=$tmp/cir-$f-$c.out $cc -O2 $fl -c $src -o $tmp/cir-$f-$c.o"
    done
  done | tr '\n' '\0' | xargs -0 -P 2 -n 1 bash -c '
    IFS=$(printf "\t") read -r f c cmd <<<"$1"
    if eval "$cmd" >/dev/null 2>"$tmp/cir-$f-$c.stderr"; then
      ir=$(sed -n "s/^summary: *//p;s/^totals: *//p" "$tmp/cir-$f-$c.out" | head -1 | cut -d" " -f1)
    else ir=failed; fi
    printf "%s\t%s\t%s\n" "$f" "$c" "${ir:-failed}" >>"$res/compile_ir.tsv"' _
  # What LLVM spends assembling the counters' inline-assembly statements of
  # big-ir.c (AsmPrinter::emitInlineAsm, inclusive: it makes an assembly
  # parser for each statement), and how many there are (#APP blocks).
  if [ -f "$tmp/cir-big-tprof.out" ] && command -v callgrind_annotate >/dev/null; then
    asm_ir=$(callgrind_annotate --inclusive=yes --threshold=100 "$tmp/cir-big-tprof.out" 2>/dev/null |
      sed -n 's/^ *\([0-9,]*\) .*AsmPrinter::emitInlineAsm(llvm::MachineInstr const\*).*/\1/p' | head -1 | tr -d ,)
    statements=$("$cc" -O2 -fpass-plugin="$plugin" -S "$work/big-ir.c" -o - 2>/dev/null | grep -c '#APP')
    [ -n "$asm_ir" ] && printf "big\t%s\t%s\n" "$asm_ir" "$statements" >"$res/compile_asm.tsv"
  fi
fi

# ---- export time: 100,000 functions, 1,000,000 traced allocations -----------
if [ ! -x "$work/bin/export_bench" ] || [ bench/gen_export_bench.py -nt "$work/bin/export_bench" ] ||
  [ "$rt" -nt "$work/bin/export_bench" ] || [ "$plugin" -nt "$work/bin/export_bench" ]; then
  echo "bench: building the export benchmark (100,000 functions)" >&2
  python3 bench/gen_export_bench.py 100000 1000000 >"$work/export_bench.c"
  "$cc" -O1 -fpass-plugin="$plugin" -Iinclude "$work/export_bench.c" "$rt" -lpthread -o "$work/bin/export_bench"
fi
: >"$res/export.txt"
for i in $(seq "$export_runs"); do
  rm -rf "$tmp/export" && mkdir -p "$tmp/export"
  TPROF_OPTIONS="output_dir=$tmp/export:max_traced_allocations=1000000:export_profiling_data=0" \
    "$work/bin/export_bench" >>"$res/export.txt" 2>"$work/export.stderr" ||
    { echo "failed: $(tail -1 "$work/export.stderr")" >>"$res/export.txt"; break; }
done
du -cb "$tmp"/export/* 2>/dev/null | tail -1 | cut -f1 >"$res/export_bytes.txt" || true
ls "$tmp"/export >"$res/export_files.txt" 2>/dev/null || true

# ---- machine, sizes, report --------------------------------------------------
python3 - "$res/meta.json" <<PY
import json, sys
json.dump({
  "quick": $quick, "runs": $runs, "warmup": $warmup, "slow_runs": $slow_runs,
  "compile_runs": $compile_runs, "big_ir_funcs": $big_ir_funcs, "export_runs": $export_runs, "light_options": "$light_opts",
  "long_run": $long_run, "big_funcs": $big_funcs, "fair_units": $fair_units,
  "ir_sizes": {"fib": "$fib_ir_sizes", "trees": "$trees_ir_sizes", "grid": "$grid_ir_sizes"},
  "churn": {"threads": $churn_threads, "batch": $churn_batch},
  "deep": {"walks": $deep_walks, "depth": $deep_depth, "calls": $deep_walks * (2 * $deep_depth + 1)},
  "interp": {"statements": $interp_statements, "rounds": $interp_rounds},
  "fib": {"n": $fib_n, "calls": $fib_calls, "tprof_calls": $fib_tcalls},
  "trees": {"iterations": $trees_iter, "slow_iterations": $trees_slow_iter, "depth": $trees_depth,
            "allocations": $trees_allocs, "slow_allocations": $trees_slow_allocs,
            "tprof_calls": $trees_tcalls, "tprof_allocations": $trees_tallocs},
  "grid": {"programs": ${#programs[@]}, "repeat": $grid_repeat, "slow_repeat": $grid_slow_repeat,
           "calls": $grid_tcalls, "allocations": $grid_tallocs,
           "slow_calls": $grid_slow_tcalls, "slow_allocations": $grid_slow_tallocs},
}, open(sys.argv[1], "w"), indent=1)
PY
bench/machine.sh >"$res/machine.txt"
if [ $write_doc = 1 ]; then
  python3 bench/report.py "$res" --write-doc docs/BENCHMARKS.md --write-readme README.md
else
  python3 bench/report.py "$res"
fi
