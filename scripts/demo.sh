#!/usr/bin/env bash
# The main job: build tprof, transpile every example grid-DSL program to C,
# build each with profiling on, run it on the example grids, and print a
# summary per program and where its file set is.
#
#   scripts/demo.sh [REPEAT]      (REPEAT: runs over the grids, default 20)
set -eu
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh
tprof_require_packages $(tprof_base_packages 14) || exit 2

v=${TPROF_LLVM_VERSION:-14}
repeat=${1:-20}
build=build/llvm-$v
mkdir -p build
echo "tprof: building against LLVM $v into $build"
tprof_build "$build" "$v"

clang=$(grep -E '^TPROF_CLANG:FILEPATH=' "$build/CMakeCache.txt" | cut -d= -f2)
dsl=examples/grid_dsl
work=$build/grid_dsl
out=tprof_output/grid_dsl
mkdir -p "$work"
rm -rf "$out"
profile="-O2 -g -Wall -Wextra -fpass-plugin=$build/lib/tprof.so -I$dsl -Iinclude"

# The grid library and the driver are profiled too: compile them once.
"$clang" $profile -c "$dsl/grid.c" -o "$work/grid.o"
"$clang" $profile -c "$dsl/driver.c" -o "$work/driver.o"

programs=("$dsl"/programs/*.json)
echo "tprof: transpiling and building ${#programs[@]} programs with -fpass-plugin (-O2 -g)"
build_one() {
  local json=$1 name
  name=$(basename "$json" .json)
  "$build/bin/tprof-dsl" "$json" -o "$work/$name.c"
  "$clang" $profile "$work/$name.c" "$work/grid.o" "$work/driver.o" "$build/lib/libtprof_rt.a" -o "$work/$name"
}
export -f build_one
export build work clang profile
printf '%s\n' "${programs[@]}" | xargs -P "$(nproc)" -I{} bash -c 'build_one "$@"' _ {}

echo "tprof: running each on $dsl/grids/inputs.txt, $repeat times"
for json in "${programs[@]}"; do
  name=$(basename "$json" .json)
  TPROF_OPTIONS="output_dir=$out:program_id=$name" "$work/$name" "$dsl/grids/inputs.txt" "$repeat" >"$work/$name.out"
done
echo
python3 scripts/summarize.py "$out"/*_metrics.json
echo
echo "tprof: ${#programs[@]} programs profiled; open $out/<program>_*_performance_report.md for one in full"
