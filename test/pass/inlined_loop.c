// At -O2 a static helper called from a loop is inlined, but the pass ran
// before the inliner: the helper's entry and exit hooks are inlined with it
// and stay inside the loop, one pair per iteration.
// RUN: %clang -O2 -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o - | %FileCheck %s
// RUN: %clang -O3 -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o - | %FileCheck %s

static int add_one(int x) { return x + 1; }

int count_up(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s = add_one(s);
  return s;
}

// CHECK-NOT: define internal {{.*}}@add_one(
// CHECK-LABEL: define {{.*}}i32 @count_up(
// CHECK: call void @__tprof_func_enter({{.*}}@__tprof_func.count_up
// CHECK: [[LOOP:[0-9]+]]:{{ +}}; preds = {{.*}}%[[LOOP]]{{(,|$)}}
// CHECK-NOT: {{^[0-9]+:}}
// CHECK: call void @__tprof_func_enter({{.*}}@__tprof_func.add_one
// CHECK-NOT: {{^[0-9]+:}}
// CHECK: call void @__tprof_func_exit({{.*}}@__tprof_func.add_one
// CHECK-NOT: {{^[0-9]+:}}
// CHECK: br i1 {{.*}}label %[[LOOP]]
// CHECK-NOT: define internal {{.*}}@add_one(
