// At -O2 a static helper called from a loop is inlined, but the pass ran
// before the inliner: the call site's counter (a static tiny leaf called
// only directly has no hooks and no counter of its own: its calls are its
// call sites') stays inside the loop, updated
// in memory at every iteration (plain add or atomic add), never kept in a
// register across iterations.
// RUN: %clang -O2 -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o %t.O2.ll
// RUN: %opt_bin -passes='print<loops>' -disable-output %t.O2.ll 2>&1 | cat - %t.O2.ll | %FileCheck %s
// At -O3, LLVM 22 unswitches the loop on __libc_single_threaded and sums the
// plain counter's increments in closed form (add n once: exact, since
// nothing in the loop can leave it); the atomic copy keeps one atomic add
// per call. test/e2e/exact_counts.c checks the counts at -O3.
// RUN: %clang -O3 -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o - | %FileCheck %s --check-prefix=O3

static int add_one(int x) { return x + 1; }

int count_up(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s = add_one(s);
  return s;
}

// LLVM's loop printer names the loop's header and latch; the IR follows.
// CHECK: Loop at depth 1 containing: %[[HEADER:[0-9]+]]<header>,{{.*}}%[[LATCH:[0-9]+]]<latch>
// CHECK-NOT: Loop at depth
// CHECK-NOT: define internal {{.*}}@add_one(
// CHECK-LABEL: define {{.*}}i32 @count_up(
// CHECK: call void @__tprof_func_enter({{.*}}@__tprof_func.count_up
// CHECK: {{^}}[[HEADER]]:
// CHECK-NOT: {{^}}}
// CHECK: store i64 {{.*}}@__tprof_callsite,
// CHECK-NOT: {{^}}}
// CHECK: atomicrmw add {{.*}}@__tprof_callsite,
// CHECK-NOT: {{^}}}
// CHECK: {{^}}[[LATCH]]:
// CHECK-NOT: {{^[0-9]+:}}
// CHECK: br i1 {{.*}}label %[[HEADER]]
// CHECK: call void @__tprof_func_exit({{.*}}@__tprof_func.count_up
// CHECK: {{^}}}
// CHECK-NOT: call void @__tprof_func_{{.*}}@__tprof_func.add_one
// CHECK-NOT: define internal {{.*}}@add_one(

// O3-NOT: define internal {{.*}}@add_one(
// O3-LABEL: define {{.*}}i32 @count_up(
// O3: atomicrmw add {{.*}}@__tprof_callsite,
// O3-NOT: call void @__tprof_func_{{.*}}@__tprof_func.add_one
// O3: call void @__tprof_func_exit({{.*}}@__tprof_func.count_up
// O3-NOT: define internal {{.*}}@add_one(
