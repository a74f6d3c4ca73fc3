// A library linked with its own copy of the runtime, with periodic
// snapshots (flush_interval_ms=1): each dlopen starts that copy's snapshot
// thread, each dlclose ends it and unmaps the copy's code. The thread was
// detached and only told to stop: still returning through the unmapped
// code, it crashed the host (SIGSEGV in 14 of 20 runs of 20 cycles). The
// copy's last exit step now joins it. Each cycle leaves one complete set
// (its final export replaces the snapshots of the same name).
//
// RUN: rm -rf %t.d && mkdir -p %t.lib
// RUN: %tprof_cc -O2 -g -fPIC -shared %S/Inputs/dl_library.c %tprof_rt_static -o %t.lib/libstatic_copy.so
// RUN: %host_cc -O2 %s -ldl -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d:flush_interval_ms=1 %t.exe %t.lib/libstatic_copy.so 50 | %FileCheck %s
// RUN: %tpq %t.d sets | %FileCheck %s --check-prefix=SETS
// Each set whole, with the library's calls of its cycle (the sets' names
// differ in their time stamp and sequence number: a busy machine may take
// more than a second for the 50 cycles).
// RUN: for m in %t.d/*_metrics.json; do p=$(basename "$m" metrics.json); %tpq %t.d --set "$p" check > /dev/null && %tpexpect --set "$p" %t.d "f('op_library_op_1', 'calls') == 10" || exit 1; done
// RUN: ls -A %t.d | %FileCheck %s --check-prefix=NOTEMP
// The copy names its sets before its snapshot thread starts: a snapshot
// taken while it looked up its name (slow_calls.so makes that 100 ms) was
// named after the program alone, a stray set.
// RUN: rm -rf %t.named
// RUN: %host_cc -shared -fPIC %S/Inputs/slow_calls.c -ldl -o %t.slow_calls.so
// RUN: env TPROF_OPTIONS=output_dir=%t.named:flush_interval_ms=1 LD_PRELOAD=%t.slow_calls.so %t.exe %t.lib/libstatic_copy.so 2 | %FileCheck %s --check-prefix=TWO_CYCLES
// RUN: %tpq %t.named sets | %FileCheck %s --check-prefix=TWO_SETS
// RUN: ls -A %t.named | %FileCheck %s --check-prefix=NAMED
//
// CHECK: 50 cycles, sum 4500
// CHECK-NEXT: exit 0
// SETS: {{^}}50{{$}}
// TWO_CYCLES: 2 cycles, sum 180
// TWO_SETS: {{^}}2{{$}}
// NAMED-NOT: {{[.]exe_}}
// NOTEMP-NOT: {{\.tmp$}}
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s LIBRARY CYCLES\n", argv[0]);
    return 2;
  }
  int cycles = atoi(argv[2]);
  long sum = 0;
  for (int i = 0; i < cycles; i++) {
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      fprintf(stderr, "dlopen: %s\n", dlerror());
      return 1;
    }
    int (*op)(int) = (int (*)(int))dlsym(lib, "op_library_op_1");
    for (int k = 0; k < 10; k++) sum += op(k);
    dlclose(lib);
  }
  printf("%d cycles, sum %ld\n", cycles, sum);
  printf("exit 0\n");
  return 0;
}
