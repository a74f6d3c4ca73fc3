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
#
# Environment: BENCH_RUNS (runs per command, default 15), BENCH_WARMUP
# (default 2), BENCH_SLOW_RUNS (valgrind/heaptrack/XRay-size runs, default 5),
# BENCH_COMPILE_RUNS (default 3, no warm-up), BENCH_EXPORT_RUNS (default 5),
# BENCH_LIGHT_OPTIONS (the TPROF_OPTIONS of the "light" level, default
# cpu_timing=operations:memory_tracking_enabled=0:resource_monitoring_enabled=0).
set -eu
cd "$(dirname "$0")/.."

quick=0 write_doc=0
for a in "$@"; do
  case $a in
    --quick) quick=1 ;;
    --write-doc) write_doc=1 ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$a' (try --help)" >&2; exit 2 ;;
  esac
done
runs=${BENCH_RUNS:-15} warmup=${BENCH_WARMUP:-2} slow_runs=${BENCH_SLOW_RUNS:-5}
compile_runs=${BENCH_COMPILE_RUNS:-3} export_runs=${BENCH_EXPORT_RUNS:-5}
if [ $quick = 1 ]; then runs=3 warmup=1 slow_runs=2 compile_runs=2 export_runs=3; fi
light_opts=${BENCH_LIGHT_OPTIONS:-cpu_timing=operations:memory_tracking_enabled=0:resource_monitoring_enabled=0}

# Workload sizes. The slow tools (valgrind, heaptrack) run a smaller size,
# side by side with the base build at that size.
fib_n=32 fib_calls=7049155                        # 2*fib(33)-1 calls of fib
trees_iter=10 trees_depth=16 trees_slow_iter=2
grid_repeat=20 grid_slow_repeat=2

. scripts/lib/deps.sh
tprof_require_packages $(tprof_base_packages 14) hyperfine binutils || exit 2
for p in uftrace heaptrack valgrind; do
  tprof_require_packages "$p" || echo "bench: $p could not be installed; its rows will read 'not available'" >&2
done

