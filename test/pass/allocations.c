// Every allocation function called directly goes to its runtime hook, with a
// call-site record that carries the line and column from debug info; the new
// call keeps the original's debug location, and the module verifies.
// RUN: %clang -O0 -g -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: %opt -passes=tprof,verify -S %t.ll | %FileCheck %s
// Without -g, the site record names the function and has no line.
// RUN: %clang -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.nodebug.ll
// RUN: %opt -passes=tprof,verify -S %t.nodebug.ll | %FileCheck %s --check-prefix=NODEBUG
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

void *use(void *p);

void all_of_them(const char *s) {
  void *q = 0;
  // CHECK-DAG: @__tprof_site.all_of_them{{[.0-9]*}} = private global { i32, i32, i32, i32, {{.*}} } { i32 2, i32 [[@LINE+1]], i32 {{[1-9][0-9]*}}, i32 0,
  use(malloc(16));
  use(calloc(2, 8));
  use(realloc(q, 32));
  use(reallocarray(q, 4, 8));
  use(aligned_alloc(64, 128));
  posix_memalign(&q, 64, 128);
  use(memalign(64, 128));
  use(valloc(4096));
  use(strdup(s));
  use(strndup(s, 3));
  free(q);
}
// CHECK-LABEL: define {{.*}}void @all_of_them(
// CHECK: call {{.*}} @__tprof_malloc(i64 {{(noundef )?}}16, {{.*}}@__tprof_site.all_of_them{{.*}}){{( #[0-9]+)?}}, !dbg
// CHECK: call {{.*}} @__tprof_calloc(i64 {{(noundef )?}}2, i64 {{(noundef )?}}8, {{.*}}){{( #[0-9]+)?}}, !dbg
// CHECK: call {{.*}} @__tprof_realloc({{.*}}, i64 {{(noundef )?}}32, {{.*}}){{( #[0-9]+)?}}, !dbg
// CHECK: call {{.*}} @__tprof_reallocarray({{.*}}, i64 {{(noundef )?}}4, i64 {{(noundef )?}}8, {{.*}}){{( #[0-9]+)?}}, !dbg
// CHECK: call {{.*}} @__tprof_aligned_alloc(i64 {{(noundef )?}}64, i64 {{(noundef )?}}128, {{.*}}){{( #[0-9]+)?}}, !dbg
// CHECK: call {{.*}} @__tprof_posix_memalign({{.*}}, i64 {{(noundef )?}}64, i64 {{(noundef )?}}128, {{.*}}){{( #[0-9]+)?}}, !dbg
// CHECK: call {{.*}} @__tprof_memalign(i64 {{(noundef )?}}64, i64 {{(noundef )?}}128, {{.*}}){{( #[0-9]+)?}}, !dbg
// CHECK: call {{.*}} @__tprof_valloc(i64 {{(noundef )?}}4096, {{.*}}){{( #[0-9]+)?}}, !dbg
// CHECK: call {{.*}} @__tprof_strdup({{.*}}){{( #[0-9]+)?}}, !dbg
// CHECK: call {{.*}} @__tprof_strndup({{.*}}, i64 {{(noundef )?}}3, {{.*}}){{( #[0-9]+)?}}, !dbg
// CHECK: call void @__tprof_free({{.*}}){{( #[0-9]+)?}}, !dbg
// CHECK-NOT: call {{.*}} @{{(malloc|calloc|realloc|reallocarray|aligned_alloc|posix_memalign|memalign|valloc|strdup|strndup|free)}}(
// CHECK: ret void

// NODEBUG-DAG: @__tprof_site.all_of_them = private global { i32, i32, i32, i32, {{.*}} } { i32 2, i32 0, i32 0, i32 0,
// NODEBUG-DAG: c"all_of_them\00"
