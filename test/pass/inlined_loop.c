// At -O2 a static helper called from a loop is inlined, but the pass ran
// before the inliner: the call site's counter (a static tiny leaf called
// only directly has no hooks and no counter of its own: its calls are its
// call sites') ends up inside the loop. The loop calls nothing after
// inlining, and the update runs once in each iteration of a loop whose trip
// count ScalarEvolution knows (n), so the lowering at the end of the
// pipeline adds n to the counter once, on the loop's way out. The loop then
// does nothing (its result is n) and is deleted, as in the plain build:
// count_up has no loop left. (Where the trip count is not known, a register
// adds 1 per iteration: lower_counters.ll has those cases and the ones that
// stay in memory.) LLVM's loop printer would name any loop left.
// RUN: %clang -O2 -fno-unroll-loops -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o %t.O2.ll
// RUN: %opt_bin -passes='print<loops>' -disable-output %t.O2.ll 2>&1 | cat - %t.O2.ll | %FileCheck %s
// RUN: %FileCheck %s --check-prefix=FLUSH < %t.O2.ll
// RUN: %FileCheck %s --check-prefix=EXIT < %t.O2.ll
// With unrolling (without the deletion: a remainder loop too) and at -O3,
// the same: every update of the call site's counter adds a sum, none adds 1.
// RUN: %clang -O2 -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o %t.unrolled.ll
// RUN: %FileCheck %s --check-prefix=FLUSH < %t.unrolled.ll
// RUN: %clang -O3 -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o %t.O3.ll
// RUN: %FileCheck %s --check-prefix=FLUSH < %t.O3.ll
// RUN: not grep -E '"=\*m,\*m,~\{flags\}"\(.*@__tprof_callsite,' %t.O2.ll %t.unrolled.ll %t.O3.ll

static int add_one(int x) { return x + 1; }

int count_up(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s = add_one(s);
  return s;
}

// CHECK-NOT: Loop at depth
// CHECK-NOT: define internal {{.*}}@add_one(
// CHECK-LABEL: define {{.*}}i32 @count_up(
// CHECK: call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.count_up
// CHECK-NOT: phi i64
// CHECK: ret i32
// CHECK-NOT: call void @__tprof_func_{{.*}}@__tprof_func.add_one
// CHECK-NOT: define internal {{.*}}@add_one(
// Its exit hook (where -O2 placed the return block: before or after the loop).
// EXIT-LABEL: define {{.*}}i32 @count_up(
// EXIT: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.count_up
// EXIT: {{^}}}

// The flush: if single-threaded a plain add of the count, else an atomic add
// of it (x86-64: one statement, the sum a register operand). Nothing adds 1
// to the call site's counter.
// FLUSH-NOT: define internal {{.*}}@add_one(
// FLUSH-LABEL: define {{.*}}i32 @count_up(
// FLUSH-NOT: "=*m,*m,~{flags}"({{.*}}@__tprof_callsite.calls,
// FLUSH: asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $2, $0{{.*}}"=*m,*m,r,~{flags}"({{.*}}@__tprof_callsite.calls, {{.*}}@__libc_single_threaded, i64 %{{[0-9]+}})
// FLUSH-NOT: "=*m,*m,~{flags}"({{.*}}@__tprof_callsite.calls,
// FLUSH: {{^}}}
