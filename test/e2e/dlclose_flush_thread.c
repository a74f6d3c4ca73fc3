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
//
// CHECK: 50 cycles, sum 4500
// CHECK-NEXT: exit 0
// SETS: {{^}}50{{$}}
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
