// A const function (readnone / memory(none)) called in a loop: without the
// pass -O2 hoists the call out of the loop and multiplies its result by 100.
// The pass removes those attributes from the function and its call sites,
// so the call (with its call-site counter) stays in the loop: 100 calls, 100
// counts. square, a tiny leaf, counts its calls but has no hooks.
// RUN: %clang -O2 -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o %t.ll
// LLVM's loop printer names the loop's header (on x86-64 the counter update
// is one statement: the loop is one block); the IR follows.
// RUN: %opt_bin -passes='print<loops>' -disable-output %t.ll 2>&1 | cat - %t.ll | %FileCheck %s
// RUN: %FileCheck %s --check-prefix=EXIT < %t.ll

__attribute__((const, noinline)) int square(int x) { return x * x; }

int sum_squares(int x) {
  int s = 0;
  for (int i = 0; i < 100; i++)
    s += square(x);
  return s;
}

// CHECK: Loop at depth 1 containing: %[[HEADER:[0-9]+]]<header>{{.*}}<latch>
// CHECK-NOT: Loop at depth

// CHECK-LABEL: define {{.*}}i32 @square(
// CHECK: asm sideeffect {{.*}}@__tprof_func.square.calls,
// CHECK-NOT: __tprof_hooks_on
// CHECK-NOT: call
// CHECK: ret i32

// CHECK-LABEL: define {{.*}}i32 @sum_squares(
// CHECK-NOT: mul i32 {{.*}}, 100
// CHECK: call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.sum_squares
// CHECK: {{^}}[[HEADER]]:
// CHECK-NOT: {{^}}}
// CHECK: asm sideeffect {{.*}}@__tprof_callsite.calls,
// CHECK-NEXT: call i32 @square(
// CHECK-NOT: {{^[0-9]+:}}
// CHECK: br i1 {{.*}}label %[[HEADER]]
// CHECK-NOT: mul i32 {{.*}}, 100
// CHECK: {{^}}}
// Its exit hook (where -O2 placed the return block: before or after the loop).
// EXIT-LABEL: define {{.*}}i32 @sum_squares(
// EXIT: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.sum_squares
// EXIT: {{^}}}

// Neither the definition nor the call site keeps a no-side-effect attribute.
// CHECK-NOT: attributes {{.*}}readnone
// CHECK-NOT: memory(none)
