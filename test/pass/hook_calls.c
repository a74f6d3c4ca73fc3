// The two forms of a timed function's hook calls, through clang at -O0 and
// -O2. fib (small, no loop, calls only itself) tests the guard byte itself
// and calls __tprof_func_enter/exit only when it is set: while the profile
// is off, no call at all. wraps (a call of another module) and sum (a
// loop) call __tprof_func_enter_if/exit_if unconditionally, passing the
// guard's value read once at entry: no branch around the hooks, which is
// what makes the -O2 compile cheaper (docs/BENCHMARKS.md).
// RUN: %clang -fpass-plugin=%tprof_plugin -O0 -S -emit-llvm %s -o %t.O0.ll
// RUN: %FileCheck %s < %t.O0.ll
// RUN: %clang -fpass-plugin=%tprof_plugin -O2 -S -emit-llvm %s -o %t.O2.ll
// RUN: %FileCheck %s < %t.O2.ll
// A function with a loop that -O2 deletes is decided on the source: still _if.
// RUN: %FileCheck %s --check-prefix=GONE < %t.O2.ll

int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int external(int x);
int wraps(int x) { return external(x) + 1; }

int sum(const int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += a[i];
  return s;
}

int empty_loop(void) {
  for (int i = 0; i < 100; i++) {
  }
  return 0;
}

// CHECK-LABEL: define {{.*}}i32 @fib(
// CHECK: [[ON:%[0-9]+]] = load atomic i8, {{.*}}@__tprof_hooks_on monotonic
// CHECK-NOT: _if(
// CHECK: br i1
// CHECK-NOT: _if(
// CHECK: call void @__tprof_func_enter({{.*}}@__tprof_func.fib
// CHECK-NOT: _if(
// CHECK: call void @__tprof_func_exit({{.*}}@__tprof_func.fib
// CHECK-NOT: _if(
// CHECK: {{^}}}

// CHECK-LABEL: define {{.*}}i32 @wraps(
// CHECK: [[ON:%[0-9]+]] = load atomic i8, {{.*}}@__tprof_hooks_on monotonic
// CHECK-NOT: {{^}}}
// CHECK-NOT: br {{.*}}label
// CHECK: call void @__tprof_func_enter_if({{.*}}@__tprof_func.wraps{{.*}}, i32 [[ARG:%[0-9]+]])
// CHECK-NOT: br {{.*}}label
// CHECK: call {{.*}}i32 @external(
// CHECK-NOT: br {{.*}}label
// CHECK: call void @__tprof_func_exit_if({{.*}}@__tprof_func.wraps{{.*}}, i32 [[ARG]])
// CHECK-NEXT: ret i32

// CHECK-LABEL: define {{.*}}i32 @sum(
// CHECK-NOT: call void @__tprof_func_enter(
// CHECK: call void @__tprof_func_enter_if({{.*}}@__tprof_func.sum{{.*}}, i32 [[ARG:%[0-9]+]])
// CHECK-NOT: call void @__tprof_func_exit(
// CHECK: call void @__tprof_func_exit_if({{.*}}@__tprof_func.sum{{.*}}, i32 [[ARG]])
// CHECK: {{^}}}

// GONE-LABEL: define {{.*}}i32 @empty_loop(
// GONE: call void @__tprof_func_enter_if({{.*}}@__tprof_func.empty_loop{{.*}}, i32 [[ARG:%[0-9]+]])
// GONE-NEXT: call void @__tprof_func_exit_if({{.*}}@__tprof_func.empty_loop{{.*}}, i32 [[ARG]])
// GONE-NEXT: ret i32 0
