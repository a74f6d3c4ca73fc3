#!/usr/bin/env bash
# Describes the machine the benchmarks ran on, as "key: value" lines.
echo "date: $(date -u "+%Y-%m-%d %H:%M UTC")"
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
echo "cpu: $cpu"
echo "cpus: $(nproc) online, $(lscpu | sed -n "s/^Thread(s) per core: *//p") thread(s) per core$(lscpu | sed -n "s/^Hypervisor vendor: */, virtual machine (/p" | sed "s/$/)/")"
echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
echo "kernel: $(uname -r)"
echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
flags=$(grep -m1 '^flags' /proc/cpuinfo)
tsc=""
for f in constant_tsc nonstop_tsc; do echo "$flags" | grep -qw $f && tsc="$tsc $f"; done
echo "tsc flags:${tsc:- none}"
echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)"
echo "clang: $(/usr/lib/llvm-14/bin/clang --version | head -1)"
echo "hyperfine: $(hyperfine --version | head -1)"
echo "uftrace: $(command -v uftrace >/dev/null && uftrace --version 2>&1 | head -1 || echo not installed)"
echo "valgrind: $(command -v valgrind >/dev/null && valgrind --version || echo not installed)"
echo "heaptrack: $(dpkg-query -W -f='${Version}' heaptrack 2>/dev/null || echo not installed)"
echo "glibc: $(ldd --version | head -1 | sed 's/.* //')"
echo "load average at the end of the run: $(cut -d' ' -f1-3 /proc/loadavg)"
dirty=$(git status --porcelain -- runtime pass include 2>/dev/null | wc -l)
echo "tprof: commit $(git rev-parse --short HEAD 2>/dev/null)$([ "$dirty" != 0 ] && echo ", with $dirty uncommitted change(s) in runtime/ pass/ include/ (another engineer's work in progress)")"
