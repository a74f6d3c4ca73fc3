// Code that runs before the runtime can: an ifunc resolver and the resolver
// that target_clones generates are instrumented and run during relocation,
// before libc is ready (with -static, before TLS exists). They only count;
// the program runs as without tprof in both links, TPROF_OPTIONS applies,
// the counts are right and one thread is seen. Linked dynamically here;
// ifunc_early_static.test links the same program with -static.
//
// ASan's and TSan's code in the resolver itself (ASan's check of its read of
// __cpu_model, TSan's function entry) runs before the sanitizer's runtime
// exists: the program crashes built with -fsanitize=address or =thread even
// without tprof.
// UNSUPPORTED: sanitizer-address, sanitizer-thread
// RUN: rm -rf %t.cwd %t.dyn0 %t.dyn2 && mkdir -p %t.cwd
// RUN: %tprof_cc -O0 -g %s %tprof_rt_static -o %t.dyn0.exe
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.dyn2.exe
// RUN: cd %t.cwd && env TPROF_OPTIONS=output_dir=%t.dyn0 %t.dyn0.exe | %FileCheck %s
// RUN: cd %t.cwd && env TPROF_OPTIONS=output_dir=%t.dyn2 %t.dyn2.exe | %FileCheck %s
// RUN: not ls %t.cwd/tprof_output
// RUN: %tpexpect %t.dyn0 --from %s
// RUN: %tpexpect %t.dyn2 --from %s
//
// CHECK: sum 145 scaled 135
// EXPECT: g("threads_seen") == 1
// EXPECT: (f("add_fast", "calls") or 0) + (f("add_generic", "calls") or 0) == 10
// EXPECT: f("main", "calls") == 1
// The clones of scale (scale.avx2.0, scale.default.1...), not its resolver:
// EXPECT: sum(x["calls"] for x in m["functions"] if x["name"].startswith("scale.") and "resolver" not in x["name"]) == 10
#include <stdio.h>

static int add_generic(int a, int b) { return a + b; }
static int add_fast(int a, int b) { return b + a; }

/* Runs during relocation: no libc call here (it is not ready). */
static void *pick_add(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") ? (void *)add_fast : (void *)add_generic;
}

int add(int a, int b) __attribute__((ifunc("pick_add")));

__attribute__((target_clones("avx2", "default"))) int scale(int x) { return 3 * x; }

int main(void) {
  int sum = 0, scaled = 0;
  for (int i = 0; i < 10; i++) sum += add(i, 10);
  for (int i = 0; i < 10; i++) scaled += scale(i);
  printf("sum %d scaled %d\n", sum, scaled);
  return 0;
}
