// Counter lowering through clang (lower_counters.ll has the cases on
// hand-written IR). The accessors are static tiny leaves, counted by their
// call sites, and inlined at -O2:
//  - sum and find: the loop calls nothing after inlining, so the call
//    sites' counters stay in registers and are added once on each exit of
//    the loop: in sum no counter update adds 1 (each adds a sum), none is
//    left in the loop;
//  - report: the loop calls printf, so its update stays in the loop (plain
//    add behind the flag check, or the atomic add: on x86-64 one
//    inline-assembly statement, lower_counters_x86.ll);
//  - poll: the loop writes a volatile object (a signal handler may read
//    it), so its update stays in the loop too.
// Without unrolling each function has one loop, whose header LLVM's loop
// printer names (sum's comes first); the IR follows.
// RUN: %clang -O2 -fno-unroll-loops -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o %t.O2.ll
// RUN: %opt_bin -passes='print<loops>' -disable-output %t.O2.ll 2>&1 | cat - %t.O2.ll | %FileCheck %s --check-prefix=O2
// RUN: %FileCheck %s --check-prefix=FLUSH < %t.O2.ll
// At -O0 nothing is inlined, each loop calls its accessor: every update adds
// 1, as a plain add while __libc_single_threaded is set, else atomically
// (on x86-64 one inline-assembly statement, lower_counters_x86.ll).
// RUN: %clang -O0 -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o - | %FileCheck %s --check-prefix=O0
#include <stdio.h>

static int at(const int *g, int i) { return g[i]; }

int sum(const int *g, int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += at(g, i);
  return s;
}

int find(const int *g, int n, int v) {
  for (int i = 0; i < n; i++)
    if (at(g, i) == v)
      return i;
  return -1;
}

void report(const int *g, int n) {
  for (int i = 0; i < n; i++)
    printf("%d\n", at(g, i));
}

void poll(volatile int *out, const int *g, int n) {
  for (int i = 0; i < n; i++)
    *out = at(g, i);
}

// O2: Loop at depth 1 containing: %[[SUM_LOOP:[0-9]+]]<header>
// O2-LABEL: define {{.*}}i32 @sum(
// O2-NOT: "=*m,*m,~{flags}"({{.*}}@__tprof_callsite{{[.0-9]*}}.calls,
// O2: {{^}}[[SUM_LOOP]]:
// O2-NOT: __tprof
// O2: br i1 {{.*}}, label %[[SUM_LOOP]]
// O2-NOT: "=*m,*m,~{flags}"({{.*}}@__tprof_callsite{{[.0-9]*}}.calls,
// O2: {{^}}}
// The flush after sum's loop: a plain add of the sum while single-threaded,
// else an atomic add of it.
// FLUSH-LABEL: define {{.*}}i32 @sum(
// FLUSH: call void asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $2, $0\0A\092:\0A\09.subsection 1\0A1:\0A\09lock addq $2, $0\0A\09jmp 2b\0A\09.subsection 0", "=*m,*m,r,~{flags}"({{.*}}@__tprof_callsite{{[.0-9]*}}.calls, {{.*}}@__libc_single_threaded, i64 %{{[0-9]+}})
// FLUSH-LABEL: define {{.*}}i32 @find(
// find's loop has two exits (found, end of the array): each adds the sum.
// (LLVM may peel the first iteration off the loop: its update adds 1.)
// O2-LABEL: define {{.*}}i32 @find(
// O2-COUNT-2: "=*m,*m,r,~{flags}"({{.*}}@__tprof_callsite{{[.0-9]*}}.calls,
// O2: {{^}}}
// O2-LABEL: define {{.*}}void @report(
// O2-NOT: "=*m,*m,r,~{flags}"({{.*}}@__tprof_callsite{{[.0-9]*}}.calls,
// O2: "=*m,*m,~{flags}"({{.*}}@__tprof_callsite{{[.0-9]*}}.calls,
// O2: call {{.*}}@printf(
// O2-NOT: "=*m,*m,r,~{flags}"({{.*}}@__tprof_callsite{{[.0-9]*}}.calls,
// O2: {{^}}}
// O2-LABEL: define {{.*}}void @poll(
// O2-NOT: "=*m,*m,r,~{flags}"({{.*}}@__tprof_callsite{{[.0-9]*}}.calls,
// O2: "=*m,*m,~{flags}"({{.*}}@__tprof_callsite{{[.0-9]*}}.calls,
// O2: store volatile i32
// O2-NOT: "=*m,*m,r,~{flags}"({{.*}}@__tprof_callsite{{[.0-9]*}}.calls,
// O2: {{^}}}

// O0-LABEL: define {{.*}}i32 @sum(
// O0: call void asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $$1, $0\0A\092:\0A\09.subsection 1\0A1:\0A\09lock addq $$1, $0\0A\09jmp 2b\0A\09.subsection 0", "=*m,*m,~{flags}"({{.*}}@__tprof_func.sum.calls, {{.*}}@__libc_single_threaded)
// O0: call i32 @__tprof_func_enter_checked(
// O0: call void asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $$1, $0\0A\092:\0A\09.subsection 1\0A1:\0A\09lock addq $$1, $0\0A\09jmp 2b\0A\09.subsection 0", "=*m,*m,~{flags}"({{.*}}@__tprof_callsite{{[.0-9]*}}.calls, {{.*}}@__libc_single_threaded)
// O0: call i32 @at(
// O0-NOT: ,r,~{flags}
// O0: call void @__tprof_func_exit_checked(
// O0-LABEL: define {{.*}}void @poll(
