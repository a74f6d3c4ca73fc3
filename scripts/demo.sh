#!/usr/bin/env bash
# The main job: build tprof, compile the example grid-DSL program with the
# pass plugin, run it, and print a summary and where its file set is.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh
tprof_require_packages $(tprof_base_packages 14) || exit 2

v=${TPROF_LLVM_VERSION:-14}
build=build/llvm-$v
mkdir -p build
echo "tprof: building against LLVM $v into $build"
tprof_build "$build" "$v"

clang=$(grep -E '^TPROF_CLANG:FILEPATH=' "$build/CMakeCache.txt" | cut -d= -f2)
out=tprof_output/demo
bin=$build/examples/grid_program
mkdir -p "$(dirname "$bin")"
echo "tprof: compiling examples/grid_demo/grid_program.c with -O2 -g -fpass-plugin=$build/lib/tprof.so"
"$clang" -O2 -g -fpass-plugin="$build/lib/tprof.so" -Iinclude examples/grid_demo/grid_program.c \
  "$build/lib/libtprof_rt.a" -lpthread -o "$bin"
rm -rf "$out"
echo "tprof: running $bin 200 (TPROF_OPTIONS=output_dir=$out:program_id=grid_program)"
TPROF_OPTIONS="output_dir=$out:program_id=grid_program" "$bin" 200
echo
python3 scripts/summarize.py "$out"/*_metrics.json
