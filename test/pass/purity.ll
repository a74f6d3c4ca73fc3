; Instrumented functions lose the attributes that say they have no side
; effects (readnone and friends, memory(...) on newer LLVMs), on the function
; and at its call sites: otherwise -O2 hoists or merges their calls and the
; counts go wrong.
; RUN: %opt -passes=tprof -S %s | %FileCheck %s
; RUN: %opt -passes='tprof,default<O2>' -S %s -o %t.O2.ll
; RUN: %opt_bin -passes='print<loops>' -disable-output %t.O2.ll 2>&1 | cat - %t.O2.ll | %FileCheck %s --check-prefix=O2

; CHECK-LABEL: define i32 @square(
; CHECK-LABEL: define i32 @loop(
; CHECK: %v = call i32 @square(i32 7)
; CHECK-NOT: attributes #0 = { {{.*}}readnone
; CHECK-NOT: memory(none)

; After -O2 the loop still counts 100 calls of square: square (a tiny
; leaf, counted, not timed) is inlined and the loop then calls nothing, so
; nothing is added inside it: its trip count, which ScalarEvolution knows
; (100), is added to square's counter and to the call site's once, on the
; loop's exit (plain adds while single-threaded, atomic otherwise). The
; loop then does nothing (its sum is the constant 4900) and is deleted, as
; in the plain build. (LLVM's loop printer would name a loop left.)
; O2-NOT: Loop at depth
; O2-LABEL: define {{.*}}i32 @loop(
; O2: call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.loop
; O2-NOT: phi
; O2-NOT: __tprof_func.square.calls, i64 1 monotonic
; O2: add i64 %{{[0-9]+}}, 100{{$}}
; O2: add i64 %{{[0-9]+}}, 100{{$}}
; O2: atomicrmw add {{.*}}@__tprof_{{callsite|func.square}}.calls, i64 100 monotonic
; O2: atomicrmw add {{.*}}@__tprof_{{callsite|func.square}}.calls, i64 100 monotonic
; O2: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.loop
; O2-NOT: call void @__tprof_func_{{.*}}@__tprof_func.square
; O2: ret i32 4900
define i32 @square(i32 %x) #0 {
  %r = mul i32 %x, %x
  ret i32 %r
}

define i32 @loop() {
entry:
  br label %body
body:
  %i = phi i32 [ 0, %entry ], [ %next, %body ]
  %acc = phi i32 [ 0, %entry ], [ %sum, %body ]
  %v = call i32 @square(i32 7) #0
  %sum = add i32 %acc, %v
  %next = add i32 %i, 1
  %done = icmp eq i32 %next, 100
  br i1 %done, label %exit, label %body
exit:
  ret i32 %sum
}

attributes #0 = { readnone nounwind }
