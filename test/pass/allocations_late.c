// Allocation calls are redirected at the end of the pipeline (pass/Allocations.h):
//  - at -O2 a malloc and free pair whose block nothing outside reads is
//    removed, as the plain build removes it: no hook call is left, and the
//    profile counts the allocations the binary makes;
//  - the copies that inlining makes of one call share one site record,
//    named after the function the call was written in (make_buf), not the
//    functions it was inlined into;
//  - at -O0 nothing is removed: every call goes to its hook.
// RUN: %clang -O2 -g -S -emit-llvm %s -o %t.plain.ll
// RUN: %clang -fpass-plugin=%tprof_plugin -I%tprof_src/include -O2 -g -S -emit-llvm %s -o %t.O2.ll
// RUN: %FileCheck %s --check-prefix=PLAIN < %t.plain.ll
// RUN: %FileCheck %s --check-prefix=O2 < %t.O2.ll
// RUN: %FileCheck %s --check-prefix=SITES < %t.O2.ll
// RUN: %clang -fpass-plugin=%tprof_plugin -I%tprof_src/include -O0 -g -S -emit-llvm %s -o - | %FileCheck %s --check-prefix=O0
#include <stdlib.h>

void keep(char *p);

// PLAIN-LABEL: define {{.*}} @scratch(
// PLAIN-NOT: @malloc
// PLAIN: ret i64
// O2-LABEL: define {{.*}} @scratch(
// O2-NOT: @__tprof_malloc
// O2-NOT: @__tprof_free
// O2-NOT: @malloc
// O2: ret i64
// O0-LABEL: define {{.*}} @scratch(
// O0: call {{.*}} @__tprof_malloc(
// O0: call void @__tprof_free(
long scratch(long x) {
  long *p = malloc(16);
  p[0] = x;
  long v = p[0] * 3;
  free(p);
  return v;
}

static char *make_buf(int n) {
  char *b = malloc((size_t)n);
  if (b) b[0] = 1;
  return b;
}

// One record for make_buf's call, at its line, used by both copies.
// SITES: @[[SITE:__tprof_site\.make_buf[.0-9]*]] = private global { i32, i32, i32, i32, {{.*}} } { i32 {{[0-9]+}}, i32 39, i32 {{[0-9]+}}, i32 0,
// SITES-NOT: @__tprof_site.first
// SITES-NOT: @__tprof_site.second
// SITES-LABEL: define {{.*}} @first(
// SITES: call {{.*}} @__tprof_malloc({{.*}} @[[SITE]]
// SITES-LABEL: define {{.*}} @second(
// SITES: call {{.*}} @__tprof_malloc({{.*}} @[[SITE]]
void first(int n) { keep(make_buf(n)); }
void second(int n) { keep(make_buf(n + 1)); }
