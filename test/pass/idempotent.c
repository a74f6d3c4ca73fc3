// A second run of the pass adds nothing to a real module (debug info,
// allocation calls, an operation, tiny leaves with call-site counters, a
// setjmp): same output, same number of counters, hooks, records,
// redirected calls and module constructors.
// RUN: %clang -O0 -g -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: %opt -passes=tprof -S %t.ll -o %t.once.ll
// RUN: %opt -passes=tprof,tprof,verify -S %t.ll -o %t.twice.ll
// RUN: diff %t.once.ll %t.twice.ll
// Through a text file: the pass's output read back and run through the pass
// again is the same as read back and written without it. (A text round trip
// by itself reorders use lists, hence the "preds =" comments: compare with
// the round trip, not with the first output.)
// RUN: %opt -passes=tprof -S %t.once.ll -o %t.again.ll
// RUN: %opt_bin -passes=verify -S %t.once.ll -o %t.roundtrip.ll
// RUN: diff %t.roundtrip.ll %t.again.ll
// The same for clang's -O2 output, where inlining has moved counters.
// RUN: %clang -O2 -g -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o %t.O2.ll
// RUN: %opt -passes=tprof -S %t.O2.ll -o %t.O2.again.ll
// RUN: %opt_bin -passes=verify -S %t.O2.ll -o %t.O2.roundtrip.ll
// RUN: diff %t.O2.roundtrip.ll %t.O2.again.ll
// RUN: grep -c "call .*@__tprof_func_enter" %t.twice.ll | %FileCheck %s --check-prefix=THREE
// RUN: grep -c "call .*@__tprof_func_exit" %t.twice.ll | %FileCheck %s --check-prefix=THREE
// RUN: grep -c "load atomic i8, .*@__tprof_hooks_on" %t.twice.ll | %FileCheck %s --check-prefix=TWO
// RUN: grep -c "atomicrmw add" %t.twice.ll | %FileCheck %s --check-prefix=FIVE
// RUN: grep -c 'section "tprof_funcs"' %t.twice.ll | %FileCheck %s --check-prefix=FIVE
// RUN: grep -c 'section "tprof_callsites"' %t.twice.ll | %FileCheck %s --check-prefix=TWO
// RUN: grep -c 'section "tprof_sites"' %t.twice.ll | %FileCheck %s --check-prefix=TWO
// RUN: grep -c 'section "tprof_modules"' %t.twice.ll | %FileCheck %s --check-prefix=ONE
// RUN: grep -c "call i32 @__tprof_depth()" %t.twice.ll | %FileCheck %s --check-prefix=ONE
// RUN: grep -c "call void @__tprof_unwind(" %t.twice.ll | %FileCheck %s --check-prefix=ONE
// RUN: %FileCheck %s --check-prefix=CTORS < %t.twice.ll
// ONE: {{^}}1{{$}}
// TWO: {{^}}2{{$}}
// THREE: {{^}}3{{$}}
// FIVE: {{^}}5{{$}}
// 5 records; 3 timed functions (the operation, main, and mark, which calls
// setjmp of another module, so calls the unconditional _checked hooks, which read the guard byte
// themselves: 2 loads of it); grab (its malloc is not a real call) and leaf
// are static tiny leaves counted by their one call site each: 3 function
// counters and 2 call-site counters, 5 atomic adds
// CTORS: @llvm.global_ctors = appending global [1 x {{.*}}@__tprof_module_ctor
// CTORS: @llvm.global_dtors = appending global [1 x {{.*}}@__tprof_module_dtor
#include <setjmp.h>
#include <stdlib.h>

static jmp_buf env;

int op_scale_2(int x) { return 2 * x; }

static int leaf(int x) { return x + 1; }

static void *grab(size_t n) { return malloc(n); }

static int mark(void) { return setjmp(env); }

int main(void) {
  void *p = grab(op_scale_2(leaf(8)));
  free(p);
  return mark();
}
