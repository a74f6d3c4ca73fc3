// With everything switched off (the "compiled in but off" case), modules
// are not registered at start-up: nothing would read the registry. The
// first reader registers them, and their inline counters have counted all
// along: a snapshot and an export by hand then show every call, also of a
// library loaded and closed while nothing was registered.
//
// REQUIRES: strace
// RUN: rm -rf %t.d %t.lib && mkdir -p %t.lib
// RUN: %tprof_cc -O2 -g -fPIC -shared %S/Inputs/dl_library.c %tprof_rt_shared -o %t.lib/libdl_library.so
// RUN: %tprof_cc -O2 -g %s %tprof_rt_shared -ldl -o %t.exe
//
// Nothing registered: the registry's lock (two rt_sigprocmask calls) is
// not taken per module. The same program with 4 more modules makes as
// many rt_sigprocmask calls as with one (registering each module at
// start-up and unregistering it at exit took 4 calls a module).
// RUN: %tprof_cc -O2 -c -DEXTRA=extra_1 %s -o %t.x1.o
// RUN: %tprof_cc -O2 -c -DEXTRA=extra_2 %s -o %t.x2.o
// RUN: %tprof_cc -O2 -c -DEXTRA=extra_3 %s -o %t.x3.o
// RUN: %tprof_cc -O2 -c -DEXTRA=extra_4 %s -o %t.x4.o
// RUN: %tprof_cc -O2 -g -DHAS_EXTRAS %s %t.x1.o %t.x2.o %t.x3.o %t.x4.o %tprof_rt_shared -ldl -o %t.many.exe
// RUN: env TPROF_OPTIONS=cpu_profiling_enabled=0:memory_tracking_enabled=0:operation_timing_enabled=0:resource_monitoring_enabled=0:export_profiling_data=0 strace -f -e trace=rt_sigprocmask -o %t.one.strace %t.exe quiet | %FileCheck %s --check-prefix=QUIET
// RUN: env TPROF_OPTIONS=cpu_profiling_enabled=0:memory_tracking_enabled=0:operation_timing_enabled=0:resource_monitoring_enabled=0:export_profiling_data=0 strace -f -e trace=rt_sigprocmask -o %t.many.strace %t.many.exe quiet | %FileCheck %s --check-prefix=QUIET
// RUN: %python -c "import sys; n=[sum('rt_sigprocmask' in l for l in open(p)) for p in sys.argv[1:]]; print('same:', n[0] == n[1], n)" %t.one.strace %t.many.strace | %FileCheck %s --check-prefix=SAME
//
// With CPU profiling on, the executable's modules are registered at
// start-up, all in one drain of the queue (static runtime: the modules'
// constructors run before tprof's start-up), and at exit their destructors
// do nothing (unregistering each took the lock again: 2 calls a module).
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -ldl -o %t.one_s.exe
// RUN: %tprof_cc -O2 -g -DHAS_EXTRAS %s %t.x1.o %t.x2.o %t.x3.o %t.x4.o %tprof_rt_static -ldl -o %t.many_s.exe
// RUN: env TPROF_OPTIONS=memory_tracking_enabled=0:resource_monitoring_enabled=0:export_profiling_data=0 strace -f -e trace=rt_sigprocmask -o %t.one_s.strace %t.one_s.exe quiet | %FileCheck %s --check-prefix=QUIET
// RUN: env TPROF_OPTIONS=memory_tracking_enabled=0:resource_monitoring_enabled=0:export_profiling_data=0 strace -f -e trace=rt_sigprocmask -o %t.many_s.strace %t.many_s.exe quiet | %FileCheck %s --check-prefix=QUIET
// RUN: %python -c "import sys; n=[sum('rt_sigprocmask' in l for l in open(p)) for p in sys.argv[1:]]; print('same:', n[0] == n[1], n)" %t.one_s.strace %t.many_s.strace | %FileCheck %s --check-prefix=SAME
//
// Registered at the first reader (here the API call that switches CPU
// profiling on, after the library was closed): every call counted.
// RUN: env TPROF_OPTIONS=output_dir=%t.d:cpu_profiling_enabled=0:memory_tracking_enabled=0:operation_timing_enabled=0:resource_monitoring_enabled=0:export_profiling_data=0 %t.exe %t.lib/libdl_library.so | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.d func work calls | %FileCheck %s --check-prefix=SEVEN
// RUN: %tpq %t.d func op_library_op_1 calls | %FileCheck %s --check-prefix=TEN
// RUN: %tpq %t.d func helper_in_library calls | %FileCheck %s --check-prefix=TEN
// RUN: %tpq %t.d func op_library_op_1 file | %FileCheck %s --check-prefix=FILE
//
// QUIET: sum 28
// SAME: same: True
// OUT: sum 28, library closed, snapshot calls 28, exported 0
// SEVEN: {{^}}7{{$}}
// TEN: {{^}}10{{$}}
// FILE: Inputs/dl_library.c
#ifdef EXTRA
int EXTRA(int x) { return x * 3; }
#else
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <tprof/tprof.h>

__attribute__((noinline)) int work(int x) { return x + 1; }

#ifdef HAS_EXTRAS
int extra_1(int), extra_2(int), extra_3(int), extra_4(int);
#endif

int main(int argc, char **argv) {
  int sum = 0;
  for (int i = 0; i < 7; i++)
    sum += work(i);
#ifdef HAS_EXTRAS
  sum += extra_1(0) + extra_2(0) + extra_3(0) + extra_4(0);
#endif
  if (argc < 2 || strcmp(argv[1], "quiet") == 0) {
    printf("sum %d\n", sum);
    return 0;
  }
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  int (*op)(int) = (int (*)(int))dlsym(lib, "op_library_op_1");
  int from_library = 0;
  for (int i = 0; i < 10; i++)
    from_library += op(i);
  dlclose(lib);
  /* main (1) + work (7) + op_library_op_1 (10) + helper_in_library (10);
   * switched on for the export, which lists every function only then */
  tprof_set_option("cpu_profiling_enabled", "1");
  tprof_snapshot s;
  tprof_get_snapshot(&s);
  printf("sum %d, library closed, snapshot calls %llu, exported %d\n", sum + from_library - 90,
         (unsigned long long)s.total_calls, tprof_export(NULL, 0));
  return 0;
}
#endif
