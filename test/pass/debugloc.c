// With -g the hooks carry debug locations: the entry hook the function's
// line in its DISubprogram, the exit hook the location of its ret. The
// module verifies, and so does clang's own output with TPROF_VERIFY=1.
// classify is a tiny leaf: TPROF_TIMING=all gives it hooks.
// RUN: %clang -O0 -g -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: env TPROF_TIMING=all %opt -passes=tprof,verify -S %t.ll | %FileCheck %s
// RUN: env TPROF_TIMING=all TPROF_VERIFY=1 %clang -O2 -g -fpass-plugin=%tprof_plugin -c %s -o %t.o 2>&1 | %FileCheck %s --check-prefix=VERIFY --allow-empty
// RUN: env TPROF_VERIFY=1 %clang -O2 -g -fpass-plugin=%tprof_plugin -c %s -o %t.o 2>&1 | %FileCheck %s --check-prefix=VERIFY --allow-empty
// RUN: env TPROF_VERIFY=1 %clang -O0 -g -fpass-plugin=%tprof_plugin -c %s -o %t.o 2>&1 | %FileCheck %s --check-prefix=VERIFY --allow-empty
// VERIFY-NOT: tprof:
// VERIFY-NOT: error

int classify(int x) {
  if (x < 0)
    return -1;
  return x > 0;
}

// CHECK: define {{.*}}i32 @classify({{.*}}!dbg [[SP:![0-9]+]]
// CHECK: call void @__tprof_func_enter({{.*}}), !dbg [[ENTER:![0-9]+]]
// CHECK: call void @__tprof_func_exit({{.*}}), !dbg [[EXIT:![0-9]+]]
// CHECK-NEXT: br label %[[RET:[0-9]+]], !dbg [[EXIT]]
// CHECK: {{^}}[[RET]]:
// CHECK-NEXT: ret i32 {{.*}}, !dbg [[EXIT]]
// CHECK-DAG: [[SP]] = distinct !DISubprogram(name: "classify", {{.*}}line: 13,
// CHECK-DAG: [[ENTER]] = !DILocation(line: 13, scope: [[SP]])
// CHECK-DAG: [[EXIT]] = !DILocation(line: 17, column: {{[0-9]+}}, scope: [[SP]])
