# Sourced by the scripts in scripts/: finds what tprof needs on a Debian
# machine and installs it when we may (root with apt-get), or says exactly
# what to install and stops.

# Packages every script needs, for LLVM $1 (default 14).
tprof_base_packages() {
  local v=${1:-14}
  echo cmake make gcc libc6-dev python3 pkg-config "clang-$v" "llvm-$v-dev" "llvm-$v-tools" "libclang-rt-$v-dev" libcjson-dev
}

tprof_missing_packages() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

# tprof_require_packages PKG...: installs the missing ones as root, else
# prints the apt-get command and returns 1.
tprof_require_packages() {
  local missing
  missing=$(tprof_missing_packages "$@")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ "${TPROF_NO_INSTALL:-0}" != 1 ]; then
    echo "tprof: installing missing Debian packages: $missing" >&2
    if [ -z "${TPROF_APT_UPDATED:-}" ]; then
      apt-get update -qq >&2 || { echo "tprof: apt-get update failed" >&2; return 1; }
      export TPROF_APT_UPDATED=1
    fi
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2 || {
      echo "tprof: could not install: $missing" >&2
      return 1
    }
    return 0
  fi
  echo "tprof: missing Debian packages: $missing" >&2
  echo "tprof: install them with: sudo apt-get install $missing" >&2
  return 1
}

# tprof_build DIR LLVM_VERSION: configures and builds tprof into DIR. It
# configures every time, also an existing DIR (about 2 s): the configure finds
# the tools the tests need (test/CMakeLists.txt), so one installed since the
# last run is a test feature in this one.
tprof_build() {
  local dir=$1 v=$2 first=""
  [ -f "$dir/CMakeCache.txt" ] || first="-DCMAKE_BUILD_TYPE=RelWithDebInfo"
  # shellcheck disable=SC2086
  cmake -S . -B "$dir" -DTPROF_LLVM_VERSION="$v" $first >"$dir.configure.log" 2>&1 || {
    mkdir -p "$dir"; cat "$dir.configure.log" >&2
    echo "tprof: configuring against LLVM $v failed (log above)" >&2
    return 1
  }
  cmake --build "$dir" -j "$(nproc)" >"$dir.build.log" 2>&1 || {
    cat "$dir.build.log" >&2
    echo "tprof: building against LLVM $v failed (log above)" >&2
    return 1
  }
}

# The viewers' own import code for the tests that load converted files into
# them (test/cli/speedscope.test): speedscope's npm package and jsdom, at
# fixed versions, in build/npm (never a global install). Needs node and npm
# (Debian: nodejs npm); without them those tests are UNSUPPORTED, and this
# says so. Exports TPROF_NPM_MODULES for the configure that follows
# (test/CMakeLists.txt makes the speedscope feature from it).
tprof_viewer_modules() {
  local dir=${1:-build/npm}
  export TPROF_NPM_MODULES="$PWD/$dir/node_modules"
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "tprof: node and npm not found (apt-get install nodejs npm): the speedscope import tests are skipped" >&2
    return 0
  fi
  [ -f "$TPROF_NPM_MODULES/speedscope/package.json" ] && [ -f "$TPROF_NPM_MODULES/jsdom/package.json" ] && return 0
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-audit --no-fund --no-save speedscope@1.25.0 jsdom@29.1.1 >npm.log 2>&1) || {
    echo "tprof: npm install of speedscope and jsdom failed (log in $dir/npm.log); the speedscope import tests are skipped" >&2
    return 0
  }
}