b=build/bench-14
work=build/bench-work
res=$work/results
tmp=$work/tmp
dsl=examples/grid_dsl
mkdir -p build "$work/bin" "$work/obj" "$work/grid" "$res" "$tmp"
rm -f "$res"/*

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
# Object flavours: base (-O2 -g), tprof (+ the pass), fin (+ -finstrument-functions),
# pg (+ -pg), xray (+ -fxray-instrument). All with the same clang 14;
# -gdwarf-4 because valgrind 3.19 cannot read the DWARF 5 of the grid build.
flags_of() {
  case $1 in
    base) echo "-O2 -g -gdwarf-4" ;;
    tprof) echo "-O2 -g -gdwarf-4 -fpass-plugin=$plugin -Iinclude" ;;
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
  # shellcheck disable=SC2086
  "$cc" $f -I"$dsl" -I"$work/grid" -c "$src" -o "$out" || return 1
  if [ -n "$prefix" ]; then
    local args=()
    for s in $(nm --defined-only -g "$out" | awk '{print $3}'); do args+=(--redefine-sym "$s=${prefix}_$s"); done
    objcopy "${args[@]}" "$out"
  fi
}
export -f flags_of obj

flavours="base tprof fin pg xray"
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
echo "bench: compiling $(wc -l <"$jobs") objects (5 flavours x 3 workloads)" >&2
xargs -P 2 -L 1 bash -c 'obj "$@"' _ <"$jobs" || { echo "bench: a compilation failed" >&2; exit 1; }
"$cc" -O2 -Iinclude -c bench/floor_runtime.c -o "$work/obj/floor_runtime.o"
"$cc" -O2 -c bench/finstrument_hooks.c -o "$work/obj/hooks_count.o"
"$cc" -O2 -DCLOCK_HOOKS -c bench/finstrument_hooks.c -o "$work/obj/hooks_clock.o"
"$cc" -O2 bench/clock_cost.c -o "$work/bin/clock_cost"

# link WORKLOAD VARIANT: VARIANT is a flavour, or floor / fin-count / fin-clock.
link() {
  local w=$1 v=$2 fl objs=() extra=()
  case $v in
    base | tprof | pg | xray) fl=$v ;;
    floor) fl=tprof ;;
    fin-count | fin-clock) fl=fin ;;
  esac
  case $w in
    fib | trees) objs=("$work/obj/$fl/$w.o") ;;
    grid)
      objs=("$work/obj/$fl/grid_bench.o" "$work/obj/$fl/grid.o")
      for p in "${programs[@]}"; do objs+=("$work/obj/$fl/$(basename "$p" .json).o"); done ;;
  esac
  case $v in
    tprof) extra=("$rt" -lpthread) ;;
    floor) extra=("$work/obj/floor_runtime.o") ;;
    fin-count) extra=("$work/obj/hooks_count.o") ;;
    fin-clock) extra=("$work/obj/hooks_clock.o") ;;
    pg) extra=(-pg) ;;
    xray) extra=(-fxray-instrument) ;;
  esac
  "$cc" "${objs[@]}" "${extra[@]}" -o "$work/bin/$w-$v"
}
for w in fib trees grid; do
  for v in base tprof floor fin-count fin-clock pg xray; do link "$w" "$v"; done
done

# ---- measuring -------------------------------------------------------------
tp_out=$tmp/tprof
status=$res/status.tsv
: >"$status"
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
    tprof-off) echo "env TPROF_OPTIONS=cpu_profiling_enabled=0:memory_tracking_enabled=0:resource_monitoring_enabled=0:export_profiling_data=0 $work/bin/$w-tprof $a" ;;
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

# group NAME RUNS WORKLOAD ARGS -- CONFIGS...: one hyperfine invocation with
# every configuration side by side. Each configuration is run once first:
# when it fails or prints another result than the base build, it is left out
# (and the status says why).
group() {
  local name=$1 n=$2 w=$3 args=$4; shift 5
  local hf=(hyperfine -N --style basic --warmup "$warmup" --runs "$n" --export-json "$res/$name.json"
    --prepare "sh -c 'rm -rf $tmp && mkdir -p $tmp'")
  local expect="" c cmd out
  for c in "$@"; do
    if ! available "$c"; then
      if [ "$c" = tprof-light ]; then printf '%s\t%s\tnot implemented in the runtime yet\n' "$name" "$c" >>"$status"
      else printf '%s\t%s\tnot available (not installed)\n' "$name" "$c" >>"$status"; fi
      continue
    fi
    cmd=$(variant_cmd "$w" "$c" $args)
    rm -rf "$tmp" && mkdir -p "$tmp"
    if ! out=$(eval "$cmd" 2>"$work/$name-$c.stderr"); then
      printf '%s\t%s\tfailed: %s\n' "$name" "$c" "$(tail -1 "$work/$name-$c.stderr" | tr '\t' ' ')" >>"$status"
      continue
    fi
    out=$(echo "$out" | grep -E '^(fib|trees|grid_bench)' | tail -1)
    if [ "$c" = base ]; then expect=$out
    elif [ "$out" != "$expect" ]; then
      printf '%s\t%s\tfailed: printed "%s", the base build "%s"\n' "$name" "$c" "$out" "$expect" >>"$status"
      continue
    fi
    printf '%s\t%s\tok\n' "$name" "$c" >>"$status"
    hf+=(-n "$c" "$cmd")
  done
  echo "bench: $name: hyperfine, $n runs per command" >&2
  "${hf[@]}" >"$work/$name.hyperfine.log" 2>&1 || {
    tail -20 "$work/$name.hyperfine.log" >&2
    printf '%s\t-\tfailed: hyperfine (%s)\n' "$name" "$(tail -1 "$work/$name.hyperfine.log")" >>"$status"
  }
}

# Event counts: tprof's own metrics of one all-on run.
metrics() {
  local w=$1 args=$2
  rm -rf "$work/metrics-$w"
  TPROF_OPTIONS="output_dir=$work/metrics-$w" "$work/bin/$w-tprof" $args >/dev/null
  python3 - "$work/metrics-$w"/*_metrics.json <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
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

fast="base tprof-cpu tprof-mem tprof-all tprof-light tprof-off floor fin-count fin-clock gprof uftrace xray"
slow="base callgrind heaptrack massif"
# shellcheck disable=SC2086
{
  group fib "$runs" fib "$fib_n" -- $fast
  group fib-slow "$slow_runs" fib "$fib_n" -- $slow
  group trees "$runs" trees "$trees_iter $trees_depth" -- $fast
  group trees-slow "$slow_runs" trees "$trees_slow_iter $trees_depth" -- $slow
  group grid "$runs" grid "$dsl/grids/inputs.txt $grid_repeat" -- $fast
  group grid-slow "$slow_runs" grid "$dsl/grids/inputs.txt $grid_slow_repeat" -- $slow
}

# ---- compile time: a translation unit of 20,000 functions --------------------
python3 bench/gen_big_tu.py 20000 >"$work/big.c"
echo "bench: compile time ($compile_runs runs)" >&2
hyperfine -N --style basic --warmup 0 --runs "$compile_runs" --export-json "$res/compile.json" \
  -n "clang -O2" "$cc -O2 -c $work/big.c -o $tmp/big-base.o" \
  -n "clang -O2 + tprof pass" "$cc -O2 -fpass-plugin=$plugin -c $work/big.c -o $tmp/big-tprof.o" \
  >"$work/compile.hyperfine.log" 2>&1 || { tail -20 "$work/compile.hyperfine.log" >&2; }

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
  "compile_runs": $compile_runs, "export_runs": $export_runs, "light_options": "$light_opts",
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
  python3 bench/report.py "$res" --write-doc docs/BENCHMARKS.md
else
  python3 bench/report.py "$res"
fi
