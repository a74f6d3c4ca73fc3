// Records carry the source path as valgrind and llvm-cov show it: the
// debug-info directory joined with the file name, "." and ".." removed, so
// the same file compiled from any directory, with or without -g, has one
// absolute name (function and allocation-site records alike: one string).
// A path that -ffile-prefix-map mapped is kept as mapped;
// TPROF_PATH_PREFIX_STRIP (compile time) removes a leading directory.
//
// RUN: rm -rf %t && mkdir -p %t/src %t/other && cp %s %t/src/paths.c
// RUN: cd %t/src && %clang -O1 -g -fpass-plugin=%tprof_plugin -S -emit-llvm paths.c -o %t/here.ll
// RUN: cd %t/other && %clang -O1 -g -fpass-plugin=%tprof_plugin -S -emit-llvm ../src/paths.c -o %t/up.ll
// RUN: cd %t && %clang -O1 -g -fpass-plugin=%tprof_plugin -S -emit-llvm ./src/paths.c -o %t/down.ll
// RUN: cd %t/other && %clang -O1 -fpass-plugin=%tprof_plugin -S -emit-llvm ../src/paths.c -o %t/nodebug.ll
// RUN: %FileCheck %s -DDIR=%t < %t/here.ll
// RUN: %FileCheck %s -DDIR=%t < %t/up.ll
// RUN: %FileCheck %s -DDIR=%t < %t/down.ll
// RUN: %FileCheck %s -DDIR=%t < %t/nodebug.ll
// CHECK: c"[[DIR]]/src/paths.c\00"
// CHECK-NOT: paths.c\00"
//
// RUN: cd %t/src && %clang -O1 -g -ffile-prefix-map=%t=/proj -fpass-plugin=%tprof_plugin -S -emit-llvm paths.c -o - | %FileCheck %s --check-prefix=MAPPED
// MAPPED: c"/proj/src/paths.c\00"
// MAPPED-NOT: paths.c\00"
// RUN: cd %t/src && %clang -O1 -g -ffile-prefix-map=%t/src=. -fpass-plugin=%tprof_plugin -S -emit-llvm paths.c -o - | %FileCheck %s --check-prefix=DOT
// DOT: c"paths.c\00"
// DOT-NOT: paths.c\00"
// Without -g, an allocation site's file is the module's source, as a
// function's (it was empty: pandas then read the column as floats, NaN),
// with line 0: the function's allocations share one site.
// RUN: cd %t/other && %tprof_cc -O1 ../src/paths.c %tprof_rt_static -o %t/nodebug.exe
// RUN: cd %t/other && env TPROF_OPTIONS=output_dir=%t/nodebug.d %t/nodebug.exe
// RUN: cat %t/nodebug.d/*_memory_allocators.csv | %FileCheck %s -DDIR=%t --check-prefix=SITE
// SITE: location,function,file,line,
// SITE-NEXT: make,make,[[DIR]]/src/paths.c,0,1,
// RUN: cd %t/other && env TPROF_PATH_PREFIX_STRIP=/nowhere:%t/ %clang -O1 -g -fpass-plugin=%tprof_plugin -S -emit-llvm ../src/paths.c -o - | %FileCheck %s --check-prefix=STRIP
// STRIP: c"src/paths.c\00"
// STRIP-NOT: paths.c\00"
#include <stdlib.h>

int *make(int n) {
  int *p = malloc(sizeof *p * (size_t)n);
  for (int i = 0; p && i < n; i++)
    p[i] = i;
  return p;
}

int main(void) {
  int *p = make(4);
  int r = p ? p[3] : 0;
  free(p);
  return r - 3;
}
