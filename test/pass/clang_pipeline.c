// Through clang: the pass runs at the start of the pipeline at every -O
// level, so -O0's optnone functions are instrumented and, at -O2, the call
// counter of an inlined function stays in its caller. caller is timed (it
// calls a function of another module); add_one is a tiny leaf, counted but
// not timed, and its call gets a call-site counter. At the end of the
// pipeline, at every -O level, each counter update is lowered to a plain
// add while glibc's __libc_single_threaded is set, else the atomic add (on
// x86-64 one inline-assembly statement, lower_counters_x86.ll). Hooks carry debug locations (the entry hook the
// function's line, the exit hook the return's). Plain clang, not %tprof_cc:
// in sanitized test configurations the sanitizers' own instrumentation
// would be in the way (UBSan's handler calls make add_one a caller).
// RUN: %clang -fpass-plugin=%tprof_plugin -O0 -g -S -emit-llvm %s -o - | %FileCheck %s --check-prefixes=CHECK,O0
// RUN: %clang -fpass-plugin=%tprof_plugin -O2 -g -S -emit-llvm %s -o - | %FileCheck %s --check-prefixes=CHECK,O2
// RUN: %clang -fpass-plugin=%tprof_plugin -O2 -S -emit-llvm %s -o - | %FileCheck %s --check-prefixes=CHECK,O2

static int add_one(int x) { return x + 1; }
int external(int x);
int caller(int x) {
  return add_one(x) * external(x);
}

// CHECK-DAG: @__tprof_func.caller = private global {{.*}} { i32 2, i32 2, i32 {{18|0}}, i32 0, i64 0,
// add_one is a static tiny leaf called only directly: flags TPROF_FUNC_BY_CALLSITES
// CHECK-DAG: @__tprof_func.add_one = private global {{.*}} { i32 2, i32 4, i32 {{16|0}}, i32 0, i64 0,
// CHECK-DAG: @__tprof_callsite = private global { i32, i32, i64, {{.*}} } { i32 2, i32 {{19|0}}, i64 0, {{.*}}@__tprof_func.caller{{[ ,)].*}}@__tprof_func.add_one{{[ ,)]}}

// O0-LABEL: define {{.*}}i32 @caller(
// O0-NEXT: alloca i32
// O0-NEXT: alloca i32
// O0-NEXT: call void asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $$1, $0\0A\092:\0A\09.subsection 1\0A1:\0A\09lock addq $$1, $0\0A\09jmp 2b\0A\09.subsection 0", "=*m,*m,~{flags}"({{.*}}@__tprof_func.caller.calls, {{.*}}@__libc_single_threaded)
// caller makes a call that the pass cannot see into: it calls its hooks
// unconditionally, the exit with the guard the entry read and returned
// (hook_calls.c has both forms).
// O0-NOT: __tprof_hooks_on
// O0: [[ARG:%[a-z0-9.]+]] = call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.caller{{.*}}), !dbg [[ENTRY:![0-9]+]]
// O0: store i32 [[ARG]], {{.*}}[[ARG_SLOT:%[a-z0-9.]+]]
// O0: call void asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $$1, $0\0A\092:\0A\09.subsection 1\0A1:\0A\09lock addq $$1, $0\0A\09jmp 2b\0A\09.subsection 0", "=*m,*m,~{flags}"({{.*}}@__tprof_callsite.calls, {{.*}}@__libc_single_threaded)
// O0-NEXT: call i32 @add_one(
// O0: call i32 @external(
// O0-NEXT: mul
// O0-NEXT: [[ARG_NOW:%[a-z0-9.]+]] = load i32, {{.*}}[[ARG_SLOT]]
// O0-NEXT: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.caller{{.*}}, i32 [[ARG_NOW]]), !dbg
// O0-NEXT: ret i32
// Its calls are its call site's: no counter of its own.
// O0-LABEL: define internal i32 @add_one(
// O0-NOT: __tprof
// O0: ret i32
// O0: [[ENTRY]] = !DILocation(line: 18,

// The inlined add_one's only counter, its call site's, is in caller's code.
// O2-LABEL: define {{.*}}i32 @caller(
// O2: call void asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $$1, $0\0A\092:\0A\09.subsection 1\0A1:\0A\09lock addq $$1, $0\0A\09jmp 2b\0A\09.subsection 0", "=*m,*m,~{flags}"({{.*}}@__tprof_func.caller.calls, {{.*}}@__libc_single_threaded)
// O2-NOT: __tprof_hooks_on
// O2: [[ARG:%[a-z0-9.]+]] = {{(tail )?}}call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.caller{{.*}})
// O2: store i32 [[ARG]], {{.*}}[[ARG_SLOT:%[a-z0-9.]+]]
// O2: call void asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $$1, $0\0A\092:\0A\09.subsection 1\0A1:\0A\09lock addq $$1, $0\0A\09jmp 2b\0A\09.subsection 0", "=*m,*m,~{flags}"({{.*}}@__tprof_callsite.calls, {{.*}}@__libc_single_threaded)
// O2-NOT: @__tprof_func.add_one.calls
// O2-NOT: call {{.*}}@__tprof_func_{{.*}}@__tprof_func.add_one
// O2: call i32 @external(
// O2-NOT: call {{.*}}@__tprof_func_{{.*}}@__tprof_func.add_one
// O2: [[ARG_NOW:%[a-z0-9.]+]] = load i32, {{.*}}[[ARG_SLOT]]
// O2-NEXT: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.caller{{.*}}, i32 [[ARG_NOW]])
// O2-NOT: define internal i32 @add_one(
