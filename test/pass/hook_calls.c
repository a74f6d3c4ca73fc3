// The two forms of a timed function's hook calls, through clang at -O0 and
// -O2. fib (small, no loop, calls only itself) tests the guard byte itself
// and calls __tprof_func_enter/exit only when it is set: while the profile
// is off, no call at all. wraps (a call of another module) and sum (a
// loop) call __tprof_func_enter_checked unconditionally, which reads the
// guard and returns it, and pass that value (through a stack slot, so that
// it holds no register across the body) to __tprof_func_exit_checked:
// no branch around the hooks and no load of the guard in the function,
// which is what makes the -O2 compile cheaper (docs/BENCHMARKS.md).
// RUN: %clang -fpass-plugin=%tprof_plugin -O0 -S -emit-llvm %s -o %t.O0.ll
// RUN: %FileCheck %s < %t.O0.ll
// RUN: %clang -fpass-plugin=%tprof_plugin -O2 -S -emit-llvm %s -o %t.O2.ll
// RUN: %FileCheck %s < %t.O2.ll
// A function with a loop that -O2 deletes is decided on the source: still _checked.
// RUN: %FileCheck %s --check-prefix=GONE < %t.O2.ll
// In an executable (-fPIE) the guard byte and glibc's single-threaded flag
// that the counters read are dso_local: read PC-relative, without a GOT
// load (the linker copies a shared library's variable into the executable:
// e2e/fib.c against the shared runtime, e2e/counter_sections.c with threads
// for the flag); a shared library (-fPIC) keeps the GOT.
// RUN: %clang -fpass-plugin=%tprof_plugin -O2 -fPIE -S -emit-llvm %s -o - | %FileCheck %s --check-prefix=PIE
// RUN: %clang -fpass-plugin=%tprof_plugin -O2 -fPIC -S -emit-llvm %s -o - | %FileCheck %s --check-prefix=PIC
// PIE-DAG: @__tprof_hooks_on = external dso_local {{(local_unnamed_addr )?}}global i8
// PIE-DAG: @__libc_single_threaded = external dso_local global i8
// PIC-DAG: @__tprof_hooks_on = external {{(local_unnamed_addr )?}}global i8
// PIC-DAG: @__libc_single_threaded = external global i8

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
// CHECK-NOT: _checked(
// CHECK: br i1
// CHECK-NOT: _checked(
// CHECK: call void @__tprof_func_enter({{.*}}@__tprof_func.fib
// CHECK-NOT: _checked(
// CHECK: call void @__tprof_func_exit({{.*}}@__tprof_func.fib
// CHECK-NOT: _checked(
// CHECK: {{^}}}

// CHECK-LABEL: define {{.*}}i32 @wraps(
// CHECK-NOT: __tprof_hooks_on
// CHECK: [[ARG:%[a-z0-9.]+]] = {{(tail )?}}call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.wraps{{.*}})
// CHECK-NEXT: store i32 [[ARG]], {{.*}}[[ARG_SLOT:%[a-z0-9.]+]]
// CHECK-NOT: br {{.*}}label
// CHECK: call {{.*}}i32 @external(
// CHECK-NOT: br {{.*}}label
// CHECK: [[ARG_NOW:%[a-z0-9.]+]] = load i32, {{.*}}[[ARG_SLOT]]
// CHECK-NEXT: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.wraps{{.*}}, i32 [[ARG_NOW]])
// CHECK-NEXT: ret i32

// CHECK-LABEL: define {{.*}}i32 @sum(
// CHECK-NOT: call void @__tprof_func_enter(
// CHECK: [[ARG:%[a-z0-9.]+]] = {{(tail )?}}call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.sum{{.*}})
// CHECK-NEXT: store i32 [[ARG]], {{.*}}[[ARG_SLOT:%[a-z0-9.]+]]
// CHECK-NOT: call void @__tprof_func_exit(
// CHECK: [[ARG_NOW:%[a-z0-9.]+]] = load i32, {{.*}}[[ARG_SLOT]]
// CHECK-NEXT: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.sum{{.*}}, i32 [[ARG_NOW]])
// CHECK: {{^}}}

// GONE-LABEL: define {{.*}}i32 @empty_loop(
// GONE: [[ARG:%[a-z0-9.]+]] = {{(tail )?}}call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.empty_loop{{.*}})
// GONE-NEXT: store i32 [[ARG]], {{.*}}[[ARG_SLOT:%[a-z0-9.]+]]
// GONE-NEXT: [[ARG_NOW:%[a-z0-9.]+]] = load i32, {{.*}}[[ARG_SLOT]]
// GONE-NEXT: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.empty_loop{{.*}}, i32 [[ARG_NOW]])
// GONE-NEXT: ret i32 0

// An ifunc resolver runs while its object is relocated, before a call
// through the PLT may reach the runtime: it keeps the guarded hooks (which
// touch nothing while the guard byte is 0), although it makes an opaque
// call, and so does what it calls here (pick_helper has a loop).
static int add_generic(int a, int b) { return a + b; }
static int add_fast(int a, int b) { return b + a; }
static int pick_helper(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += __builtin_cpu_supports("avx2");
  return s;
}
static void *pick_add(void) {
  __builtin_cpu_init();
  return pick_helper(3) ? (void *)add_fast : (void *)add_generic;
}
int add(int a, int b) __attribute__((ifunc("pick_add")));
int use_add(int x) { return add(x, 1); }

// RUN: %FileCheck %s --check-prefix=RESOLVER < %t.O0.ll
// RESOLVER-LABEL: define internal {{.*}}@pick_add(
// RESOLVER-NOT: _checked(
// RESOLVER: call void @__tprof_func_enter(
// RESOLVER-NOT: _checked(
// RESOLVER-LABEL: define internal {{.*}}@pick_helper(
// RESOLVER-NOT: _checked(
// RESOLVER: call void @__tprof_func_enter(
// RESOLVER-NOT: _checked(
// RESOLVER: {{^}}}
