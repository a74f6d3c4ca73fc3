// The lowering at the end of the pipeline: updates that run in an
// iteration only when a branch on a value from outside the loop goes their
// way (a call site in one arm of `which ? a() : b()`, a `switch` on an
// argument) add the same amount in every iteration, so they are added once,
// times the trip count, on the loop's way out: the amount is a select on
// the (frozen) condition, computed before the loops, and no register adds 1
// per iteration for those call sites. A branch on the data (the last
// function) keeps its add per iteration. test/e2e/invariant_branch.c
// checks the counts at -O0/-O2/-O3.
// RUN: %clang -O2 -fno-unroll-loops -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o %t.ll
// RUN: %FileCheck %s < %t.ll

static unsigned first(const unsigned char *g, unsigned i) { return g[i]; }
static unsigned last(const unsigned char *g, unsigned n, unsigned i) { return g[n - 1 - i]; }
static void put0(unsigned char *g, unsigned i, unsigned v) { g[i] = (unsigned char)v; }
static void put1(unsigned char *g, unsigned i, unsigned v) { g[i] = (unsigned char)(v + 1); }
static void put2(unsigned char *g, unsigned i, unsigned v) { g[i] = (unsigned char)(v + 2); }
static unsigned odd(unsigned v) { return v * 3; }

void pick(const unsigned char *in, unsigned char *out, unsigned h, unsigned w, int reverse) {
  for (unsigned r = 0; r < h; r++)
    for (unsigned c = 0; c < w; c++)
      out[r * w + c] = (unsigned char)(reverse ? last(in, h * w, r * w + c) : first(in, r * w + c));
}

void by_case(const unsigned char *in, unsigned char *out, unsigned n, int mode) {
  for (unsigned i = 0; i < n; i++)
    switch (mode) {
    case 0: put0(out, i, in[i]); break;
    case 1: put1(out, i, in[i]); break;
    default: put2(out, i, in[i]); break;
    }
}

unsigned by_data(const unsigned char *g, unsigned n) {
  unsigned s = 0;
  for (unsigned i = 0; i < n; i++)
    if (g[i] & 1) s += odd(g[i]);
  return s;
}

// One freeze of the condition, a select per call site's counter.
// CHECK-LABEL: define {{.*}}void @pick(
// CHECK: [[REVERSE:%[0-9]+]] = freeze i1
// CHECK: select i1 [[REVERSE]], i64 {{[01]}}, i64 {{[01]}}
// CHECK-NOT: freeze
// CHECK: select i1 [[REVERSE]], i64 {{[01]}}, i64 {{[01]}}
// CHECK-NOT: = add i64 %{{[0-9]+}}, 1{{$}}
// CHECK: {{^}}}

// CHECK-LABEL: define {{.*}}void @by_case(
// CHECK: [[MODE:%[0-9]+]] = freeze i32 %3
// CHECK: icmp eq i32 [[MODE]], {{[01]}}
// CHECK: select i1
// CHECK-NOT: freeze
// CHECK-NOT: = add i64 %{{[0-9]+}}, 1{{$}}
// CHECK: {{^}}}

// CHECK-LABEL: define {{.*}}i32 @by_data(
// CHECK-NOT: freeze
// CHECK: = add i64 %{{[0-9]+}}, 1{{$}}
// CHECK: {{^}}}
