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

# tprof_build DIR LLVM_VERSION: configures (once) and builds tprof into DIR.
tprof_build() {
  local dir=$1 v=$2
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S . -B "$dir" -DTPROF_LLVM_VERSION="$v" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$dir.configure.log" 2>&1 || {
      mkdir -p "$dir"; cat "$dir.configure.log" >&2
      echo "tprof: configuring against LLVM $v failed (log above)" >&2
      return 1
    }
  fi
  cmake --build "$dir" -j "$(nproc)" >"$dir.build.log" 2>&1 || {
    cat "$dir.build.log" >&2
    echo "tprof: building against LLVM $v failed (log above)" >&2
    return 1
  }
}
