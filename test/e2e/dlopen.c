// Instrumented code in a shared library loaded with dlopen and unloaded with
// dlclose is counted, and its function names and allocation sites are still
// right in the files written at exit (the runtime copied them). Both the
// program and the library use the shared runtime.
//
// RUN: rm -rf %t.d && mkdir -p %t.lib
// RUN: %tprof_cc -O2 -g -fPIC -shared %S/Inputs/dl_library.c %tprof_rt_shared -o %t.lib/libdl_library.so
// RUN: %tprof_cc -O2 -g %s %tprof_rt_shared -ldl -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe %t.lib/libdl_library.so | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.d func op_library_op_1 calls | %FileCheck %s --check-prefix=TEN
// RUN: %tpq %t.d func helper_in_library calls | %FileCheck %s --check-prefix=TEN
// RUN: %tpq %t.d func op_library_op_1 file | %FileCheck %s --check-prefix=FILE
// RUN: %tpq %t.d get operation_timings | %FileCheck %s --check-prefix=OPS
// RUN: %tpq %t.d get memory_allocation_data.top_allocators | %FileCheck %s --check-prefix=SITE
// RUN: %tpq %t.d get memory_allocation_data.allocation_count | %FileCheck %s --check-prefix=TEN
//
// OUT: sum 90, library closed
// TEN: {{^}}10{{$}}
// FILE: Inputs/dl_library.c
// OPS: "library_op_1":
// SITE: dl_library.c:13"
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  int (*op)(int) = (int (*)(int))dlsym(lib, "op_library_op_1");
  int sum = 0;
  for (int i = 0; i < 10; i++) sum += op(i);
  dlclose(lib);
  printf("sum %d, library closed\n", sum);
  return 0;
}
