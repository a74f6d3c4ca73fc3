// A const function (readnone / memory(none)) called in a loop: without the
// pass -O2 hoists the call out of the loop and multiplies its result by 100.
// The pass removes those attributes from the function and its call sites,
// so the call (and its hooks) stay in the loop: 100 calls, 100 counts.
// RUN: %clang -O2 -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o - | %FileCheck %s

__attribute__((const, noinline)) int square(int x) { return x * x; }

int sum_squares(int x) {
  int s = 0;
  for (int i = 0; i < 100; i++)
    s += square(x);
  return s;
}

// CHECK-LABEL: define {{.*}}i32 @square(
// CHECK: call void @__tprof_func_enter({{.*}}@__tprof_func.square
// CHECK: call void @__tprof_func_exit({{.*}}@__tprof_func.square

// The loop block is the one that is its own predecessor.
// CHECK-LABEL: define {{.*}}i32 @sum_squares(
// CHECK-NOT: mul i32 {{.*}}, 100
// CHECK: [[LOOP:[0-9]+]]:{{ +}}; preds = {{.*}}%[[LOOP]]{{(,|$)}}
// CHECK-NOT: {{^[0-9]+:}}
// CHECK: call i32 @square(
// CHECK-NOT: {{^[0-9]+:}}
// CHECK: br i1 {{.*}}label %[[LOOP]]
// CHECK-NOT: mul i32 {{.*}}, 100
// CHECK: {{^}}}

// Neither the definition nor the call site keeps a no-side-effect attribute.
// CHECK-NOT: attributes {{.*}}readnone
// CHECK-NOT: memory(none)
