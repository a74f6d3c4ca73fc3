// The inline code the pass emits around hooks: counter increments, the
// "hooks on" guard, guarded calls, and the module's constructor and
// destructor. These need to split basic blocks, which LLVM-C cannot do, so
// this file (like Plugin.cpp) uses LLVM's C++ API, in calls that are the
// same from LLVM 14 to 22.
#ifndef TPROF_PASS_GUARDS_H
#define TPROF_PASS_GUARDS_H

#include "llvm-c/Core.h"

#include "llvm/ADT/ArrayRef.h"

#include <initializer_list>

namespace llvm {
class AtomicRMWInst;
class Instruction;
class Module;
class Value;
} // namespace llvm

namespace tprof {

// ++*Counter (an i64) right before InsertBefore, as a relaxed atomic add
// that carries tprof's alias scope: one instruction while the optimiser
// decides what to inline (so a counted function inlines as its plain
// version would), and exact whatever the threads. lowerCounterUpdates
// turns it into a plain add where only one thread runs, after inlining.
void emitCount(LLVMValueRef InsertBefore, LLVMValueRef Counter);

// *Counter += Amount (an i64 value) the same way; returns the instruction.
llvm::AtomicRMWInst *emitAtomicAdd(llvm::Instruction *InsertBefore, llvm::Value *Counter, llvm::Value *Amount);

// Whether I is one of tprof's own memory accesses (a counter, glibc's
// single-threaded flag, the hooks-on byte): it carries tprof's alias scope.
bool isTprofAccess(const llvm::Instruction &I);

// Whether I is a counter update emitted by emitCount or emitAtomicAdd.
bool isCounterUpdate(const llvm::Instruction &I);

// Replaces a run of counter updates (one block's, nothing between them
// that they may not cross: CounterLowering.cpp), at the run's last update,
// by one check of glibc's __libc_single_threaded: plain adds while it is set (a plain add is
// exact against the program's own signal handlers too), the atomic adds
// otherwise. On x86-64 (lowersToAsm) one inline-assembly statement does it
// all; elsewhere the block is split into a branch on the flag.
void lowerCounterUpdates(llvm::ArrayRef<llvm::AtomicRMWInst *> Run);

// Whether lowerCounterUpdates emits inline assembly for M's target (x86-64),
// which reads the flag itself: nothing is left for EarlyCSE to merge.
bool lowersToAsm(const llvm::Module &M);

// An i1, loaded right before InsertBefore: (__tprof_hooks_on & Mask) != 0
// (relaxed atomic load of one byte the runtime owns).
LLVMValueRef emitHooksOn(LLVMValueRef InsertBefore, unsigned Mask);

// if (Cond) Fn(Arg) right before InsertBefore; returns the call.
LLVMValueRef emitGuardedCall(LLVMValueRef Cond, LLVMValueRef InsertBefore, LLVMTypeRef FnTy, LLVMValueRef Fn,
                             LLVMValueRef Arg);

// Fn(Args...) right before InsertBefore, unconditionally; returns the call.
LLVMValueRef emitCall(LLVMValueRef InsertBefore, LLVMTypeRef FnTy, LLVMValueRef Fn,
                      std::initializer_list<LLVMValueRef> Args, const char *Name);

// Marks every load, store and memory intrinsic of F that is not tprof's
// own as not aliasing tprof's counters and flags (scoped noalias metadata),
// so that a counter or the single-threaded flag can stay in a register
// across the program's stores. Run after F is fully instrumented.
void separateTprofMemory(LLVMValueRef F);

// Adds Ctor to llvm.global_ctors and Dtor to llvm.global_dtors, priority 0
// (before the program's own constructors, which may run instrumented code).
void addModuleCtorDtor(LLVMModuleRef M, LLVMValueRef Ctor, LLVMValueRef Dtor);

} // namespace tprof

#endif
