// Two copies of the runtime in one process: an uninstrumented host loads
// two plugins with dlopen, each linked with libtprof_rt.a. No profile is
// lost: each copy writes its own set, named after its library (program_id
// "<program>.<library>"), and one warning says how to link the runtime once.
// The second copy to start finds the first (both libraries are loaded at
// once) and warns. Plugin a is closed before the exit (its set is written
// then), b's set is written at exit.
//
// RUN: rm -rf %t.d && mkdir -p %t.lib
// RUN: %tprof_cc -O2 -g -fPIC -shared -DPLUGIN=a %S/Inputs/plugin.c %tprof_rt_static -o %t.lib/libplugin_a.so
// RUN: %tprof_cc -O2 -g -fPIC -shared -DPLUGIN=b %S/Inputs/plugin.c %tprof_rt_static -o %t.lib/libplugin_b.so
// RUN: %host_cc -O2 %s -ldl -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe %t.lib/libplugin_a.so %t.lib/libplugin_b.so 2> %t.err | %FileCheck %s
// RUN: %tpq %t.d sets | %FileCheck %s --check-prefix=SETS
// RUN: %tpexpect --set libplugin_a %t.d "f('plugin_a_step', 'calls') == 20" "f('plugin_b_step', 'calls') is None"
// RUN: %tpexpect --set libplugin_b %t.d "f('plugin_b_step', 'calls') == 30" "f('plugin_a_step', 'calls') is None"
// RUN: %FileCheck %s --check-prefix=WARN < %t.err
// RUN: grep -c "ltprof_rt" %t.err | %FileCheck %s --check-prefix=ONCE
//
// CHECK: ran 20 + 30
// SETS: {{^}}2{{$}}
// SETS-DAG: {{\.}}libplugin_a_
// SETS-DAG: {{\.}}libplugin_b_
// WARN: tprof: {{.*}}libplugin_{{.*}}-ltprof_rt
// ONCE: {{^}}1{{$}}
#include <dlfcn.h>
#include <stdio.h>

static int run(void *lib, const char *sym, int n) {
  int (*fn)(int) = lib ? (int (*)(int))dlsym(lib, sym) : NULL;
  return fn ? fn(n) : -1;
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  void *a = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL), *b = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);
  if (!a || !b) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  int ra = run(a, "plugin_a_run", 20), rb = run(b, "plugin_b_run", 30);
  dlclose(a);
  printf("ran %d + %d\n", ra, rb);
  return 0;
}
