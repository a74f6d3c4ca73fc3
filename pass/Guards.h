// The inline code the pass emits around hooks: counter increments, the
// "hooks on" guard, guarded calls, and the module's constructor and
// destructor. These need to split basic blocks, which LLVM-C cannot do, so
// this file (like Plugin.cpp) uses LLVM's C++ API, in calls that are the
// same from LLVM 14 to 22.
#ifndef TPROF_PASS_GUARDS_H
#define TPROF_PASS_GUARDS_H

#include "llvm-c/Core.h"

namespace tprof {

// ++*Counter (an i64) right before InsertBefore: a plain add while glibc's
// __libc_single_threaded is set, an atomic (monotonic) add otherwise, so
// counts are exact with threads and cost a load, a branch and an add
// without them.
void emitCount(LLVMValueRef InsertBefore, LLVMValueRef Counter);

// An i1, loaded right before InsertBefore: (__tprof_hooks_on & Mask) != 0
// (relaxed atomic load of one byte the runtime owns).
LLVMValueRef emitHooksOn(LLVMValueRef InsertBefore, unsigned Mask);

// if (Cond) Fn(Arg) right before InsertBefore; returns the call.
LLVMValueRef emitGuardedCall(LLVMValueRef Cond, LLVMValueRef InsertBefore, LLVMTypeRef FnTy, LLVMValueRef Fn,
                             LLVMValueRef Arg);

// Adds Ctor to llvm.global_ctors and Dtor to llvm.global_dtors, priority 0
// (before the program's own constructors, which may run instrumented code).
void addModuleCtorDtor(LLVMModuleRef M, LLVMValueRef Ctor, LLVMValueRef Dtor);

} // namespace tprof

#endif
