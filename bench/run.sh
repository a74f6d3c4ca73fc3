#!/usr/bin/env bash
# Overhead of tprof on a call-heavy program (recursive fib(32): 7,049,155
# calls), measured side by side with hyperfine: median wall time of each
# configuration and its ratio to the uninstrumented -O2 build, plus ns per
# profiled call. Usage: bench/run.sh [LLVM_VERSION] (default 14).
set -eu
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh
tprof_require_packages $(tprof_base_packages "${1:-14}") hyperfine || exit 2
v=${1:-14}
build=build/llvm-$v
mkdir -p build
tprof_build "$build" "$v"
clang=/usr/lib/llvm-$v/bin/clang
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$clang" -O2 bench/fib.c -o "$work/base"
"$clang" -O2 -fpass-plugin="$build/lib/tprof.so" bench/fib.c "$build/lib/libtprof_rt.a" -lpthread -o "$work/tprof"
out="$work/out"
hyperfine -N --warmup 2 --runs "${RUNS:-15}" --export-json "$work/h.json" \
  -n base "$work/base 32" \
  -n "tprof all on" "env TPROF_OPTIONS=output_dir=$out $work/tprof 32" \
  -n "tprof cpu only" "env TPROF_OPTIONS=output_dir=$out:memory_tracking_enabled=0:resource_monitoring_enabled=0 $work/tprof 32" \
  -n "tprof compiled in, off" "env TPROF_OPTIONS=output_dir=$out:cpu_profiling_enabled=0:memory_tracking_enabled=0:resource_monitoring_enabled=0:export_profiling_data=0 $work/tprof 32" \
  >/dev/null
python3 - "$work/h.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = res[0]["median"]
calls = 7049155
print("| configuration (fib(32), %d calls) | median s | ratio | ns per call |" % calls)
print("|---|---|---|---|")
for r in res:
    extra = (r["median"] - base) / calls * 1e9
    print("| %s | %.4f | %.2f | %s |" % (r["command"], r["median"], r["median"] / base,
                                         "-" if r is res[0] else "%.1f" % extra))
PY
