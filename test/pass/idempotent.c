// A second run of the pass adds nothing to a real module (debug info,
// allocation calls, an operation): same output, same number of hooks,
// records and redirected calls.
// RUN: %clang -O0 -g -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: %opt -passes=tprof -S %t.ll -o %t.once.ll
// RUN: %opt -passes=tprof,tprof,verify -S %t.ll -o %t.twice.ll
// RUN: diff %t.once.ll %t.twice.ll
// RUN: %opt -passes=tprof -S %t.once.ll -o %t.again.ll
// RUN: grep -v '^; ModuleID' %t.once.ll > %t.once.body
// RUN: grep -v '^; ModuleID' %t.again.ll > %t.again.body
// RUN: diff %t.once.body %t.again.body
// RUN: grep -c "call void @__tprof_func_enter(" %t.twice.ll | %FileCheck %s --check-prefix=ENTER
// RUN: grep -c "call void @__tprof_func_exit(" %t.twice.ll | %FileCheck %s --check-prefix=EXIT
// RUN: grep -c 'section "tprof_funcs"' %t.twice.ll | %FileCheck %s --check-prefix=FUNCS
// RUN: grep -c 'section "tprof_sites"' %t.twice.ll | %FileCheck %s --check-prefix=SITES
// ENTER: {{^}}3{{$}}
// EXIT: {{^}}3{{$}}
// FUNCS: {{^}}3{{$}}
// SITES: {{^}}2{{$}}
#include <stdlib.h>

int op_scale_2(int x) { return 2 * x; }

static void *grab(size_t n) { return malloc(n); }

int main(void) {
  void *p = grab(op_scale_2(8));
  free(p);
  return 0;
}
