// The lowering at the end of the pipeline: a loop whose trip count
// ScalarEvolution cannot tell (its bound is loaded in every iteration: the
// store through an `unsigned char *` may change it) but which counts its
// iterations with an induction variable adds "iterations run" (the
// variable's last value minus its start) on its way out, once, for the
// inlined leaf's call site: no register adds 1 per iteration. The count
// passes through a one-element vector so that the code generator's loop
// strength reduction does not make it an induction variable again.
// test/e2e/reloaded_bound.c checks the counts at -O0/-O2/-O3.
// RUN: %clang -O2 -fno-unroll-loops -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o %t.ll
// RUN: %FileCheck %s < %t.ll
// RUN: %clang -O2 -fno-unroll-loops -fpass-plugin=%tprof_plugin -S %s -o %t.s
// RUN: %FileCheck %s --check-prefix=ASM < %t.s

struct buf {
  unsigned n;
  unsigned char *cells;
};

static unsigned get(const struct buf *b, unsigned i) { return b->cells[i]; }

void copy_up(struct buf *dst, const struct buf *src) {
  for (unsigned i = 0; i < src->n; i++) dst->cells[i] = (unsigned char)get(src, i);
}

// Both: one call site's count chosen by an argument (a select computed
// before the loop), times the iterations run.
static void put_a(struct buf *b, unsigned i, unsigned v) { b->cells[i] = (unsigned char)v; }
static void put_b(struct buf *b, unsigned i, unsigned v) { b->cells[i] = (unsigned char)(v + 1); }

void copy_either(struct buf *dst, const struct buf *src, int which) {
  for (unsigned i = 0; i < src->n; i++) {
    unsigned v = src->cells[i];
    if (which) put_a(dst, i, v);
    else put_b(dst, i, v);
  }
}

// CHECK-LABEL: define {{.*}}void @copy_up(
// CHECK-NOT: = add i64 %{{[0-9]+}}, 1{{$}}
// CHECK: = {{sub|zext}} i
// CHECK: bitcast i64 %{{[0-9]+}} to <1 x i64>
// CHECK: bitcast <1 x i64> %{{[0-9]+}} to i64
// CHECK-NOT: = add i64 %{{[0-9]+}}, 1{{$}}
// CHECK: {{^}}}

// CHECK-LABEL: define {{.*}}void @copy_either(
// CHECK: [[WHICH:%[0-9]+]] = select i1 %{{[0-9]+}}, i64 {{[01]}}, i64 {{[01]}}
// CHECK-NOT: = add i64 %{{[0-9]+}}, 1{{$}}
// CHECK: [[ITERATIONS:%[0-9]+]] = bitcast <1 x i64> %{{[0-9]+}} to i64
// CHECK: mul i64 {{.*}}[[ITERATIONS]]
// CHECK: {{^}}}

// The loop's machine code touches no stack slot (where a strength-reduced
// count was kept: the grid bench's `rotate` spilled such counts), and the
// count is added once after it.
// ASM-LABEL: copy_up:
// ASM: # =>This Inner Loop Header
// ASM-NOT: (%rsp)
// ASM: {{^}}# %bb.
// ASM: addq %{{[a-z0-9]+}}, .L__tprof_callsite.calls(%rip)
