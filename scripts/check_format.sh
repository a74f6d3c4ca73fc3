#!/usr/bin/env bash
# Checks that the sources follow .clang-format (clang-format 14, the one
# every machine here has): prints the files that do not and exits 1.
# Formatted: runtime/, pass/, include/, tools/, bench/, fuzz/. Not: test/
# and examples/, whose line numbers are facts the tests check.
#   scripts/check_format.sh [--fix] [FILE...]   (default: the files above)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cf=${CLANG_FORMAT:-clang-format-14}
fix=0
[ "${1:-}" = --fix ] && { fix=1; shift; }
command -v "$cf" >/dev/null || { echo "check_format: $cf not found (apt-get install clang-format-14)" >&2; exit 2; }
style="file:$root/.clang-format"
if [ $# -eq 0 ]; then
  cd "$root"
  set -- $(git ls-files 'runtime/*.c' 'runtime/*.h' 'pass/*.cpp' 'pass/*.h' 'include/*.h' 'tools/*.c' 'tools/*.h' \
    'bench/*.c' 'bench/*.h' 'fuzz/*.c')
  [ $# -gt 0 ] || { echo "check_format: no source files listed (not a git checkout?)" >&2; exit 2; }
fi
bad=0
for f in "$@"; do
  if [ $fix = 1 ]; then
    "$cf" -i --style="$style" "$f"
  elif ! "$cf" --style="$style" --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (scripts/check_format.sh --fix)"
    bad=1
  fi
done
exit $bad
