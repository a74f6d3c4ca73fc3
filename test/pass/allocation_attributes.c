// A redirected allocation call keeps what the original call said that still
// holds of the hook: the fresh result (noalias, align), the arguments
// (noundef), the size arguments (allocsize, where clang puts it), no
// unwinding; and none of malloc's memory effects or allocation-family
// attributes (the hook writes tprof's books). One FileCheck per call: each
// checks the call and then its attribute group, which holds nothing else.
// RUN: %clang -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: %opt -passes=tprof,verify -S %t.ll -o %t.out.ll
// RUN: %FileCheck %s --check-prefix=MALLOC < %t.out.ll
// RUN: %FileCheck %s --check-prefix=FREE < %t.out.ll
// RUN: %FileCheck %s --check-prefix=CALLOC < %t.out.ll
// RUN: %FileCheck %s --check-prefix=ALIGNED < %t.out.ll
// RUN: %FileCheck %s --check-prefix=STRDUP < %t.out.ll
// RUN: %FileCheck %s --check-prefix=REALLOC < %t.out.ll
//
// At -O2 the optimiser works on the program's own allocation calls (they
// are redirected at the end of the pipeline): fresh_field keeps a field of
// the new block in a register across a store through another pointer and
// returns the constant, as the plain build does; the block escapes, so its
// allocation stays and goes to the hook.
// (plain clang with the plugin: a sanitizer build's checks would be in the way)
// RUN: %clang -fpass-plugin=%tprof_plugin -I%tprof_src/include -O2 -S -emit-llvm %s -o - | %FileCheck %s --check-prefix=O2
#include <stdlib.h>
#include <string.h>

// MALLOC: call noalias {{.*}}@__tprof_malloc(i64 noundef 16, {{.*}}) #[[A:[0-9]+]]
// MALLOC: attributes #[[A]] = { nounwind{{( allocsize\(0\))?}} }
// FREE: call void @__tprof_free({{.*}} noundef %{{.*}}, {{.*}}) #[[A:[0-9]+]]
// FREE: attributes #[[A]] = { nounwind }
// O2-LABEL: define {{.*}} @fresh_field(
// O2: call noalias {{.*}}@__tprof_malloc(
// O2-NOT: load
// O2: ret i64 1
long fresh_field(long *other, long **out) {
  long *p = malloc(16);
  p[0] = 1;
  *other = 2;
  long v = p[0];
  *out = p;
  return v;
}

// CALLOC: call noalias {{.*}}@__tprof_calloc(i64 noundef %{{.*}}, i64 noundef 8, {{.*}}) #[[A:[0-9]+]]
// CALLOC: attributes #[[A]] = { nounwind{{( allocsize\(0,1\))?}} }
// ALIGNED: call noalias align 64 {{.*}}@__tprof_aligned_alloc(i64 noundef 64, i64 noundef %{{.*}}, {{.*}}) #[[A:[0-9]+]]
// ALIGNED: attributes #[[A]] = { nounwind{{( allocsize\(1\))?}} }
// STRDUP: call noalias {{.*}}@__tprof_strdup({{.*}} noundef %{{.*}}, {{.*}}) #[[A:[0-9]+]]
// STRDUP: attributes #[[A]] = { nounwind }
// realloc's result may be the old block: not noalias
// REALLOC: call {{(i8\*|ptr)}} @__tprof_realloc({{.*}} noundef %{{.*}}, i64 noundef %{{.*}}, {{.*}}) #[[A:[0-9]+]]
// REALLOC: attributes #[[A]] = { nounwind{{( allocsize\(1\))?}} }
void *others(size_t n, const char *s, void *old) {
  void *a = calloc(n, 8);
  void *b = aligned_alloc(64, n);
  char *c = strdup(s);
  void *d = realloc(old, n);
  free(a);
  free(b);
  free(c);
  return d;
}
