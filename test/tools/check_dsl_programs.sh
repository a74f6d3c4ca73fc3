#!/usr/bin/env bash
# For every example grid-DSL program: transpile, build plainly and with the
# tprof plugin (both with -Wall -Wextra -Werror), run both on the example
# grids, and print the two checksums and the number of operations in the
# profiled run's metrics.json (read with Python's json module).
#   check_dsl_programs.sh TPROF_DSL CLANG PLUGIN INCLUDE_DIR GRID_DSL_DIR WORK_DIR
set -eu
dsl=$1 clang=$2 plugin=$3 inc=$4 src=$5 work=$6
lib=$(dirname "$plugin")/libtprof_rt.a
flags="-O2 -Wall -Wextra -Werror -I$src"
n=0
for json in "$src"/programs/*.json; do
  name=$(basename "$json" .json)
  "$dsl" "$json" -o "$work/$name.c"
  "$clang" $flags "$work/$name.c" "$src/grid.c" "$src/driver.c" -o "$work/$name.plain"
  "$clang" $flags -g -fpass-plugin="$plugin" -I"$inc" "$work/$name.c" "$src/grid.c" "$src/driver.c" "$lib" -o "$work/$name.prof"
  plain=$("$work/$name.plain" "$src/grids/inputs.txt" 2)
  prof=$(TPROF_OPTIONS="output_dir=$work/out:program_id=$name" "$work/$name.prof" "$src/grids/inputs.txt" 2)
  ops=$(python3 -c 'import json,glob,sys; print(len(json.load(open(glob.glob(sys.argv[1])[0]))["operation_timings"]))' \
        "$work/out/${name}_*_metrics.json")
  count=${plain%% operations*}
  verdict=""
  [ "${plain##* }" = "${prof##* }" ] && [ "$ops" = "$count" ] || verdict=" MISMATCH"
  echo "$name: ${plain%%,*}, checksum ${plain##* } plain, ${prof##* } profiled, $ops operations in the file set$verdict"
  n=$((n + 1))
done
echo "$n programs checked"
