#!/usr/bin/env bash
# Runs the whole tprof test suite: the lit suite (pass IR tests, end-to-end
# tests, runtime unit tests) against every supported LLVM installed here
# (14 always, 19 and 22 when their packages are present), then once more
# against LLVM 14 with the runtime and the test programs built with
# -fsanitize=address,undefined and with -fsanitize=thread.
# Ends with one line: "N passed, N failed" (", N skipped" when some are).
set -u
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh

# python3-psutil: lit's per-test time limit (test/lit.cfg.py)
tprof_require_packages $(tprof_base_packages 14) python3-psutil || exit 2
tprof_viewer_modules build/npm

passed=0 failed=0 skipped=0 tested=""
# lit_python DIR: the Python that runs lit for build directory DIR (one that
# imports psutil, for the per-test time limit: test/CMakeLists.txt).
lit_python() { grep -E '^TPROF_LIT_PYTHON:INTERNAL=' "$1/CMakeCache.txt" | cut -d= -f2 | grep . || echo python3; }
# count NAME: the figure lit printed for NAME (Passed, Failed, ...) in $log
count() { grep -E "^ *$1 *: *[0-9]+" "$log" | sed -E 's/.*: *([0-9]+).*/\1/' | tail -n 1; }
# run_lit DIR WHAT: runs DIR's lit suite (WHAT names it in messages) and
# adds its figures to the totals; a run that tested nothing, or that failed
# without naming a failing test, counts as one failure.
run_lit() {
  local dir=$1 what=$2 lit rc p f u x t s xf
  lit=$(grep -E '^TPROF_LIT:FILEPATH=' "$dir/CMakeCache.txt" | cut -d= -f2)
  log="$dir/lit.log"
  "$(lit_python "$dir")" "$lit" -sv "$dir/test" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  p=$(count Passed); f=$(count Failed); u=$(count Unresolved); x=$(count 'Unexpectedly Passed')
  t=$(count 'Timed Out'); s=$(count Unsupported); xf=$(count 'Expectedly Failed')
  passed=$((passed + ${p:-0} + ${xf:-0}))
  failed=$((failed + ${f:-0} + ${u:-0} + ${x:-0} + ${t:-0}))
  skipped=$((skipped + ${s:-0}))
  if [ -z "$p$f$u$t" ]; then
    echo "tprof: lit ran no test $what" >&2; failed=$((failed + 1))
  elif [ "$rc" -ne 0 ] && [ $((${f:-0} + ${u:-0} + ${x:-0} + ${t:-0})) -eq 0 ]; then
    echo "tprof: lit exited with status $rc $what but reported no failing test" >&2; failed=$((failed + 1))
  fi
}
for v in 14 19 22; do
  if [ ! -d "/usr/lib/llvm-$v/lib/cmake/llvm" ] || [ ! -x "/usr/lib/llvm-$v/bin/clang" ] \
     || [ ! -x "/usr/lib/llvm-$v/bin/FileCheck" ]; then
    [ "$v" = 14 ] && { echo "tprof: LLVM 14 is incomplete (need clang-14 llvm-14-dev llvm-14-tools)" >&2; exit 2; }
    echo "tprof: LLVM $v not installed, not tested (apt-get install clang-$v llvm-$v-dev llvm-$v-tools)"
    continue
  fi
  dir=build/llvm-$v
  mkdir -p build
  echo "== LLVM $v: building into $dir"
  if ! tprof_build "$dir" "$v"; then
    failed=$((failed + 1)); continue
  fi
  echo "== LLVM $v: lit suite"
  run_lit "$dir" "against LLVM $v"
  tested="$tested $v"
done

# The runtime and the suite again under sanitizers (clang 14's runtimes).
for san in address,undefined thread; do
  dir=build/llvm-14-${san%%,*}
  echo "== LLVM 14 with -fsanitize=$san: building into $dir"
  # Configured every run, as tprof_build does: the test features are found then.
  mkdir -p "$dir"
  cmake -S . -B "$dir" -DTPROF_LLVM_VERSION=14 -DCMAKE_C_COMPILER=/usr/lib/llvm-14/bin/clang \
    -DTPROF_SANITIZE="$san" -DTPROF_BUILD_EXAMPLES=OFF $([ "$san" = address,undefined ] && echo -DTPROF_FUZZ=ON) >"$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log" >&2; failed=$((failed + 1)); continue; }
  cmake --build "$dir" -j "$(nproc)" >"$dir.build.log" 2>&1 || { cat "$dir.build.log" >&2; failed=$((failed + 1)); continue; }
  run_lit "$dir" "under -fsanitize=$san"
  tested="$tested 14+$san"
done

echo "tested against LLVM:${tested:- none}"
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
