// The same source compiles to the same object every time. Counters kept in
// registers through a loop are flushed at its exits; they were flushed in
// the order of their addresses in the compiler's heap, which changed from
// one compile of the grid library to the next (3 different assembly texts
// in 3 compiles; a file this small kept one order). Five compiles of the
// grid library, whose rotation has five counted call sites in one loop,
// must give one assembly text.
// RUN: %clang -fpass-plugin=%tprof_plugin -O2 -S %tprof_src/examples/grid_dsl/grid.c -o %t.1.s
// RUN: %clang -fpass-plugin=%tprof_plugin -O2 -S %tprof_src/examples/grid_dsl/grid.c -o %t.2.s
// RUN: %clang -fpass-plugin=%tprof_plugin -O2 -S %tprof_src/examples/grid_dsl/grid.c -o %t.3.s
// RUN: %clang -fpass-plugin=%tprof_plugin -O2 -S %tprof_src/examples/grid_dsl/grid.c -o %t.4.s
// RUN: %clang -fpass-plugin=%tprof_plugin -O2 -S %tprof_src/examples/grid_dsl/grid.c -o %t.5.s
// RUN: cmp %t.1.s %t.2.s
// RUN: cmp %t.1.s %t.3.s
// RUN: cmp %t.1.s %t.4.s
// RUN: cmp %t.1.s %t.5.s
// The loop's counters are flushed once, at its exit, after the loop:
// RUN: %FileCheck %s < %t.1.s
// CHECK-LABEL: grid_rotate:
// CHECK: Loop Header
// CHECK: addq %{{[a-z0-9]+}}, .L__tprof_callsite{{[.0-9]*}}.calls(%rip)
// CHECK-NEXT: addq %{{[a-z0-9]+}}, .L__tprof_callsite{{[.0-9]*}}.calls(%rip)
// CHECK-NEXT: addq %{{[a-z0-9]+}}, .L__tprof_callsite{{[.0-9]*}}.calls(%rip)
// CHECK-NEXT: addq %{{[a-z0-9]+}}, .L__tprof_callsite{{[.0-9]*}}.calls(%rip)
// CHECK-NEXT: addq %{{[a-z0-9]+}}, .L__tprof_callsite{{[.0-9]*}}.calls(%rip)
